package state

import (
	"slices"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Set-oriented changes are the unit of the Data Center APIs, which grant,
// revoke and replace lists of operations of one principal at a time
// (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#the-json-rpc-remote-api). Each change is
// checked as a whole before anything happens, so a refused request changes
// nothing. They obey the flavour's rules like the single-grant changes of
// grants.go.

// SubjectOps is the complete list of operations one principal should hold.
type SubjectOps struct {
	Principal permissions.Principal
	Ops       []permissions.Operation
}

// Administered checks that the caller may read and manage the permissions of
// the space, for APIs that check the caller before reading their input.
func (s *Store) Administered(c *Caller, key string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err := s.administered(c, key)
	return err
}

// NamedGrant is a grant with the names Data Center shows for its holder: a
// user's username and user key, a group's name; none for anonymous.
type NamedGrant struct {
	Grant
	Username, UserKey, GroupName string
}

// AdministeredGrants returns the space and its grants, in id order, when the
// caller may manage its permissions: Data Center lets only space and
// Confluence admins read permissions
// (contributing/confluence-api.md#rest-space-permissions).
func (s *Store) AdministeredGrants(c *Caller, key string) (Space, []NamedGrant, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.administered(c, key)
	if err != nil {
		return Space{}, nil, err
	}
	out := make([]NamedGrant, len(st.grants))
	for i, g := range st.grants {
		out[i].Grant = g
		switch g.Principal.Type {
		case permissions.User:
			u := s.users[g.Principal.ID]
			out[i].Username, out[i].UserKey = u.Username, u.UserKey
		case permissions.Group:
			out[i].GroupName = s.groups[g.Principal.ID].Name
		}
	}
	return st.snapshot(), out, nil
}

// GrantOps gives p every operation of ops it does not hold yet: additive and
// idempotent (contributing/confluence-api.md#rest-space-permissions: grant
// "will only add those one that weren't granted before"). It returns the
// grants it created.
func (s *Store) GrantOps(c *Caller, key string, p permissions.Principal, ops []permissions.Operation) ([]Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.manageable(c, key)
	if err != nil {
		return nil, err
	}
	holdsRead := st.has(p, permissions.ReadSpace) || slices.Contains(ops, permissions.ReadSpace)
	if err := s.checkOps(key, p, ops, holdsRead); err != nil {
		return nil, err
	}
	return s.insertMissing(st, p, ops), nil
}

// RevokeOps removes the operations of ops that p holds and silently skips the
// others (contributing/confluence-api.md#rest-space-permissions), though each
// must exist on the deployment (400,
// contributing/confluence-api.md#data-center-error-statuses). It returns every
// grant removed, with the cascade on flavours that have it.
func (s *Store) RevokeOps(c *Caller, key string, p permissions.Principal, ops []permissions.Operation) ([]Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.manageable(c, key)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		if !OfferedOn(op, s.deployment) {
			return nil, &RuleError{Rule: RuleInvalidOperation, SpaceKey: key, Principal: p, Operation: op}
		}
	}
	if err := s.checkPrincipal(key, p, permissions.Operation{}); err != nil {
		return nil, err
	}
	var gone []Grant
	for _, g := range st.grantsOf(p) {
		if slices.Contains(ops, g.Operation) || (s.rules.cascadeRead && slices.Contains(ops, permissions.ReadSpace)) {
			gone = append(gone, g)
		}
	}
	if s.rules.lastAdmin && removesLastAdmin(st.grants, gone) {
		return nil, &RuleError{Rule: RuleLastAdmin, SpaceKey: key, Principal: p, Operation: permissions.AdministerSpace}
	}
	st.remove(gone)
	return gone, nil
}

// ReplaceOps makes each named principal hold exactly its operations: those
// missing are granted, those not listed revoked, and principals not named keep
// theirs (contributing/confluence-api.md#rest-space-permissions, the bulk
// set). An empty list revokes everything the principal holds. Subjects must be
// distinct.
func (s *Store) ReplaceOps(c *Caller, key string, subjects []SubjectOps) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.manageable(c, key)
	if err != nil {
		return err
	}
	for _, sub := range subjects {
		// Without read/space in the new list nothing else may stay, so the
		// Cloud cascade needs no separate step here.
		if err := s.checkOps(key, sub.Principal, sub.Ops, slices.Contains(sub.Ops, permissions.ReadSpace)); err != nil {
			return err
		}
	}
	if s.rules.lastAdmin && !adminRemains(st, subjects) {
		return &RuleError{Rule: RuleLastAdmin, SpaceKey: key, Operation: permissions.AdministerSpace}
	}
	for _, sub := range subjects {
		var gone []Grant
		for _, g := range st.grantsOf(sub.Principal) {
			if !slices.Contains(sub.Ops, g.Operation) {
				gone = append(gone, g)
			}
		}
		st.remove(gone)
		s.insertMissing(st, sub.Principal, sub.Ops)
	}
	return nil
}

// checkOps checks that p may be given every operation of ops, knowing
// whether p will hold read/space afterwards.
func (s *Store) checkOps(key string, p permissions.Principal, ops []permissions.Operation, holdsRead bool) error {
	if err := s.checkPrincipal(key, p, permissions.Operation{}); err != nil {
		return err
	}
	for _, op := range ops {
		g := permissions.Grant{Principal: p, Operation: op}
		if err := s.checkGrantable(key, g); err != nil {
			return err
		}
		if s.refusesWithoutRead(op, holdsRead) {
			return &RuleError{Rule: RuleReadSpaceFirst, SpaceKey: key, Principal: p, Operation: op}
		}
	}
	return nil
}

// insertMissing grants the operations p lacks, read/space first, and
// returns the new grants.
func (s *Store) insertMissing(st *spaceState, p permissions.Principal, ops []permissions.Operation) []Grant {
	sorted := slices.Clone(ops)
	sortOperations(sorted)
	var added []Grant
	for _, op := range sorted {
		g := permissions.Grant{Principal: p, Operation: op}
		if !st.has(p, op) {
			added = append(added, st.insert(s.newGrantID(), g))
		}
	}
	return added
}

// adminRemains reports whether a user or group still holds administer/space
// once the subjects hold exactly their operations.
func adminRemains(st *spaceState, subjects []SubjectOps) bool {
	named := map[permissions.Principal]bool{}
	for _, sub := range subjects {
		named[sub.Principal] = true
		if sub.Principal.Type != permissions.Anonymous && slices.Contains(sub.Ops, permissions.AdministerSpace) {
			return true
		}
	}
	return slices.ContainsFunc(st.grants, func(g Grant) bool {
		return !named[g.Principal] && g.Operation == permissions.AdministerSpace && g.Principal.Type != permissions.Anonymous
	})
}
