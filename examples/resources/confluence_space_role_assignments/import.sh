# The import id is the space key:
terraform import confluence_space_role_assignments.docs DOCS
