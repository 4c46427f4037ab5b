# The import id is SPACEKEY/TYPE/ID, TYPE being user, group or access_class:
terraform import confluence_space_role_assignment.engineering ENG/group/3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61

terraform import confluence_space_role_assignment.staff_read_docs DOCS/access_class/all-licensed-users
