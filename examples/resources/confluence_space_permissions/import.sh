# The import id is the space key:
terraform import confluence_space_permissions.docs DOCS
