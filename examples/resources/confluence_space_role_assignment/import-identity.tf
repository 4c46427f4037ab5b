# Terraform 1.12 and later: an import block can name the principal's role in
# the space by identity; principal_type is user, group or access_class.
import {
  to = confluence_space_role_assignment.engineering
  identity = {
    space_key      = "ENG"
    principal_type = "group"
    principal_id   = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
  }
}

import {
  to = confluence_space_role_assignment.staff_read_docs
  identity = {
    space_key      = "DOCS"
    principal_type = "access_class"
    principal_id   = "all-licensed-users"
  }
}
