# Adopt every space of a site as it is, with Terraform 1.14 and later:
#
#   terraform query -generate-config-out=generated.tf
#   terraform plan     # only imports: nothing to add, change or destroy
#   terraform apply
#
# list.tfquery.hcl finds every space; Terraform writes one
# confluence_space_permissions resource and one import block per space into
# generated.tf. Review it, apply, and the next plan is empty.

terraform {
  required_version = ">= 1.14"
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}
