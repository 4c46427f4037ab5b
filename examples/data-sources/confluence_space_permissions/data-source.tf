data "confluence_space_permissions" "docs" {
  space_key = "DOCS"
}

# Who can administer DOCS today?
output "docs_admins" {
  value = [for principal, ops in data.confluence_space_permissions.docs.grants : principal if contains(ops, "administer/space")]
}
