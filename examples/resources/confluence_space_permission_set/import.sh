# The import id is SPACEKEY/TYPE/ID:
terraform import confluence_space_permission_set.engineering ENG/group/3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61

# Anonymous access has no id part:
terraform import confluence_space_permission_set.public DOCS/anonymous
