# On a site with space roles: give one group the same role in every space.
#
# The space list is read on every plan, so a space created later is picked
# up by the next plan, and a space deleted is dropped from it.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "group_name" {
  description = "The group to give a role in every space."
  type        = string
}

variable "role" {
  description = "The role the group gets everywhere."
  type        = string
  default     = "Collaborator"
}

data "confluence_group" "this" {
  name = var.group_name
}

data "confluence_spaces" "all" {
  type   = "global"
  status = "current"
}

resource "confluence_space_role_assignment" "everywhere" {
  for_each = toset(data.confluence_spaces.all.space_keys)

  space_key = each.value
  principal = { type = "group", id = data.confluence_group.this.id }
  role_name = var.role
}
