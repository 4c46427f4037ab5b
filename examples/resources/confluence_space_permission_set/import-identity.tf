# Terraform 1.12 and later: an import block can name the principal's grants
# in the space by identity.
import {
  to = confluence_space_permission_set.engineering
  identity = {
    space_key      = "ENG"
    principal_type = "group"
    principal_id   = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
  }
}

# Anonymous access leaves principal_id out.
import {
  to = confluence_space_permission_set.public
  identity = {
    space_key      = "DOCS"
    principal_type = "anonymous"
  }
}
