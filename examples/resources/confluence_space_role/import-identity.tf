# Terraform 1.12 and later: an import block can name the role by identity;
# the confluence_space_roles data source lists the ids.
import {
  to       = confluence_space_role.reviewer
  identity = { role_id = "5e0b7c1d-3f2a-4b6c-9d8e-7f6a5b4c3d21" }
}
