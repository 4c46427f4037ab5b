# Every grant in two spaces, one result per principal and operation, with
# the objects Terraform writes configuration from.
list "confluence_space_permission" "docs_and_eng" {
  provider         = confluence
  include_resource = true

  config {
    space_keys = ["DOCS", "ENG"]
  }
}

# Public access, everywhere.
list "confluence_space_permission" "public" {
  provider = confluence
  limit    = 1000

  config {
    principal_type = "anonymous"
  }
}
