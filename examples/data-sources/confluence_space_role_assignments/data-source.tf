# The roles of DOCS, in the shape confluence_space_role_assignments takes.
data "confluence_space_role_assignments" "docs" {
  space_key = "DOCS"
}

# Give OPS exactly the roles of DOCS.
resource "confluence_space_role_assignments" "ops" {
  space_key   = "OPS"
  assignments = data.confluence_space_role_assignments.docs.assignments
}
