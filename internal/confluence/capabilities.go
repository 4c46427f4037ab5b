package confluence

import (
	"context"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Optional capabilities of a Backend, all declared here: the client checks
// for each with a type assertion and does without it where a deployment has
// none. Which backend implements which:
//
//	                    Cloud   Data Center REST   Data Center remote API
//	PrincipalResolver             yes                yes
//	PrincipalNamer                yes                yes
//	PrincipalReplacer             yes
//	PartialReplacement            (its errors)
//	RoleModeReader      yes
//	SpaceRoles          yes
//	TransitionInventory yes
//	SiteSpaces          yes     yes                yes

// PrincipalReplacer is implemented by backends that can replace all grants
// of several principals in one call (Data Center 9.1+). Client uses it for
// authoritative changes so that a set change costs one call per principal
// rather than one per grant.
type PrincipalReplacer interface {
	ReplacePrincipals(ctx context.Context, s Space, grants permissions.Grants) error
}

// SiteSpaces is implemented by backends that can list every space of the
// site a page at a time, in the largest pages the API gives. The client
// reads it instead of key lookups when many unknown keys arrive (see
// spaceDirectory).
type SiteSpaces interface {
	SiteSpaces() SpacePager
}

// SpacePager reads a list of spaces one page at a time; more is false once
// the list has ended, and a failed page may be asked for again.
type SpacePager interface {
	Next(ctx context.Context) (spaces []Space, more bool, err error)
}

// RoleModeReader is implemented by backends of deployments with space roles.
type RoleModeReader interface {
	RoleMode(ctx context.Context) (RoleMode, error)
}

// PrincipalResolver is implemented by backends whose users are written one
// way in configuration and addressed another way by the API (Data Center:
// username in configuration, immutable userKey in grants).
type PrincipalResolver interface {
	// ResolvePrincipal returns the principal as grants carry it.
	ResolvePrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error)
}

// PrincipalNamer is the inverse of PrincipalResolver: it renders a
// principal as grants carry it the way configuration writes it.
type PrincipalNamer interface {
	ConfiguredPrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error)
}

// PartialReplacement is implemented by the errors of a PrincipalReplacer
// that sends the principals in several calls and stopped part way: it says
// which principals were replaced.
type PartialReplacement interface {
	error
	AppliedPrincipals() []permissions.Principal
}

// SpaceRoles is implemented by backends of deployments with space roles
// (Cloud). Client.Roles puts caching, name resolution and explained errors
// on top.
type SpaceRoles interface {
	// ListRoles returns every role of the site, default and custom.
	ListRoles(ctx context.Context) ([]Role, error)
	// PermissionCatalogue returns every permission a role can hold.
	PermissionCatalogue(ctx context.Context) ([]RolePermission, error)
	// Role returns one role; a role that does not exist is IsNotFound.
	Role(ctx context.Context, id string) (Role, error)
	// CreateRole creates a custom role.
	CreateRole(ctx context.Context, d RoleDefinition) (Role, error)
	// UpdateRole changes a custom role, which Confluence does
	// asynchronously
	// (contributing/confluence-api.md#following-a-role-update-or-deletion),
	// and returns the role once applied reports the change applied, or a
	// *RoleChangePendingError when it never does.
	UpdateRole(ctx context.Context, id string, d RoleDefinition, applied func(Role) bool) (Role, error)
	// DeleteRole deletes a custom role, and with it its assignments, and
	// returns once it is gone. A role that is already gone is no error.
	DeleteRole(ctx context.Context, id string) error
	// RoleAssignments returns every role assignment of a space.
	RoleAssignments(ctx context.Context, s Space) ([]RoleAssignment, error)
	// SetRoleAssignments assigns, changes or (empty RoleID) removes the
	// roles of the principals named, leaving the others alone.
	SetRoleAssignments(ctx context.Context, s Space, changes []RoleAssignment) error
}

// TransitionInventory is implemented by backends of deployments with the
// roles transition tool (Cloud): the inventory of legacy permission
// combinations no role matches yet (GET and POST
// /wiki/api/v2/space-permissions/transition/combinations).
type TransitionInventory interface {
	// PermissionCombinations returns the inventory as Confluence last
	// worked it out, all pages.
	PermissionCombinations(ctx context.Context) (CombinationInventory, error)
	// GenerateCombinations asks Confluence to work the inventory out again
	// and returns once the task doing it has finished.
	GenerateCombinations(ctx context.Context) error
}
