# Adopt the grants of some spaces principal by principal, with Terraform 1.14
# and later:
#
#   terraform query -generate-config-out=generated.tf
#   terraform apply
#
# Terraform writes one confluence_space_permission_set resource and one
# import block per user, group and anonymous in each space named.

terraform {
  required_version = ">= 1.14"
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "space_keys" {
  type        = list(string)
  description = "The spaces to adopt."
}
