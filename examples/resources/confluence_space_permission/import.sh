# The import id is SPACEKEY/TYPE/ID/KEY/TARGET, built from names you know:
terraform import 'confluence_space_permission.engineering["create/page"]' DOCS/group/8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f/create/page

# Anonymous grants have no id part:
terraform import confluence_space_permission.public_view DOCS/anonymous/read/space
