# Terraform 1.12 and later: an import block can name the space by identity.
import {
  to       = confluence_space_role_assignments.docs
  identity = { space_key = "DOCS" }
}
