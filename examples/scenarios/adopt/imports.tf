# Adopt a space whose permissions were set by hand:
#
#   terraform plan -generate-config-out=generated.tf
#   terraform apply
#
# Terraform writes the current grants of the space into generated.tf; the
# apply only records them in state, and the next plan is empty. From then on,
# edit generated.tf (and rename it) to manage the space.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

import {
  to = confluence_space_permissions.hr
  id = "HR"
}
