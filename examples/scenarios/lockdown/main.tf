# Strip a space down to View for everyone, except one named administrator.
#
# Everyone who holds anything in the space keeps read/space and loses the
# rest; the administrator keeps View and Admin. Principals Terraform cannot
# manage (space roles on Cloud) are left alone.

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
  description = "The one administrator: a user principal id (accountId on Cloud, username on Data Center)."
  type        = string
}

data "confluence_space_permissions" "current" {
  space_key = var.space_key
}

resource "confluence_space_permissions" "lockdown" {
  space_key = var.space_key
  grants = merge(
    { for principal, _ in data.confluence_space_permissions.current.grants : principal => ["read/space"] },
    { "user:${var.admin}" = ["read/space", "administer/space"] },
  )
}
