package confluencesim

import (
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The out-of-band Go API changes the site as a person in the Confluence UI
// would: with every access right, but under the same rules as the REST API
// (no duplicates, roles-only sites refuse legacy grants, and the flavour's
// read/space first, last admin and Cloud cascade). It speaks in internal
// terms on every flavour: users by accountId, groups by id. Tests use it to
// arrange state and to make drift behind the provider's back.

// Space returns the space with the key.
func (s *Server) Space(key string) (Space, bool) { return s.store.Space(key) }

// Spaces returns every space, by id.
func (s *Server) Spaces() []Space { return s.store.Spaces(state.Operator, state.SpaceFilter{}) }

// Grants returns the grants of a space, by id.
func (s *Server) Grants(spaceKey string) ([]Grant, error) { return s.store.Grants(spaceKey) }

// AddGrant gives op to p in the space.
func (s *Server) AddGrant(spaceKey string, p permissions.Principal, op permissions.Operation) (Grant, error) {
	return s.store.AddGrant(state.Operator, spaceKey, permissions.Grant{Principal: p, Operation: op})
}

// RemoveGrant removes a grant by id and returns every grant removed with it.
func (s *Server) RemoveGrant(spaceKey string, id int64) ([]Grant, error) {
	return s.store.RemoveGrant(state.Operator, spaceKey, id)
}

// RemoveGrantOf removes p's op in the space and returns every grant removed
// with it.
func (s *Server) RemoveGrantOf(spaceKey string, p permissions.Principal, op permissions.Operation) ([]Grant, error) {
	return s.store.RemoveGrantOf(spaceKey, p, op)
}

// CreateSpace adds a space with its initial grants, checked like a seed
// space (it needs an admin). The id is assigned when zero.
func (s *Server) CreateSpace(sp SeedSpace) (Space, error) { return s.store.CreateSpace(sp) }

// DeleteSpace removes a space and its grants.
func (s *Server) DeleteSpace(key string) error { return s.store.DeleteSpace(key) }

// AddUser adds a user account, checked like a seed user.
func (s *Server) AddUser(u SeedUser) error { return s.store.AddUser(u) }

// AddCredential lets requests authenticate as an existing account.
func (s *Server) AddCredential(c SeedCredential) error { return s.store.AddCredential(c) }

// AddGroup adds a group, checked like a seed group.
func (s *Server) AddGroup(g SeedGroup) error { return s.store.AddGroup(g) }

// AddGroupMember puts an account into a group.
func (s *Server) AddGroupMember(groupID, accountID string) error {
	return s.store.AddGroupMember(groupID, accountID)
}

// User returns the account with the accountId.
func (s *Server) User(accountID string) (User, bool) { return s.store.User(accountID) }

// UserByUsername returns the account with the Data Center username,
// ignoring case.
func (s *Server) UserByUsername(username string) (User, bool) {
	return s.store.UserByUsername(username)
}

// UserByKey returns the account with the Data Center user key.
func (s *Server) UserByKey(userKey string) (User, bool) { return s.store.UserByKey(userKey) }

// Group returns the group with the id.
func (s *Server) Group(id string) (Group, bool) { return s.store.Group(id) }

// GroupByName returns the group with the name, ignoring case.
func (s *Server) GroupByName(name string) (Group, bool) { return s.store.GroupByName(name) }

// RoleMode returns the site's space permission model.
func (s *Server) RoleMode() RoleMode { return s.store.RoleMode() }

// SetRoleMode switches the site's space permission model.
func (s *Server) SetRoleMode(m RoleMode) error { return s.store.SetRoleMode(m) }

// Snapshot exports the site as a seed: feeding it to New gives the same
// spaces, users, groups, credentials and grants (grant ids are reassigned).
func (s *Server) Snapshot() Seed { return s.store.Snapshot() }
