package confluencesim

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The out-of-band Go API changes the site as a person in the Confluence UI
// would: with every access right, but under the same rules as the REST API
// (no duplicates, roles-only sites refuse legacy grants, and the flavour's
// read/space first, last admin and Cloud cascade). It speaks in internal
// terms on every flavour: users by accountId, groups by id. Tests use it to
// arrange state and to make drift behind the provider's back.

// Space returns the space with the key.
func (s *Server) Space(key string) (Space, bool) {
	s.site.mu.RLock()
	defer s.site.mu.RUnlock()
	st := s.site.spacesByKey[key]
	if st == nil {
		return Space{}, false
	}
	return st.snapshot(), true
}

// Spaces returns every space, by id.
func (s *Server) Spaces() []Space { return s.site.spaces(operator, spaceFilter{}) }

// Grants returns the grants of a space, by id.
func (s *Server) Grants(spaceKey string) ([]Grant, error) {
	s.site.mu.RLock()
	defer s.site.mu.RUnlock()
	st := s.site.spacesByKey[spaceKey]
	if st == nil {
		return nil, &RuleError{Rule: RuleUnknownSpace, SpaceKey: spaceKey}
	}
	return slices.Clone(st.grants), nil
}

// AddGrant gives op to p in the space.
func (s *Server) AddGrant(spaceKey string, p permissions.Principal, op permissions.Operation) (Grant, error) {
	return s.site.addGrant(operator, spaceKey, permissions.Grant{Principal: p, Operation: op})
}

// RemoveGrant removes a grant by id and returns every grant removed with it.
func (s *Server) RemoveGrant(spaceKey string, id int64) ([]Grant, error) {
	return s.site.removeGrant(operator, spaceKey, id)
}

// RemoveGrantOf removes p's op in the space and returns every grant removed
// with it.
func (s *Server) RemoveGrantOf(spaceKey string, p permissions.Principal, op permissions.Operation) ([]Grant, error) {
	s.site.mu.RLock()
	st := s.site.spacesByKey[spaceKey]
	var id int64
	found := false
	if st != nil {
		id, found = st.byPair[permissions.Grant{Principal: p, Operation: op}]
	}
	s.site.mu.RUnlock()
	if st == nil {
		return nil, &RuleError{Rule: RuleUnknownSpace, SpaceKey: spaceKey}
	}
	if !found {
		return nil, &RuleError{Rule: RuleUnknownGrant, SpaceKey: spaceKey, Principal: p, Operation: op}
	}
	return s.RemoveGrant(spaceKey, id)
}

// CreateSpace adds a space with its initial grants, checked like a seed
// space (it needs an admin). The id is assigned when zero.
func (s *Server) CreateSpace(sp SeedSpace) (Space, error) {
	var created Space
	err := s.changeSeed(func(seed *Seed) { seed.Spaces = append(seed.Spaces, sp) }, func(st *site) {
		if sp.ID == 0 {
			sp.ID = st.freeSpaceIDLocked(nil)
		}
		created = st.addSpaceLocked(sp, time.Now()).snapshot()
	})
	return created, err
}

// DeleteSpace removes a space and its grants.
func (s *Server) DeleteSpace(key string) error {
	s.site.mu.Lock()
	defer s.site.mu.Unlock()
	st := s.site.spacesByKey[key]
	if st == nil {
		return &RuleError{Rule: RuleUnknownSpace, SpaceKey: key}
	}
	delete(s.site.spacesByKey, key)
	delete(s.site.spacesByID, st.ID)
	s.site.roles.forgetSpace(st.ID)
	return nil
}

// AddUser adds a user account, checked like a seed user.
func (s *Server) AddUser(u SeedUser) error {
	return s.changeSeed(func(seed *Seed) { seed.Users = append(seed.Users, u) }, func(st *site) { st.addUserLocked(u) })
}

// AddCredential lets requests authenticate as an existing account.
func (s *Server) AddCredential(c SeedCredential) error {
	return s.changeSeed(func(seed *Seed) { seed.Credentials = append(seed.Credentials, c) }, func(st *site) { st.addCredentialLocked(c) })
}

// AddGroup adds a group, checked like a seed group.
func (s *Server) AddGroup(g SeedGroup) error {
	return s.changeSeed(func(seed *Seed) { seed.Groups = append(seed.Groups, g) }, func(st *site) { st.addGroupLocked(g) })
}

