# Cloud: by accountId.
data "confluence_user" "alice" {
  account_id = "5b10ac8d82e05b22cc7d4ef5"
}

# Data Center: by username. `id` is what principal.id takes on either.
data "confluence_user" "bob" {
  provider = confluence.datacenter
  username = "bob"
}

output "alice" {
  value = "${data.confluence_user.alice.display_name} (${data.confluence_user.alice.id})"
}
