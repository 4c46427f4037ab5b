data "confluence_group" "engineering" {
  name = "engineering"
}

# Confluence refuses any permission to a principal that cannot view the
# space. Declare read/space too; the provider orders the calls itself, so no
# depends_on is needed.
resource "confluence_space_permission" "engineering" {
  for_each = toset(["read/space", "create/page", "create/comment", "create/attachment"])

  space_key = "DOCS"
  principal = {
    type = "group"
    id   = data.confluence_group.engineering.id
  }
  operation = each.value
}

# Anonymous users take no id.
resource "confluence_space_permission" "public_view" {
  space_key = "DOCS"
  principal = { type = "anonymous" }
  operation = "read/space"
}
