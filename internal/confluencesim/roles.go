package confluencesim

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Space roles (reference §5) are named sets of space permissions that Cloud
// sites in ROLES_TRANSITION or ROLES mode assign, per space, to users,
// groups and access classes. Every site has the four default (SYSTEM) roles;
// site admins add up to ten CUSTOM ones.

// RoleType tells Confluence's default roles from a site's own (v2 RoleType).
type RoleType string

const (
	SystemRole RoleType = "SYSTEM"
	CustomRole RoleType = "CUSTOM"
)

func (t RoleType) valid() bool { return t == SystemRole || t == CustomRole }

// Role is a snapshot of one space role.
type Role struct {
	// ID is a UUID, stable for the life of the role.
	ID          string
	Type        RoleType
	Name        string
	Description string
	// Permissions are in table order, read/space first.
	Permissions []permissions.Operation
}

func (r Role) clone() Role {
	r.Permissions = slices.Clone(r.Permissions)
	return r
}

func (r Role) grants(op permissions.Operation) bool { return slices.Contains(r.Permissions, op) }

// RolePrincipalType is who a role is assigned to (v2 PrincipalType).
type RolePrincipalType string

const (
	RoleUser        RolePrincipalType = "USER"
	RoleGroup       RolePrincipalType = "GROUP"
	RoleAccessClass RolePrincipalType = "ACCESS_CLASS"
)

func (t RolePrincipalType) valid() bool {
	return t == RoleUser || t == RoleGroup || t == RoleAccessClass
}

// RolePrincipal is a user (accountId), a group (groupId) or an access class.
type RolePrincipal struct {
	Type RolePrincipalType
	ID   string
}

func (p RolePrincipal) String() string { return string(p.Type) + " " + p.ID }

// RoleAssignment is one principal's role in one space.
type RoleAssignment struct {
	SpaceKey  string
	Principal RolePrincipal
	RoleID    string
}

// Access classes: the ids of ACCESS_CLASS principals (reference §5, and the
// principal-id parameter of GET /space-roles).
const (
	AnonymousUsers     = "anonymous-users"
	JSMProjectAdmins   = "jsm-project-admins"
	AuthenticatedUsers = "authenticated-users"
	AllLicensedUsers   = "all-licensed-users"
	AllProductAdmins   = "all-product-admins"
)

// AccessClasses lists every access class id.
var AccessClasses = []string{AnonymousUsers, JSMProjectAdmins, AuthenticatedUsers, AllLicensedUsers, AllProductAdmins}

// maxCustomRoles is how many custom roles a site may have.
//
// UNVERIFIED (reference §5): the limit of 10 comes from a secondary source.
const maxCustomRoles = 10

// The default roles. Their ids are fixed so that seeds, tests and examples
// can name them.
const (
	AdminRoleID        = "dc1d709a-a031-4e63-8046-8167326f8b51"
	ManagerRoleID      = "1df6d0d2-c95d-43ae-86ab-cc4a8f4b48be"
	CollaboratorRoleID = "740ef310-d325-4f8f-93f3-2333d998abc1"
	ViewerRoleID       = "92ad1852-0a55-48a7-ae84-0e91d83f2e5b"
)

// UNVERIFIED (reference §5): the notes name the four default roles but not
// their permissions; chose nested sets that fit the names: a Viewer views;
// a Collaborator also creates pages, blog posts, comments and attachments
// and deletes its own content; a Manager also deletes others' content,
// archives, exports and restricts; an Admin also administers the space,
// which makes it every Cloud permission.
var (
	viewerPermissions       = []string{"read/space"}
	collaboratorPermissions = slices.Concat(viewerPermissions, []string{"create/page", "create/blogpost", "create/comment", "create/attachment", "delete/space"})
	managerPermissions      = slices.Concat(collaboratorPermissions, []string{"delete/page", "delete/blogpost", "delete/comment", "delete/attachment", "archive/page", "export/space", "restrict_content/space"})
	adminPermissions        = slices.Concat(managerPermissions, []string{"administer/space"})
)

// systemRoles are the default roles, in the order Confluence lists them.
//
// UNVERIFIED (reference §5): the descriptions are not in the notes; chose
// one sentence each.
func systemRoles() []Role {
	return []Role{
		{AdminRoleID, SystemRole, "Admin", "Can manage the space's settings and access, and do everything else in the space.", mustOperations(adminPermissions)},
		{ManagerRoleID, SystemRole, "Manager", "Can create, edit, delete, archive, export and restrict all content in the space.", mustOperations(managerPermissions)},
		{CollaboratorRoleID, SystemRole, "Collaborator", "Can view, create and comment on content, and delete their own.", mustOperations(collaboratorPermissions)},
		{ViewerRoleID, SystemRole, "Viewer", "Can view content in the space.", mustOperations(viewerPermissions)},
	}
}

func mustOperations(names []string) []permissions.Operation {
	ops := make([]permissions.Operation, len(names))
	for i, n := range names {
		op, err := permissions.ParseOperation(n)
		if err != nil {
			panic(err)
		}
		ops[i] = op
	}
	permissions.SortOperations(ops)
	return ops
}

// catalogueEntry is one space permission of GET /space-permissions.
type catalogueEntry struct {
	seq         int64 // position in the catalogue, from 1: what cursors remember
	Operation   permissions.Operation
	DisplayName string
	Description string
	Requires    []permissions.Operation
}

// UNVERIFIED (reference §5): the catalogue's shape is in the spec, its
// content is not in the notes; chose the UI's checkbox labels as display
// names, a sentence each as description, and read/space as the one
// permission every other one requires (Confluence grants nothing without
// it, reference §1.1).
var permissionDescriptions = map[string]string{
	"read/space":             "View the space and its content.",
	"administer/space":       "Manage the space's settings and who can access it.",
	"export/space":           "Export the space's content.",
	"restrict_content/space": "Add and remove restrictions on content.",
	"delete/space":           "Delete content one created oneself.",
	"create/page":            "Create and edit pages.",
	"delete/page":            "Delete pages.",
	"create/blogpost":        "Create and edit blog posts.",
	"delete/blogpost":        "Delete blog posts.",
	"create/comment":         "Add comments.",
	"delete/comment":         "Delete comments.",
	"create/attachment":      "Add attachments.",
	"delete/attachment":      "Delete attachments.",
	"archive/page":           "Archive pages.",
}

// permissionCatalogue lists the Cloud permissions in table order.
func permissionCatalogue() []catalogueEntry {
	var out []catalogueEntry
	for _, info := range permissions.Operations() {
		if !info.Cloud {
			continue
		}
		e := catalogueEntry{seq: int64(len(out) + 1), Operation: info.Operation, DisplayName: info.Label, Description: permissionDescriptions[info.Operation.String()]}
		if info.Operation != permissions.ReadSpace {
			e.Requires = []permissions.Operation{permissions.ReadSpace}
		}
		out = append(out, e)
	}
	return out
}

// derivedUUID is a version 4 UUID derived from a name, so that a site
// hands out the same ids on every run.
func derivedUUID(name string) string {
	sum := sha256.Sum256([]byte("confluencesim uuid\x00" + name))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
