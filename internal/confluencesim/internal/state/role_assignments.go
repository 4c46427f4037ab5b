package state

import (
	"slices"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// AssignmentFilter selects assignments for GET /spaces/{id}/role-assignments.
// Empty fields do not filter.
type AssignmentFilter struct {
	RoleID    string
	RoleType  RoleType
	Principal *RolePrincipal
}

// matches reports whether the assignment of role r passes the filter.
func (f AssignmentFilter) matches(a *assignmentEntry, r *roleEntry) bool {
	return (f.RoleID == "" || a.roleID == f.RoleID) &&
		(f.RoleType == "" || r != nil && r.Type == f.RoleType) &&
		(f.Principal == nil || a.principal == *f.Principal)
}

// RoleAssignmentPage returns the assignments of a space the caller can view
// that match f, after sequence number after, at most limit, and the
// sequence number to resume after when more follow (0 when none do).
func (s *Store) RoleAssignmentPage(c *Caller, spaceID int64, f AssignmentFilter, after int64, limit int) ([]RoleAssignment, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, err := s.roleSpace(c, spaceID)
	if err != nil {
		return nil, 0, err
	}
	var matching []*assignmentEntry
	for _, a := range s.roles.assignmentsIn(spaceID) {
		if f.matches(a, s.roles.role(a.roleID)) {
			matching = append(matching, a)
		}
	}
	page, resumeAfter := pageAfter(matching, func(a *assignmentEntry) int64 { return a.seq }, after, limit)
	out := make([]RoleAssignment, len(page))
	for i, a := range page {
		out[i] = RoleAssignment{SpaceKey: st.Key, Principal: a.principal, RoleID: a.roleID}
	}
	return out, resumeAfter, nil
}

// roleSpace finds a space for a role assignment request: roles must be
// enabled and the caller must view the space
// (contributing/confluence-api.md#space-roles).
func (s *Store) roleSpace(c *Caller, spaceID int64) (*spaceState, error) {
	if err := s.rolesEnabled(); err != nil {
		return nil, err
	}
	st := s.spacesByID[spaceID]
	if st == nil || !c.canView(st) {
		return nil, RoleErrorf(RuleUnknownSpace, "No space with id %d.", spaceID)
	}
	return st, nil
}

// AssignmentChange is one entry of POST /spaces/{id}/role-assignments: a
// role for the principal, or no role (RoleID "") to remove its assignment.
type AssignmentChange struct {
	Principal RolePrincipal
	RoleID    string
}

// SetRoleAssignments applies the entries to a space: each principal named
// gets its role or loses its assignment, others are left alone. Every
// entry is checked before any is applied, so the request succeeds or fails
// as a whole (200 only when it succeeded in its entirety,
// contributing/confluence-api.md#space-roles).
// It returns the assignments the named principals now hold.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): that principals not
// named are left alone is inferred from the spec's description; removing an
// assignment that does not exist is not an error (the spec says "if it
// exists").
func (s *Store) SetRoleAssignments(c *Caller, spaceID int64, changes []AssignmentChange) ([]RoleAssignment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.roleSpace(c, spaceID)
	if err != nil {
		return nil, err
	}
	if !c.canManage(st) {
		// The spec lists no 403: a caller who may not set roles in the
		// space gets the 404 of a space it cannot find.
		return nil, RoleErrorf(RuleNotSpaceAdmin, "You are not allowed to manage roles in space %s.", st.Key)
	}
	named := map[RolePrincipal]bool{}
	for _, ch := range changes {
		if named[ch.Principal] {
			// UNVERIFIED (contributing/confluence-api.md#space-roles): chose
			// to refuse a principal named twice rather than guess which entry
			// wins.
			return nil, RoleErrorf(RuleInvalidAssignment, "%s is named more than once.", ch.Principal)
		}
		named[ch.Principal] = true
		if err := s.checkAssignment(ch); err != nil {
			return nil, err
		}
	}
	var out []RoleAssignment
	for _, ch := range changes {
		if ch.RoleID == "" {
			s.roles.unassign(spaceID, ch.Principal)
			continue
		}
		s.roles.assign(spaceID, ch.Principal, ch.RoleID)
		out = append(out, RoleAssignment{SpaceKey: st.Key, Principal: ch.Principal, RoleID: ch.RoleID})
	}
	return out, nil
}

// checkAssignment refuses entries naming a principal or role that does
// not exist.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the record gives no
// texts; an unknown user, group, access class or role is a 400, as for legacy
// grants. Anonymous access cannot be given a role that administers the space,
// as legacy anonymous grants cannot
// (contributing/confluence-api.md#permission-writes-v1).
func (s *Store) checkAssignment(ch AssignmentChange) error {
	p := ch.Principal
	switch {
	case p.Type == RoleUser && s.users[p.ID] == nil:
		return RoleErrorf(RuleInvalidAssignment, "No user found with the given accountId: %s", p.ID)
	case p.Type == RoleGroup && s.groups[p.ID] == nil:
		return RoleErrorf(RuleInvalidAssignment, "No group found with the given groupId: %s", p.ID)
	case p.Type == RoleAccessClass && !slices.Contains(AccessClasses, p.ID):
		return RoleErrorf(RuleInvalidAssignment, "%q is not an access class; use one of %v.", p.ID, AccessClasses)
	case !p.Type.Valid():
		return RoleErrorf(RuleInvalidAssignment, "Principal type %q is not one of USER, GROUP, ACCESS_CLASS.", p.Type)
	case ch.RoleID == "":
		return nil
	}
	r := s.roles.role(ch.RoleID)
	if r == nil {
		return RoleErrorf(RuleInvalidAssignment, "No space role with id %q.", ch.RoleID)
	}
	if p == (RolePrincipal{RoleAccessClass, AnonymousUsers}) && r.Grants(permissions.AdministerSpace) {
		return RoleErrorf(RuleInvalidAssignment, "Anonymous users cannot be given the role %q, which administers the space.", r.Name)
	}
	return nil
}
