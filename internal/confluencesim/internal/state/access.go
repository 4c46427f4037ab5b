package state

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Caller is who a request acts as, with the principals whose grants apply to
// it: the account itself and every group it belongs to.
type Caller struct {
	accountID  string
	siteAdmin  bool
	principals []permissions.Principal
}

// Operator is the caller of the out-of-band Go API: a person changing
// permissions in the UI with every right, so that only Confluence's rules
// (not access checks) can refuse a change.
var Operator = &Caller{siteAdmin: true}

// Authenticate resolves an Authorization header: Basic base64(login:token)
// against API tokens (the login is the email on Cloud,
// contributing/confluence-api.md#cloud-addresses-and-credentials, the username
// on Data Center,
// contributing/confluence-api.md#data-center-authentication-and-xsrf) or
// Bearer token against OAuth tokens (Cloud) or personal access tokens (Data
// Center).
//
// UNVERIFIED (contributing/confluence-api.md#cloud-addresses-and-credentials):
// chose to refuse (401) the credentials of inactive and closed accounts, as a
// deactivated account cannot sign in.
func (s *Store) Authenticate(header string) (*Caller, bool) {
	scheme, value, ok := strings.Cut(header, " ")
	if !ok {
		return nil, false
	}
	value = strings.TrimSpace(value)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var accountID string
	switch {
	case strings.EqualFold(scheme, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			return nil, false
		}
		login, token, ok := strings.Cut(string(raw), ":")
		if !ok {
			return nil, false
		}
		accountID, ok = s.apiTokens[basicCredential{strings.ToLower(login), token}]
		if !ok {
			return nil, false
		}
	case strings.EqualFold(scheme, "Bearer"):
		accountID, ok = s.oauthTokens[value]
		if !ok {
			return nil, false
		}
	default:
		return nil, false
	}
	u := s.users[accountID]
	if u == nil || u.AccountStatus == "inactive" || u.AccountStatus == "closed" {
		return nil, false
	}
	return s.callerFor(u), true
}

func (s *Store) callerFor(u *User) *Caller {
	c := &Caller{accountID: u.AccountID, siteAdmin: u.SiteAdmin}
	c.principals = append(c.principals, permissions.Principal{Type: permissions.User, ID: u.AccountID})
	for _, g := range s.memberOf[u.AccountID] {
		c.principals = append(c.principals, permissions.Principal{Type: permissions.Group, ID: g})
	}
	return c
}

// holds reports whether any of the caller's principals holds op in the space:
// by a grant, or by a space role assigned there
// (contributing/confluence-api.md#space-roles).
func (c *Caller) holds(st *spaceState, op permissions.Operation) bool {
	for _, p := range c.principals {
		if st.has(p, op) {
			return true
		}
	}
	return st.roles.holdsThroughRole(st.ID, c, op)
}

// canView: only spaces the caller can view are listed or found; the others
// answer 404 as if they did not exist
// (contributing/confluence-api.md#a-404-is-not-proof-of-absence). A caller
// views a space through read/space held by its account or by one of its
// groups.
//
// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1): chose to
// let site admins (a seed flag) view every space, since they may manage every
// space's permissions and a 404 would hide the space they manage. Anonymous
// read/space does not make a space visible to signed-in callers.
func (c *Caller) canView(st *spaceState) bool {
	return c.siteAdmin || c.holds(st, permissions.ReadSpace)
}

// canManage: changing permissions needs administer/space in the space
// (contributing/confluence-api.md#permission-writes-v1) or the site-admin flag
// of the seed. On a site with roles, a role holding both Manage access to
// space and Manage space features, automation (the former "manage
// everything") manages all access as well
// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
//
// UNVERIFIED (contributing/confluence-api.md#rest-space-permissions): Data
// Center documents only "necessary permission"; chose the same rule there
// (space admin, or a Confluence administrator through the site-admin flag),
// onyx's remediation.
func (c *Caller) canManage(st *spaceState) bool {
	return c.siteAdmin || c.holds(st, permissions.AdministerSpace) ||
		c.holdsPermission(st, ManageAccessPermission) && c.holdsPermission(st, ManageFeaturesPermission)
}

// canManageRoles: setting role assignments needs what canManage needs, or
// Manage access to space alone (which on a roles-only site lets the caller
// grant what it holds, see Store.assignLimit).
func (c *Caller) canManageRoles(st *spaceState) bool {
	return c.canManage(st) || c.holdsPermission(st, ManageAccessPermission)
}

// holdsPermission reports whether the caller holds a permission of the
// catalogue in the space: a legacy one as Caller.holds does, a granular one
// through a role assigned there.
func (c *Caller) holdsPermission(st *spaceState, id PermissionID) bool {
	e, ok := catalogueEntryOf(id)
	switch {
	case !ok:
		return false
	case e.isLegacy():
		return c.holds(st, e.legacy)
	}
	return st.roles.holdsPermissionThroughRole(st.ID, c, id)
}

// permissionsIn is every catalogue permission the caller holds in the space:
// the legacy grants of its account and groups, by their key/target ids, and
// the permissions of the roles assigned there to it, its groups or an access
// class it belongs to.
func (c *Caller) permissionsIn(st *spaceState) map[PermissionID]bool {
	held := map[PermissionID]bool{}
	for _, g := range st.grants {
		if slices.Contains(c.principals, g.Principal) {
			held[PermissionID(g.Operation.String())] = true
		}
	}
	for _, a := range st.roles.assignmentsIn(st.ID) {
		if r := st.roles.role(a.roleID); r != nil && c.isRolePrincipal(a.principal) {
			for _, id := range r.Permissions {
				held[id] = true
			}
		}
	}
	return held
}
