# Every space the provider's account can view, one result per space with all
# its grants. Terraform stops at 100 results unless limit says otherwise.
list "confluence_space_permissions" "site" {
  provider = confluence
  limit    = 5000
}
