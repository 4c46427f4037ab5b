# Everything one group holds, in every space: one result per space where it
# holds something. On Data Center, principal_id is the group name.
list "confluence_space_permission_set" "engineering" {
  provider = confluence
  limit    = 1000

  config {
    principal_type = "group"
    principal_id   = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
  }
}

# Every user, group and anonymous in the current global spaces.
list "confluence_space_permission_set" "global" {
  provider = confluence
  limit    = 1000

  config {
    space_type   = "global"
    space_status = "current"
  }
}
