# Copy the permissions of one space to another: the target ends up with
# exactly the grants of the source, and keeps following it on every apply.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "source_space" {
  description = "The space whose permissions are copied."
  type        = string
}

variable "target_space" {
  description = "The space that receives them."
  type        = string
}

data "confluence_space_permissions" "source" {
  space_key = var.source_space
}

resource "confluence_space_permissions" "target" {
  space_key = var.target_space
  grants    = data.confluence_space_permissions.source.grants
}
