# Terraform 1.12 and later: an import block can name the space by identity.
import {
  to       = confluence_space_permissions.docs
  identity = { space_key = "DOCS" }
}
