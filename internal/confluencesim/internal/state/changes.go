package state

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The changes below are the out-of-band Go API's: they act as Operator,
// name users by accountId and groups by id on every flavour, and obey the
// rules a seed obeys, so that the site stays one a seed could describe.

// CreateSpace adds a space with its initial grants, checked like a seed
// space (it needs an admin where the rules say so). The id is assigned when
// zero.
func (s *Store) CreateSpace(sp SeedSpace) (Space, error) {
	var created Space
	err := s.changeSeed(func(seed *Seed) { seed.Spaces = append(seed.Spaces, sp) }, func() {
		if sp.ID == 0 {
			sp.ID = s.freeSpaceID(nil)
		}
		created = s.addSpace(sp, time.Now()).snapshot()
	})
	return created, err
}

// DeleteSpace removes a space, its grants and its role assignments.
func (s *Store) DeleteSpace(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.spacesByKey[key]
	if st == nil {
		return &RuleError{Rule: RuleUnknownSpace, SpaceKey: key}
	}
	delete(s.spacesByKey, key)
	delete(s.spacesByID, st.ID)
	s.roles.forgetSpace(st.ID)
	return nil
}

// AddUser adds a user account, checked like a seed user.
func (s *Store) AddUser(u SeedUser) error {
	return s.changeSeed(func(seed *Seed) { seed.Users = append(seed.Users, u) }, func() { s.addUser(u) })
}

// AddCredential lets requests authenticate as an existing account.
func (s *Store) AddCredential(c SeedCredential) error {
	return s.changeSeed(func(seed *Seed) { seed.Credentials = append(seed.Credentials, c) }, func() { s.addCredential(c) })
}

// AddGroup adds a group, checked like a seed group.
func (s *Store) AddGroup(g SeedGroup) error {
	return s.changeSeed(func(seed *Seed) { seed.Groups = append(seed.Groups, g) }, func() { s.addGroup(g) })
}

// AddGroupMember puts an account into a group.
func (s *Store) AddGroupMember(groupID, accountID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[groupID]
	switch {
	case g == nil:
		return &RuleError{Rule: RuleUnknownGroup, Principal: GroupPrincipal(groupID)}
	case s.users[accountID] == nil:
		return &RuleError{Rule: RuleUnknownUser, Principal: UserPrincipal(accountID)}
	case slices.Contains(g.Members, accountID):
		return fmt.Errorf("%s is already a member of group %s", accountID, g.Name)
	}
	g.Members = append(g.Members, accountID)
	s.memberOf[accountID] = append(s.memberOf[accountID], groupID)
	return nil
}

// SetRoleMode switches the site's space permission model.
func (s *Store) SetRoleMode(m RoleMode) error {
	if !m.Valid() {
		return fmt.Errorf("role mode %q is not one of %s, %s, %s", m, PreRoles, RolesTransition, RolesOnly)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deployment == permissions.DataCenter && m != PreRoles {
		return fmt.Errorf("role mode %q: space roles exist on Confluence Cloud only", m)
	}
	s.roleMode = m
	return nil
}

// Snapshot exports the site as a seed: building a site from it gives the
// same spaces, users, groups, credentials and grants (grant ids are
// reassigned).
func (s *Store) Snapshot() Seed {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.exportSeed()
}

// changeSeed validates a change as part of the whole site, then applies it,
// so that out-of-band additions obey exactly the seed's rules.
func (s *Store) changeSeed(edit func(*Seed), apply func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	seed := s.exportSeed()
	edit(&seed)
	if err := seed.validate(s.deployment, s.rules); err != nil {
		return err
	}
	apply()
	return nil
}

func (s *Store) exportSeed() Seed {
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
	seed.Credentials = s.credentials()
	for _, st := range sortedValues(s.spacesByKey, func(st *spaceState) string { return st.Key }) {
		seed.Spaces = append(seed.Spaces, st.seed())
	}
	s.exportRoles(&seed)
	return seed
}

func (s *Store) credentials() []SeedCredential {
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
