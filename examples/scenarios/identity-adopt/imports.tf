# Adopt spaces by identity with Terraform 1.12 and 1.13, which have no
# terraform query:
#
#   terraform plan -generate-config-out=generated.tf
#   terraform apply
#
# Each import block names what to adopt by its identity. Terraform writes
# the resources into generated.tf; the apply only records them in state, and
# the next plan is empty.

terraform {
  required_version = ">= 1.12"
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

# A whole space.
import {
  to       = confluence_space_permissions.hr
  identity = { space_key = "HR" }
}

# One principal in a space: anonymous has no principal_id.
import {
  to = confluence_space_permission_set.docs_public
  identity = {
    space_key      = "DOCS"
    principal_type = "anonymous"
  }
}
