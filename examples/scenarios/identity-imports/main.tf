# Terraform 1.12 and 1.13 have no terraform query. To adopt every space with
# import blocks, let Terraform write them: apply this configuration, then
#
#   terraform output -raw import_blocks > imports.tf
#
# and adopt with imports.tf as examples/scenarios/identity-adopt shows:
# terraform plan -generate-config-out=generated.tf, then terraform apply.

terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

data "confluence_spaces" "all" {}

locals {
  # Resource names must be identifiers: personal space keys start with ~.
  names = { for key in data.confluence_spaces.all.space_keys : key => "space_${replace(lower(key), "/[^a-z0-9_]/", "_")}" }
}

output "import_blocks" {
  value = join("\n", [for key, name in local.names : <<-EOT
    import {
      to       = confluence_space_permissions.${name}
      identity = { space_key = "${key}" }
    }
    EOT
  ])
}
