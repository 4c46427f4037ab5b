# Confluence Cloud with an API token. The same settings can come from the
# environment: CONFLUENCE_URL, CONFLUENCE_USER and CONFLUENCE_API_TOKEN.
provider "confluence" {
  url       = "https://example.atlassian.net"
  user      = "automation@example.com"
  api_token = var.confluence_api_token
}

variable "confluence_api_token" {
  type      = string
  sensitive = true
}
