# The demo site: a Confluence Cloud with spaces DOCS, ENG, HR and OPS, people
# alice, bob and carol, and groups confluence-users, engineering and hr-team.
# `make demo` runs this against the simulator; the provider settings come
# from CONFLUENCE_URL, CONFLUENCE_USER, CONFLUENCE_API_TOKEN and
# CONFLUENCE_DEPLOYMENT.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

data "confluence_user" "alice" {
  account_id = "5b10ac8d82e05b22cc7d4ef5"
}

data "confluence_user" "bob" {
  account_id = "5b10a2844c20165700ede21f"
}

data "confluence_group" "everyone" {
  name = "confluence-users"
}

data "confluence_group" "engineering" {
  name = "engineering"
}

# DOCS is fully under Terraform: exactly these grants, nothing else.
resource "confluence_space_permissions" "docs" {
  space_key = "DOCS"
  grants = {
    "user:${data.confluence_user.alice.id}"         = ["read/space", "administer/space", "export/space"]
    "group:${data.confluence_group.engineering.id}" = ["read/space", "create/page", "delete/page", "create/attachment", "create/comment"]
    "group:${data.confluence_group.everyone.id}"    = ["read/space", "create/comment"]
    "anonymous"                                     = ["read/space"]
  }
}

# Everyone may read and comment in the other global spaces, except HR.
data "confluence_spaces" "global" {
  type = "global"
}

resource "confluence_space_permission_set" "everyone_reads" {
  for_each = setsubtract(toset(data.confluence_spaces.global.space_keys), ["DOCS", "HR"])

  space_key  = each.value
  principal  = { type = "group", id = data.confluence_group.everyone.id }
  operations = ["read/space", "create/comment"]
}

# In HR, Terraform only adds one grant and leaves the rest to the HR team:
# bob may export the space for the yearly audit.
resource "confluence_space_permission" "bob_hr" {
  for_each = toset(["read/space", "export/space"])

  space_key = "HR"
  principal = { type = "user", id = data.confluence_user.bob.id }
  operation = each.value
}

output "docs_grants" {
  description = "Who can do what in DOCS."
  value       = { for principal, ops in confluence_space_permissions.docs.grants : principal => sort(tolist(ops)) }
}
