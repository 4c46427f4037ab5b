data "confluence_group" "engineering" {
  name = "engineering"
}

# The engineering group collaborates in ENG: this is its one role there.
resource "confluence_space_role_assignment" "engineering" {
  space_key = "ENG"
  principal = { type = "group", id = data.confluence_group.engineering.id }
  role_name = "Collaborator"
}

# Everyone with a Confluence licence may read DOCS.
resource "confluence_space_role_assignment" "staff_read_docs" {
  space_key = "DOCS"
  principal = { type = "access_class", id = "all-licensed-users" }
  role_name = "Viewer"
}

# A custom role created in the same configuration is assigned by id, which is
# known once the role exists.
resource "confluence_space_role_assignment" "alice_reviews_docs" {
  space_key = "DOCS"
  principal = { type = "user", id = "5b10ac8d82e05b22cc7d4ef5" } # an accountId
  role_id   = confluence_space_role.reviewer.id
}
