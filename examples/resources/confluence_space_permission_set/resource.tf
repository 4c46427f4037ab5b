data "confluence_group" "engineering" {
  name = "engineering"
}

# Exactly these permissions for engineering in ENG: anything else the group
# holds there is removed, and changes made by hand show up in the next plan.
resource "confluence_space_permission_set" "engineering" {
  space_key = "ENG"
  principal = { type = "group", id = data.confluence_group.engineering.id }
  operations = [
    "read/space",
    "create/page",
    "delete/page",
    "create/blogpost",
    "create/comment",
    "create/attachment",
  ]
}
