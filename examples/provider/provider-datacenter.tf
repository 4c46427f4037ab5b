# Confluence Data Center with a personal access token (Confluence 7.9 and
# later). CONFLUENCE_TOKEN works as well.
provider "confluence" {
  alias      = "datacenter"
  url        = "https://confluence.example.com"
  token      = var.confluence_pat
  deployment = "datacenter"
}

variable "confluence_pat" {
  type      = string
  sensitive = true
}
