data "confluence_space" "docs" {
  key = "DOCS"
}

output "docs_space_id" {
  value = data.confluence_space.docs.id
}
