# Reviewers read a space and comment on it, and may tidy up comments.
resource "confluence_space_role" "reviewer" {
  name        = "Reviewer"
  description = "Reads and comments; removes comments."
  permissions = [
    "read/space",
    "create/comment",
    "delete/comment",
  ]
}
