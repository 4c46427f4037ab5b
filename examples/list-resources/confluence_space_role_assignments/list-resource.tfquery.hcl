# Every space of the site, one result per space with all its role
# assignments.
list "confluence_space_role_assignments" "site" {
  provider = confluence
  limit    = 5000
}
