# Every role assignment in HR, one result per user, group and access class.
list "confluence_space_role_assignment" "hr" {
  provider         = confluence
  include_resource = true

  config {
    space_keys = ["HR"]
  }
}

# The spaces anonymous users can see, with their role there.
list "confluence_space_role_assignment" "anonymous" {
  provider = confluence
  limit    = 1000

  config {
    principal_type = "access_class"
    principal_id   = "anonymous-users"
  }
}
