list "confluence_space_permission_set" "spaces" {
  provider = confluence
  limit    = 1000

  config {
    space_keys = var.space_keys
  }
}
