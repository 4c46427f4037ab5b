# Adopt what one group holds, in every space, with Terraform 1.14 and later:
#
#   terraform query -generate-config-out=generated.tf
#   terraform apply
#
# Terraform writes one confluence_space_permission_set resource and one
# import block per space where the group holds something. Other principals'
# grants are left alone.

terraform {
  required_version = ">= 1.14"
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "group_id" {
  type        = string
  description = "The group's groupId on Cloud, its name on Data Center (the confluence_group data source has both)."
}
