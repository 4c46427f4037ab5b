# The import id is the role's id; the confluence_space_roles data source lists them:
terraform import confluence_space_role.reviewer 5e0b7c1d-3f2a-4b6c-9d8e-7f6a5b4c3d21
