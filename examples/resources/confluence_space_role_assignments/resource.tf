data "confluence_user" "owner" {
  account_id = "5b10ac8d82e05b22cc7d4ef5"
}

data "confluence_group" "engineering" {
  name = "engineering"
}

# Every role in DOCS. Keys name principals: "user:ACCOUNTID",
# "group:GROUPID" or "access_class:CLASS"; values name the role.
resource "confluence_space_role_assignments" "docs" {
  space_key = "DOCS"
  assignments = {
    "user:${data.confluence_user.owner.id}"         = "Admin"
    "group:${data.confluence_group.engineering.id}" = "Collaborator"
    "access_class:authenticated-users"              = "Viewer"
  }
}
