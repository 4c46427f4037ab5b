data "confluence_space_roles" "all" {}

# Role ids by name, for role_id in confluence_space_role_assignment.
output "viewer_role_id" {
  value = data.confluence_space_roles.all.role_ids["Viewer"]
}

# Which roles may administer a space?
output "admin_roles" {
  value = [for role in data.confluence_space_roles.all.roles : role.name if contains(role.permissions, "administer/space")]
}

# Only the site's own roles.
data "confluence_space_roles" "custom" {
  type = "custom"
}
