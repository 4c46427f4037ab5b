# Look a group up by its exact name; on Cloud `id` is the groupId that
# permissions must use, because group names can change.
data "confluence_group" "engineering" {
  name = "engineering"
}

resource "confluence_space_permission" "engineering_view" {
  space_key = "ENG"
  principal = { type = "group", id = data.confluence_group.engineering.id }
  operation = "read/space"
}
