package state

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Space roles (contributing/confluence-api.md#space-roles) are named sets of
// space permissions that Cloud sites in ROLES_TRANSITION or ROLES mode assign,
// per space, to users, groups and access classes. Every site has the four
// default (SYSTEM) roles; site admins add up to ten CUSTOM ones.

// RoleType tells Confluence's default roles from a site's own (v2 RoleType).
type RoleType string

const (
	SystemRole RoleType = "SYSTEM"
	CustomRole RoleType = "CUSTOM"
)

// Valid reports whether t is SYSTEM or CUSTOM.
func (t RoleType) Valid() bool { return t == SystemRole || t == CustomRole }

// Role is a snapshot of one space role.
type Role struct {
	// ID is a UUID, stable for the life of the role.
	ID          string
	Type        RoleType
	Name        string
	Description string
	// Permissions are ids of the permission catalogue (GET
	// /wiki/api/v2/space-permissions), in catalogue order: read/space first,
	// the legacy key/target ones, then the granular ones.
	Permissions []PermissionID
}

func (r Role) clone() Role {
	r.Permissions = slices.Clone(r.Permissions)
	return r
}

// Grants reports whether the role gives a legacy operation. Only the
// catalogue's legacy permissions map to operations; the granular ones
// grant none of them.
func (r Role) Grants(op permissions.Operation) bool {
	return OfferedOn(op, permissions.Cloud) && slices.Contains(r.Permissions, PermissionID(op.String()))
}

// RolePrincipalType is who a role is assigned to (v2 PrincipalType).
type RolePrincipalType string

const (
	RoleUser        RolePrincipalType = "USER"
	RoleGroup       RolePrincipalType = "GROUP"
	RoleAccessClass RolePrincipalType = "ACCESS_CLASS"
)

// Valid reports whether t is USER, GROUP or ACCESS_CLASS.
func (t RolePrincipalType) Valid() bool {
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

// Access classes: the ids of ACCESS_CLASS principals
// (contributing/confluence-api.md#space-roles, and the principal-id parameter
// of GET /space-roles).
const (
	AnonymousUsers     = "anonymous-users"
	JSMProjectAdmins   = "jsm-project-admins"
	AuthenticatedUsers = "authenticated-users"
	AllLicensedUsers   = "all-licensed-users"
	AllProductAdmins   = "all-product-admins"
)

// AccessClasses lists every access class id.
var AccessClasses = []string{AnonymousUsers, JSMProjectAdmins, AuthenticatedUsers, AllLicensedUsers, AllProductAdmins}

// maxCustomRoles is how many custom roles a site may have: Atlassian's
// support page on custom roles says "You can create up to 10 custom roles"
// (contributing/confluence-api.md#space-roles).
const maxCustomRoles = 10

// The default roles. Their ids are fixed so that seeds, tests and examples
// can name them.
const (
	AdminRoleID        = "dc1d709a-a031-4e63-8046-8167326f8b51"
	ManagerRoleID      = "1df6d0d2-c95d-43ae-86ab-cc4a8f4b48be"
	CollaboratorRoleID = "740ef310-d325-4f8f-93f3-2333d998abc1"
	ViewerRoleID       = "92ad1852-0a55-48a7-ae84-0e91d83f2e5b"
)

// UNVERIFIED (contributing/confluence-api.md#space-roles): the record names
// the four default roles but not their permissions; chose nested sets that fit
// the names: a Viewer views; a Collaborator also creates pages, blog posts,
// comments and attachments and deletes its own content; a Manager also deletes
// others' content, archives, exports and restricts; an Admin also administers
// the space and holds the granular permissions announced in 2026 (see
// granularPermissions), which makes it every permission of the catalogue.
var (
	viewerPermissions       = []string{"read/space"}
	collaboratorPermissions = slices.Concat(viewerPermissions, []string{"create/page", "create/blogpost", "create/comment", "create/attachment", "delete/space"})
	managerPermissions      = slices.Concat(collaboratorPermissions, []string{"delete/page", "delete/blogpost", "delete/comment", "delete/attachment", "archive/page", "export/space", "restrict_content/space"})
	adminPermissions        = slices.Concat(managerPermissions, []string{"administer/space"}, granularPermissionIDs())
)

// SystemRoles are the default roles, in the order Confluence lists them.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the descriptions
// are not on record; chose one sentence each.
func SystemRoles() []Role {
	return []Role{
		{AdminRoleID, SystemRole, "Admin", "Can manage the space's settings and access, and do everything else in the space.", mustPermissions(adminPermissions)},
		{ManagerRoleID, SystemRole, "Manager", "Can create, edit, delete, archive, export and restrict all content in the space.", mustPermissions(managerPermissions)},
		{CollaboratorRoleID, SystemRole, "Collaborator", "Can view, create and comment on content, and delete their own.", mustPermissions(collaboratorPermissions)},
		{ViewerRoleID, SystemRole, "Viewer", "Can view content in the space.", mustPermissions(viewerPermissions)},
	}
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
