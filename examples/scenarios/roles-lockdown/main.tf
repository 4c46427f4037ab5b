# On a site with space roles: strip a space down to Viewer for everyone,
# except one named administrator.
#
# Everyone who holds a role in the space keeps Viewer; the administrator
# gets Admin, so that someone can still manage the space's access.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

variable "space_key" {
  description = "The space to lock down."
  type        = string
}

variable "admin" {
  description = "The one administrator: a user's accountId."
  type        = string
}

data "confluence_space_role_assignments" "current" {
  space_key = var.space_key
}

resource "confluence_space_role_assignments" "lockdown" {
  space_key = var.space_key
  assignments = merge(
    { for principal, _ in data.confluence_space_role_assignments.current.assignments : principal => "Viewer" },
    { "user:${var.admin}" = "Admin" },
  )
}
