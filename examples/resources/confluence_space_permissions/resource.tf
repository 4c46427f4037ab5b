data "confluence_user" "owner" {
  account_id = "5b10ac8d82e05b22cc7d4ef5"
}

data "confluence_group" "everyone" {
  name = "confluence-users"
}

# Every permission in DOCS. Keys name principals like Google IAM members:
# "user:ID", "group:ID" or "anonymous".
resource "confluence_space_permissions" "docs" {
  space_key = "DOCS"
  grants = {
    "user:${data.confluence_user.owner.id}"      = ["read/space", "administer/space", "export/space"]
    "group:${data.confluence_group.everyone.id}" = ["read/space", "create/page", "create/comment"]
    "anonymous"                                  = ["read/space"]
  }
}
