package confluencesim

import (
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Flavour is the deployment the simulator imitates.
type Flavour string

const (
	// Cloud is Confluence Cloud: v2 reads, v1 permission writes.
	Cloud Flavour = "cloud"
	// DataCenter is Confluence Data Center: the 9.1+ REST permission API and
	// the legacy JSON-RPC remote API
	// (contributing/confluence-api.md#confluence-data-center).
	DataCenter Flavour = "datacenter"
)

// Title names the product in messages.
func (f Flavour) Title() string {
	switch f {
	case Cloud:
		return "Confluence Cloud"
	case DataCenter:
		return "Confluence Data Center"
	}
	return "Confluence (" + string(f) + ")"
}

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

func (m RoleMode) valid() bool {
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

// Grant is one space permission as the site stores it. Its ID is unique
// across the site and is the v1 id (what POST answers and DELETE takes); v2
// reads show the same number, or it plus DistinctPermissionIDOffset with
// Options.DistinctPermissionIDs.
type Grant struct {
	ID        int64
	SpaceKey  string
	Principal permissions.Principal
	Operation permissions.Operation
}

func (g Grant) pair() permissions.Grant {
	return permissions.Grant{Principal: g.Principal, Operation: g.Operation}
}

// anonymousIdentifier is how Cloud names anonymous access where a user id is
// expected: the v1 subject identifier
// (contributing/confluence-api.md#permission-writes-v1), and, with
// AnonymousAsUser, the v2 principal id. It can therefore never be an
// accountId.
const anonymousIdentifier = "anonymous"

func userPrincipal(accountID string) permissions.Principal {
	return permissions.Principal{Type: permissions.User, ID: accountID}
}

func groupPrincipal(id string) permissions.Principal {
	return permissions.Principal{Type: permissions.Group, ID: id}
}
