# Give one group the same permissions in every space of the site.
#
# The space list is read on every plan, so a space created later is picked
# up by the next plan, and a space deleted is dropped from it.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "group_name" {
  description = "The group to give access to every space."
  type        = string
}

variable "operations" {
  description = "What the group may do in every space."
  type        = set(string)
  default     = ["read/space", "create/page", "create/comment", "create/attachment"]
}

data "confluence_group" "this" {
  name = var.group_name
}

data "confluence_spaces" "all" {
  type   = "global"
  status = "current"
}

resource "confluence_space_permission_set" "everywhere" {
  for_each = toset(data.confluence_spaces.all.space_keys)

  space_key  = each.value
  principal  = { type = "group", id = data.confluence_group.this.id }
  operations = var.operations
}
