package state

import (
	"slices"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// RoleMode is a Cloud site's space permission model, as answered by
// GET /wiki/api/v2/space-role-mode (contributing/confluence-api.md#space-roles).
type RoleMode string

const (
	// PreRoles: legacy per-permission grants only.
	PreRoles RoleMode = "PRE_ROLES"
	// RolesTransition: legacy grants and roles side by side.
	RolesTransition RoleMode = "ROLES_TRANSITION"
	// RolesOnly: roles only; legacy grant writes are refused.
	RolesOnly RoleMode = "ROLES"
)

// Valid reports whether m is one of the three modes.
func (m RoleMode) Valid() bool {
	return m == PreRoles || m == RolesTransition || m == RolesOnly
}

// Space is a snapshot of one space.
type Space struct {
	ID     int64
	Key    string
	Name   string
	Type   string // global, personal, collaboration, ... (v2 SpaceType)
	Status string // current or archived (v2 SpaceStatus)
	Labels []string
	// AuthorID is the accountId of the space's creator ("" when unknown).
	AuthorID  string
	CreatedAt time.Time
}

// User is a snapshot of one user account.
type User struct {
	AccountID     string
	DisplayName   string
	Email         string
	AccountType   string // atlassian, app, customer, unknown (v2 AccountType)
	AccountStatus string // active, inactive, closed, unknown (v2 AccountStatus)
	// SiteAdmin lets the account view and manage every space: a site admin
	// on Cloud, a Confluence administrator on Data Center.
	SiteAdmin bool
	// Username and UserKey are the account's Data Center identity: the name
	// people sign in with and the immutable key the REST API addresses users
	// by
	// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
	// Both are set on every flavour.
	Username string
	UserKey  string
}

// Group is a snapshot of one group.
type Group struct {
	ID      string
	Name    string
	Members []string // accountIds
}

func (g *Group) snapshot() Group {
	out := *g
	out.Members = slices.Clone(g.Members)
	return out
}

// Grant is one space permission as the site stores it. Its ID is unique
// across the site and is the v1 id (what POST answers and DELETE takes); v2
// reads show the same number, or it plus DistinctPermissionIDOffset with
// ListView.DistinctIDs.
type Grant struct {
	ID        int64
	SpaceKey  string
	Principal permissions.Principal
	Operation permissions.Operation
}

// Pair is the grant without its id: who holds which operation.
func (g Grant) Pair() permissions.Grant {
	return permissions.Grant{Principal: g.Principal, Operation: g.Operation}
}

// AnonymousIdentifier is how Cloud names anonymous access where a user id is
// expected: the v1 subject identifier
// (contributing/confluence-api.md#permission-writes-v1), and, with
// AnonymousAsUser, the v2 principal id. It can therefore never be an
// accountId.
const AnonymousIdentifier = "anonymous"

// UserPrincipal is the account with the accountId.
func UserPrincipal(accountID string) permissions.Principal {
	return permissions.Principal{Type: permissions.User, ID: accountID}
}

// GroupPrincipal is the group with the id.
func GroupPrincipal(id string) permissions.Principal {
	return permissions.Principal{Type: permissions.Group, ID: id}
}

// Enumerations from the v2 spec schemas SpaceType, SpaceStatus, AccountType
// and AccountStatus; Data Center spaces are global or personal
// (contributing/confluence-api.md#data-center-spaces-and-paging).
var (
	cloudSpaceTypes = []string{"global", "collaboration", "knowledge_base", "personal", "system", "onboarding", "xflow_sample_space"}
	dcSpaceTypes    = []string{"global", "personal"}
	spaceStatuses   = []string{"current", "archived"}
	accountTypes    = []string{"atlassian", "app", "customer", "unknown"}
	accountStatuses = []string{"active", "inactive", "closed", "unknown"}
)

// SpaceTypes lists the space types of a deployment: Data Center's on Data
// Center, Cloud's otherwise.
func SpaceTypes(d permissions.Deployment) []string {
	if d == permissions.DataCenter {
		return slices.Clone(dcSpaceTypes)
	}
	return slices.Clone(cloudSpaceTypes)
}

// SpaceStatuses lists the statuses a space can have on either deployment.
func SpaceStatuses() []string { return slices.Clone(spaceStatuses) }
