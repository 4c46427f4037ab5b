# Terraform 1.12 and later: an import block can name the grant by identity,
# the parts of its import id as attributes.
import {
  to = confluence_space_permission.engineering["create/page"]
  identity = {
    space_key      = "DOCS"
    principal_type = "group"
    principal_id   = "8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f"
    operation      = "create/page"
  }
}

# Anonymous grants leave principal_id out.
import {
  to = confluence_space_permission.public_view
  identity = {
    space_key      = "DOCS"
    principal_type = "anonymous"
    operation      = "read/space"
  }
}
