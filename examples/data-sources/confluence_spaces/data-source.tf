# Every current global space of the site.
data "confluence_spaces" "global" {
  type   = "global"
  status = "current"
}

# Give the auditors group View in all of them: a space created later shows
# up in the next plan.
resource "confluence_space_permission" "auditors_view" {
  for_each = toset(data.confluence_spaces.global.space_keys)

  space_key = each.value
  principal = { type = "group", id = "5d2a0b4c-1e3f-4a5b-8c7d-9e0f1a2b3c4d" }
  operation = "read/space"
}
