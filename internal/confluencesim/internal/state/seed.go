package state

import (
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Seed is the initial content of a simulated site. It is written as JSON
// (see the simulator's seeds/demo.json) or built in Go. Validate reports
// every problem at once, naming where it is.
type Seed struct {
	// RoleMode defaults to PRE_ROLES.
	RoleMode    RoleMode         `json:"roleMode,omitempty"`
	Users       []SeedUser       `json:"users"`
	Groups      []SeedGroup      `json:"groups,omitempty"`
	Credentials []SeedCredential `json:"credentials"`
	Spaces      []SeedSpace      `json:"spaces"`
	// Roles are custom space roles (Cloud, roleMode ROLES_TRANSITION or
	// ROLES); the default roles need no seeding.
	Roles []SeedRole `json:"roles,omitempty"`
}

// SeedUser is a user account.
type SeedUser struct {
	AccountID   string `json:"accountId"`
	DisplayName string `json:"displayName"`
	// Email is what Basic authentication pairs with an API token.
	Email string `json:"email,omitempty"`
	// AccountType defaults to atlassian.
	AccountType string `json:"accountType,omitempty"`
	// AccountStatus defaults to active.
	AccountStatus string `json:"accountStatus,omitempty"`
	// SiteAdmin lets the account view and manage every space: a site admin
	// on Cloud, a Confluence administrator on Data Center.
	SiteAdmin bool `json:"siteAdmin,omitempty"`
	// Username is the Data Center sign-in name; it defaults to the local
	// part of Email, else to the accountId.
	Username string `json:"username,omitempty"`
	// UserKey is the immutable Data Center user key
	// (contributing/confluence-api.md#data-center-users-user-keys-and-groups),
	// an opaque string such as "4028800d98315ec60198315f45c00000"; it defaults
	// to 32 hex digits derived from the accountId, so that it is stable.
	UserKey string `json:"userKey,omitempty"`
}

// SeedGroup is a group; Members are accountIds.
type SeedGroup struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members,omitempty"`
}

// SeedCredential lets requests act as an account. The same two secrets
// serve both flavours, so that one seed runs the same scenarios on Cloud and
// Data Center:
//
//   - APIToken goes with Basic authentication: "Basic base64(email:token)" on
//     Cloud (contributing/confluence-api.md#cloud-addresses-and-credentials),
//     "Basic base64(username:token)" on Data Center, where it plays the
//     account's password
//     (contributing/confluence-api.md#data-center-authentication-and-xsrf);
//   - OAuthToken goes with "Authorization: Bearer token": an OAuth token on
//     Cloud (contributing/confluence-api.md#cloud-addresses-and-credentials),
//     a personal access token on Data Center
//     (contributing/confluence-api.md#data-center-authentication-and-xsrf).
//
// Separate password and PAT fields would only let a seed give one account
// different secrets per flavour, which no test needs.
type SeedCredential struct {
	AccountID  string `json:"accountId"`
	APIToken   string `json:"apiToken,omitempty"`
	OAuthToken string `json:"oauthToken,omitempty"`
}

// SeedSpace is a space with its initial grants.
type SeedSpace struct {
	// ID is assigned when zero.
	ID   int64  `json:"id,omitempty"`
	Key  string `json:"key"`
	Name string `json:"name"`
	// Type defaults to global; Status defaults to current.
	Type   string   `json:"type,omitempty"`
	Status string   `json:"status,omitempty"`
	Labels []string `json:"labels,omitempty"`
	// AuthorID defaults to the first user granted administer/space.
	AuthorID string `json:"authorId,omitempty"`
	// CreatedAt defaults to the time the site was built.
	CreatedAt time.Time   `json:"createdAt,omitzero"`
	Grants    []SeedGrant `json:"grants"`
	// RoleAssignments give principals space roles (Cloud, roleMode
	// ROLES_TRANSITION or ROLES).
	RoleAssignments []SeedRoleAssignment `json:"roleAssignments,omitempty"`
}

// SeedGrant gives one principal a list of operations ("key/target").
type SeedGrant struct {
	Principal  SeedPrincipal `json:"principal"`
	Operations []string      `json:"operations"`
}

// SeedPrincipal names a user (by accountId), a group (by id) or anonymous
// (no id).
type SeedPrincipal struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
}

func (p SeedPrincipal) principal() permissions.Principal {
	return permissions.Principal{Type: permissions.PrincipalType(p.Type), ID: p.ID}
}
