list "confluence_space_permission_set" "group" {
  provider = confluence
  limit    = 1000

  config {
    principal_type = "group"
    principal_id   = var.group_id
  }
}
