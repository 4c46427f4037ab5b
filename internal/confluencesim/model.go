package confluencesim

import (
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// The site's vocabulary is the state's (internal/state); the names below
// let tests and tools use it without reaching into internal packages.

// Snapshots of the site's content.
type (
	// Space is a snapshot of one space.
	Space = state.Space
	// User is a snapshot of one user account.
	User = state.User
	// Group is a snapshot of one group.
	Group = state.Group
	// Grant is one space permission; its ID is the v1 id.
	Grant = state.Grant
)

// RoleMode is a Cloud site's space permission model, as answered by
// GET /wiki/api/v2/space-role-mode (contributing/confluence-api.md#space-roles).
type RoleMode = state.RoleMode

const (
	// PreRoles: legacy per-permission grants only.
	PreRoles = state.PreRoles
	// RolesTransition: legacy grants and roles side by side.
	RolesTransition = state.RolesTransition
	// RolesOnly: roles only; legacy grant writes are refused.
	RolesOnly = state.RolesOnly
)

// Rule names one of Confluence's refusals: the state decides which rule a
// change breaks, each flavour words it.
type Rule = state.Rule

// The refusals of grant changes and of space role requests.
const (
	RuleUnknownSpace      = state.RuleUnknownSpace
	RuleNotSpaceAdmin     = state.RuleNotSpaceAdmin
	RuleRolesOnly         = state.RuleRolesOnly
	RuleFreeEdition       = state.RuleFreeEdition
	RuleInvalidOperation  = state.RuleInvalidOperation
	RuleUnknownUser       = state.RuleUnknownUser
	RuleUnknownGroup      = state.RuleUnknownGroup
	RuleAnonymousAdmin    = state.RuleAnonymousAdmin
	RuleReadSpaceFirst    = state.RuleReadSpaceFirst
	RuleDuplicateGrant    = state.RuleDuplicateGrant
	RuleUnknownGrant      = state.RuleUnknownGrant
	RuleLastAdmin         = state.RuleLastAdmin
	RuleRolesNotEnabled   = state.RuleRolesNotEnabled
	RuleRoleAdminOnly     = state.RuleRoleAdminOnly
	RuleUnknownRole       = state.RuleUnknownRole
	RuleSystemRole        = state.RuleSystemRole
	RuleInvalidRole       = state.RuleInvalidRole
	RuleDuplicateRoleName = state.RuleDuplicateRoleName
	RuleTooManyRoles      = state.RuleTooManyRoles
	RuleInvalidAssignment = state.RuleInvalidAssignment
	RuleGrantWhatYouHave  = state.RuleGrantWhatYouHave
	// The transition tool's refusals.
	RuleTransitionAdminOnly = state.RuleTransitionAdminOnly
	RuleUnknownTask         = state.RuleUnknownTask
)

type (
	// RuleError is a grant change Confluence refuses.
	RuleError = state.RuleError
	// RoleError is a space role request Confluence refuses.
	RoleError = state.RoleError
)

// IsRule reports whether err is a refusal by rule r, of a grant change or
// of a space role request.
func IsRule(err error, r Rule) bool { return state.IsRule(err, r) }

// Space roles (contributing/confluence-api.md#space-roles).
type (
	// Role is a snapshot of one space role.
	Role = state.Role
	// RoleType tells Confluence's default roles from a site's own.
	RoleType = state.RoleType
	// RolePrincipal is a user (accountId), a group (groupId) or an access
	// class a role is assigned to.
	RolePrincipal = state.RolePrincipal
	// RolePrincipalType is who a role is assigned to.
	RolePrincipalType = state.RolePrincipalType
	// RoleAssignment is one principal's role in one space.
	RoleAssignment = state.RoleAssignment
	// PermissionID is the id of a permission of the catalogue roles are
	// made of.
	PermissionID = state.PermissionID
)

// The permissions that decide who may manage a space's access on a site
// with roles (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
const (
	// ManageAccessPermission is "Manage access to space".
	ManageAccessPermission = state.ManageAccessPermission
	// ManageFeaturesPermission is "Manage space features, automation".
	ManageFeaturesPermission = state.ManageFeaturesPermission
)

const (
	SystemRole = state.SystemRole
	CustomRole = state.CustomRole

	RoleUser        = state.RoleUser
	RoleGroup       = state.RoleGroup
	RoleAccessClass = state.RoleAccessClass

	// The access classes: the ids of ACCESS_CLASS principals.
	AnonymousUsers     = state.AnonymousUsers
	JSMProjectAdmins   = state.JSMProjectAdmins
	AuthenticatedUsers = state.AuthenticatedUsers
	AllLicensedUsers   = state.AllLicensedUsers
	AllProductAdmins   = state.AllProductAdmins

	// The default roles, whose ids are fixed so that seeds, tests and
	// examples can name them.
	AdminRoleID        = state.AdminRoleID
	ManagerRoleID      = state.ManagerRoleID
	CollaboratorRoleID = state.CollaboratorRoleID
	ViewerRoleID       = state.ViewerRoleID
)

// AccessClasses lists every access class id.
var AccessClasses = state.AccessClasses

// DistinctPermissionIDOffset is what Options.DistinctPermissionIDs adds to
// a grant's v1 id to make its id in the v2 permission list. It is far above
// any id the site hands out, so a v2 id is never a v1 id.
const DistinctPermissionIDOffset = state.DistinctPermissionIDOffset

// UnmatchedRoute stands in for the route template of requests to paths the
// simulator does not serve, in request counts and fault rules.
const UnmatchedRoute = route.UnmatchedRoute
