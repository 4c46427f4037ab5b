# On a site with space roles: copy the role assignments of one space to
# another. The target ends up with exactly the roles of the source, and
# keeps following it on every apply.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "source_space" {
  description = "The space whose roles are copied."
  type        = string
}

variable "target_space" {
  description = "The space that receives them."
  type        = string
}

data "confluence_space_role_assignments" "source" {
  space_key = var.source_space
}

resource "confluence_space_role_assignments" "target" {
  space_key   = var.target_space
  assignments = data.confluence_space_role_assignments.source.assignments
}