// AddGroupMember puts an account into a group.
func (s *Server) AddGroupMember(groupID, accountID string) error {
	s.site.mu.Lock()
	defer s.site.mu.Unlock()
	g := s.site.groups[groupID]
	switch {
	case g == nil:
		return &RuleError{Rule: RuleUnknownGroup, Principal: permissions.Principal{Type: permissions.Group, ID: groupID}}
	case s.site.users[accountID] == nil:
		return &RuleError{Rule: RuleUnknownUser, Principal: permissions.Principal{Type: permissions.User, ID: accountID}}
	case slices.Contains(g.Members, accountID):
		return fmt.Errorf("%s is already a member of group %s", accountID, g.Name)
	}
	g.Members = append(g.Members, accountID)
	s.site.memberOf[accountID] = append(s.site.memberOf[accountID], groupID)
	return nil
}

// User returns the account with the accountId.
func (s *Server) User(accountID string) (User, bool) { return s.site.user(accountID) }

// Group returns the group with the id.
func (s *Server) Group(id string) (Group, bool) { return s.site.group(id) }

// RoleMode returns the site's space permission model.
func (s *Server) RoleMode() RoleMode { return s.site.currentRoleMode() }

// SetRoleMode switches the site's space permission model.
func (s *Server) SetRoleMode(m RoleMode) error {
	if !m.valid() {
		return fmt.Errorf("role mode %q is not one of %s, %s, %s", m, PreRoles, RolesTransition, RolesOnly)
	}
	s.site.mu.Lock()
	defer s.site.mu.Unlock()
	if s.site.deployment == permissions.DataCenter && m != PreRoles {
		return fmt.Errorf("role mode %q: space roles exist on Confluence Cloud only", m)
	}
	s.site.roleMode = m
	return nil
}

// Snapshot exports the site as a seed: feeding it to New gives the same
// spaces, users, groups, credentials and grants (grant ids are reassigned).
func (s *Server) Snapshot() Seed {
	s.site.mu.RLock()
	defer s.site.mu.RUnlock()
	return s.site.seedLocked()
}

// changeSeed validates a change as part of the whole site, then applies it,
// so that out-of-band additions obey exactly the seed's rules.
func (s *Server) changeSeed(edit func(*Seed), apply func(*site)) error {
	s.site.mu.Lock()
	defer s.site.mu.Unlock()
	seed := s.site.seedLocked()
	edit(&seed)
	if err := seed.validate(s.site.deployment, s.site.rules); err != nil {
		return err
	}
	apply(s.site)
	return nil
}

func (s *site) seedLocked() Seed {
	seed := Seed{RoleMode: s.roleMode}
	for _, u := range sortedValues(s.users, func(u *User) string { return u.AccountID }) {
		seed.Users = append(seed.Users, SeedUser{
			AccountID: u.AccountID, DisplayName: u.DisplayName, Email: u.Email,
			AccountType: u.AccountType, AccountStatus: u.AccountStatus, SiteAdmin: u.SiteAdmin,
			Username: u.Username, UserKey: u.UserKey,
		})
	}
	for _, g := range sortedValues(s.groups, func(g *Group) string { return g.ID }) {
		seed.Groups = append(seed.Groups, SeedGroup{ID: g.ID, Name: g.Name, Members: slices.Clone(g.Members)})
	}
	seed.Credentials = s.credentialsLocked()
	for _, st := range sortedValues(s.spacesByKey, func(st *spaceState) string { return st.Key }) {
		seed.Spaces = append(seed.Spaces, st.seed())
	}
	s.exportRolesLocked(&seed)
	return seed
}

func (s *site) credentialsLocked() []SeedCredential {
	var out []SeedCredential
	for c, id := range s.apiTokens {
		out = append(out, SeedCredential{AccountID: id, APIToken: c.token})
	}
	for token, id := range s.oauthTokens {
		out = append(out, SeedCredential{AccountID: id, OAuthToken: token})
	}
	slices.SortFunc(out, func(a, b SeedCredential) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.APIToken, b.APIToken), cmp.Compare(a.OAuthToken, b.OAuthToken))
	})
	return out
}

func (st *spaceState) seed() SeedSpace {
	sp := SeedSpace{
		ID: st.ID, Key: st.Key, Name: st.Name, Type: st.Type, Status: st.Status,
		Labels: slices.Clone(st.Labels), AuthorID: st.AuthorID, CreatedAt: st.CreatedAt,
	}
	index := map[permissions.Principal]int{}
	for _, g := range st.grants {
		i, ok := index[g.Principal]
		if !ok {
			i = len(sp.Grants)
			index[g.Principal] = i
			sp.Grants = append(sp.Grants, SeedGrant{Principal: SeedPrincipal{Type: string(g.Principal.Type), ID: g.Principal.ID}})
		}
		sp.Grants[i].Operations = append(sp.Grants[i].Operations, g.Operation.String())
	}
	return sp
}

func sortedValues[V any](m map[string]V, key func(V) string) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b V) int { return cmp.Compare(key(a), key(b)) })
	return out
}
