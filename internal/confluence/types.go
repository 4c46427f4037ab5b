// Package confluence is the provider's API client. It knows nothing about
// Terraform. A Backend speaks one deployment's wire format (Cloud, Data
// Center REST, Data Center remote API); Client sits on top of any backend and
// adds what every caller needs: space lookups batched across concurrent
// callers, the grants of a space read once and shared, writes serialised per
// space, read/space ordered first, and errors that say what to do.
package confluence

import (
	"context"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Space is a Confluence space.
type Space struct {
	// ID is the numeric space id as a string (Cloud v2 uses it in paths).
	ID     string
	Key    string
	Name   string
	Type   string // global, personal, collaboration, ...
	Status string // current, archived
}

// SpacesOf maps a backend's JSON rows of spaces.
func SpacesOf[R interface{ Space() Space }](rows []R) []Space {
	spaces := make([]Space, len(rows))
	for i, row := range rows {
		spaces[i] = row.Space()
	}
	return spaces
}

// SpaceFilter selects spaces. Empty fields do not filter.
type SpaceFilter struct {
	Keys   []string
	Type   string
	Status string
	Labels []string
}

// StoredGrant is one permission as Confluence stores and reports it, with
// its Confluence id; permissions.Grant is the same grant without one.
type StoredGrant struct {
	// ID is the Cloud permission id needed to remove the grant; empty on Data
	// Center, which addresses grants by principal and operation.
	ID        string
	Principal permissions.Principal
	Operation permissions.Operation
}

// Domain returns the grant without its id.
func (g StoredGrant) Domain() permissions.Grant {
	return permissions.Grant{Principal: g.Principal, Operation: g.Operation}
}

// User is a Confluence user.
type User struct {
	// ID is what grants name the user by: accountId on Cloud, userKey on
	// Data Center.
	ID string
	// Username is the Data Center login name (empty on Cloud).
	Username string
	// Key is the Data Center user key, which survives renames (empty on
	// Cloud).
	Key         string
	DisplayName string
	Email       string
	// AccountType is Cloud's atlassian, app or customer ("" on Data Center).
	AccountType string
	Active      bool
}

// Group is a Confluence group.
type Group struct {
	// ID is what grants name the group by: groupId on Cloud, the group name
	// on Data Center.
	ID   string
	Name string
}

// RoleMode is a Cloud site's space permission model.
type RoleMode string

const (
	// PreRoles: legacy per-permission grants only.
	PreRoles RoleMode = "PRE_ROLES"
	// RolesTransition: legacy grants and roles side by side.
	RolesTransition RoleMode = "ROLES_TRANSITION"
	// RolesOnly: roles only; legacy grant writes are refused.
	RolesOnly RoleMode = "ROLES"
)

// Backend speaks one deployment's API. Implementations translate between
// the wire format and these types and return *Error for API failures. They
// do no caching and no ordering: Client does.
type Backend interface {
	Deployment() permissions.Deployment

	// ListSpaces returns every space matching the filter, all pages.
	ListSpaces(ctx context.Context, f SpaceFilter) ([]Space, error)
	// SpacesByKey returns the spaces with these keys in as few requests as
	// the API allows. Keys that do not exist, or that the caller cannot
	// see, are simply absent from the result.
	SpacesByKey(ctx context.Context, keys []string) ([]Space, error)

	// SpaceGrants returns every grant in the space, all pages.
	SpaceGrants(ctx context.Context, s Space) ([]StoredGrant, error)
	// AddGrant creates one grant and returns it as stored.
	AddGrant(ctx context.Context, s Space, g permissions.Grant) (StoredGrant, error)
	// RemoveGrant removes one grant previously returned by SpaceGrants or
	// AddGrant. A grant that no longer exists is either no error or an
	// error satisfying IsNotFound; the client re-reads the space after the
	// latter to tell "already gone" from "addressed wrongly".
	RemoveGrant(ctx context.Context, s Space, g StoredGrant) error
	// RemovingReadCascades reports whether removing read/space also removes
	// the principal's other grants in the space (Cloud documents it).
	RemovingReadCascades() bool

	// User looks a user up by the id a principal carries on this deployment
	// (accountId on Cloud, username or userKey on Data Center).
	User(ctx context.Context, id string) (User, error)
	// Group looks a group up by the id a principal carries (groupId on
	// Cloud, name on Data Center).
	Group(ctx context.Context, id string) (Group, error)
	// GroupByName finds a group by its exact name.
	GroupByName(ctx context.Context, name string) (Group, error)
}
