# On a site with space roles: adopt a space whose roles were assigned by hand:
#
#   terraform plan -generate-config-out=generated.tf
#   terraform apply
#
# Terraform writes the space's current role assignments into generated.tf;
# the apply only records them in state, and the next plan is empty. From
# then on, edit generated.tf (and rename it) to manage the space.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

import {
  to = confluence_space_role_assignments.hr
  id = "HR"
}
