package confluencesim

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
// site_grants.go.

// subjectOps is the complete list of operations one principal should hold.
type subjectOps struct {
	principal permissions.Principal
	ops       []permissions.Operation
}

// administered checks that the caller may read and manage the permissions of
// the space, for APIs that check the caller before reading their input.
func (s *site) administered(c *caller, key string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err := s.administeredLocked(c, key)
	return err
}

// readAdministered runs read under the read lock with a space whose
// permissions the caller may manage: Data Center lets only space and
// Confluence admins read permissions
// (contributing/confluence-api.md#rest-space-permissions). read may look at
// the site's users and groups too.
func (s *site) readAdministered(c *caller, key string, read func(*spaceState)) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.administeredLocked(c, key)
	if err != nil {
		return err
	}
	read(st)
	return nil
}

// grantOps gives p every operation of ops it does not hold yet: additive and
// idempotent (contributing/confluence-api.md#rest-space-permissions: grant
// "will only add those one that weren't granted before"). It returns the
// grants it created.
func (s *site) grantOps(c *caller, key string, p permissions.Principal, ops []permissions.Operation) ([]Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.manageableLocked(c, key)
	if err != nil {
		return nil, err
	}
	holdsRead := st.has(p, permissions.ReadSpace) || slices.Contains(ops, permissions.ReadSpace)
	if err := s.checkOpsLocked(key, p, ops, holdsRead); err != nil {
		return nil, err
	}
	return s.insertMissingLocked(st, p, ops), nil
}

// revokeOps removes the operations of ops that p holds and silently skips the
// others (contributing/confluence-api.md#rest-space-permissions), though each
// must exist on the deployment (400,
// contributing/confluence-api.md#data-center-error-statuses). It returns every
// grant removed, with the cascade on flavours that have it.
func (s *site) revokeOps(c *caller, key string, p permissions.Principal, ops []permissions.Operation) ([]Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.manageableLocked(c, key)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		if !offeredOn(op, s.deployment) {
			return nil, &RuleError{Rule: RuleInvalidOperation, SpaceKey: key, Principal: p, Operation: op}
		}
	}
	if err := s.checkPrincipalLocked(key, p, permissions.Operation{}); err != nil {
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
	st.deleteLocked(gone)
	return gone, nil
}

// replaceOps makes each named principal hold exactly its operations: those
// missing are granted, those not listed revoked, and principals not named keep
// theirs (contributing/confluence-api.md#rest-space-permissions, the bulk
// set). An empty list revokes everything the principal holds. Subjects must be
// distinct.
func (s *site) replaceOps(c *caller, key string, subjects []subjectOps) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.manageableLocked(c, key)
	if err != nil {
		return err
	}
	for _, sub := range subjects {
		// Without read/space in the new list nothing else may stay, so the
		// Cloud cascade needs no separate step here.
		if err := s.checkOpsLocked(key, sub.principal, sub.ops, slices.Contains(sub.ops, permissions.ReadSpace)); err != nil {
			return err
		}
	}
	if s.rules.lastAdmin && !adminRemains(st, subjects) {
		return &RuleError{Rule: RuleLastAdmin, SpaceKey: key, Operation: permissions.AdministerSpace}
	}
	for _, sub := range subjects {
		var gone []Grant
		for _, g := range st.grantsOf(sub.principal) {
			if !slices.Contains(sub.ops, g.Operation) {
				gone = append(gone, g)
			}
		}
		st.deleteLocked(gone)
		s.insertMissingLocked(st, sub.principal, sub.ops)
	}
	return nil
}

// checkOpsLocked checks that p may be given every operation of ops, knowing
// whether p will hold read/space afterwards.
func (s *site) checkOpsLocked(key string, p permissions.Principal, ops []permissions.Operation, holdsRead bool) error {
	if err := s.checkPrincipalLocked(key, p, permissions.Operation{}); err != nil {
		return err
	}
	for _, op := range ops {
		g := permissions.Grant{Principal: p, Operation: op}
		if err := s.checkGrantableLocked(key, g); err != nil {
			return err
		}
		if s.refusesWithoutRead(op, holdsRead) {
			return &RuleError{Rule: RuleReadSpaceFirst, SpaceKey: key, Principal: p, Operation: op}
		}
	}
	return nil
}

// insertMissingLocked grants the operations p lacks, read/space first, and
// returns the new grants.
func (s *site) insertMissingLocked(st *spaceState, p permissions.Principal, ops []permissions.Operation) []Grant {
	sorted := slices.Clone(ops)
	sortOperations(sorted)
	var added []Grant
	for _, op := range sorted {
		g := permissions.Grant{Principal: p, Operation: op}
		if !st.has(p, op) {
			added = append(added, st.insertLocked(s.newGrantIDLocked(), g))
		}
	}
	return added
}

// adminRemains reports whether a user or group still holds administer/space
// once the subjects hold exactly their operations.
func adminRemains(st *spaceState, subjects []subjectOps) bool {
	named := map[permissions.Principal]bool{}
	for _, sub := range subjects {
		named[sub.principal] = true
		if sub.principal.Type != permissions.Anonymous && slices.Contains(sub.ops, permissions.AdministerSpace) {
			return true
		}
	}
	return slices.ContainsFunc(st.grants, func(g Grant) bool {
		return !named[g.Principal] && g.Operation == permissions.AdministerSpace && g.Principal.Type != permissions.Anonymous
	})
}
