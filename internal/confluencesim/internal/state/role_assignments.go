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
// gets its role or loses its assignment, others are left alone. It answers
// success only when every entry was applied (200 "succeeds in its
// entirety", contributing/confluence-api.md#space-roles), and returns the
// assignments the named principals now hold. When an entry is refused, the
// entries before it stay applied or not, as the site's AssignmentFailure
// says.
//
// UNVERIFIED (contributing/confluence-api.md#role-assignment-requests-that-fail):
// the document does not say what a refused request leaves applied; chose
// to apply the entries before the refused one by default
// (AssignmentsUpToFailure), the answer that is harder on clients, with
// AssignmentsAllOrNothing, which checks every entry before applying any, as
// the other. That principals not named are left alone is inferred from the
// spec's description; removing an assignment that does not exist is not an
// error (the spec says "if it exists").
func (s *Store) SetRoleAssignments(c *Caller, spaceID int64, changes []AssignmentChange) ([]RoleAssignment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.roleSpace(c, spaceID)
	if err != nil {
		return nil, err
	}
	if !c.canManageRoles(st) {
		// The spec lists no 403: a caller who may not set roles in the
		// space gets the 404 of a space it cannot find.
		return nil, RoleErrorf(RuleNotSpaceAdmin, "You are not allowed to manage roles in space %s.", st.Key)
	}
	limit := s.assignLimit(c, st) // what the caller holds before the request
	named := map[RolePrincipal]bool{}
	check := func(ch AssignmentChange) error {
		if named[ch.Principal] {
			// UNVERIFIED (contributing/confluence-api.md#space-roles): chose
			// to refuse a principal named twice rather than guess which entry
			// wins.
			return RoleErrorf(RuleInvalidAssignment, "%s is named more than once.", ch.Principal)
		}
		named[ch.Principal] = true
		if err := s.checkAssignment(ch); err != nil {
			return err
		}
		return s.checkWithinLimit(st, limit, ch)
	}
	apply := func(ch AssignmentChange) {
		if ch.RoleID == "" {
			s.roles.unassign(spaceID, ch.Principal)
		} else {
			s.roles.assign(spaceID, ch.Principal, ch.RoleID)
		}
	}
	if s.assignmentFailure == AssignmentsAllOrNothing {
		for _, ch := range changes {
			if err := check(ch); err != nil {
				return nil, err
			}
		}
		for _, ch := range changes {
			apply(ch)
		}
	} else {
		for _, ch := range changes {
			if err := check(ch); err != nil {
				return nil, err
			}
			apply(ch)
		}
	}
	var out []RoleAssignment
	for _, ch := range changes {
		if ch.RoleID != "" {
			out = append(out, RoleAssignment{SpaceKey: st.Key, Principal: ch.Principal, RoleID: ch.RoleID})
		}
	}
	return out, nil
}

// assignLimit is the set of permissions whose roles the caller may give or
// take away in the space, nil for any role
// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site):
// product admins may assign any role; on a site in transition, so may the
// holders of administer/space (the former legacy admins) and of both Manage
// access to space and Manage space features, automation; on a roles-only site
// everyone else grants what they hold.
//
// UNVERIFIED (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site):
// the announcement does not say what a caller holding Manage access to space
// without the features permission may assign on a site in transition;
// chose "what it holds", as on a roles-only site.
func (s *Store) assignLimit(c *Caller, st *spaceState) map[PermissionID]bool {
	if c.siteAdmin || s.grantPolicy == GrantAnyRole {
		return nil
	}
	held := c.permissionsIn(st)
	if s.roleMode == RolesTransition &&
		(held[PermissionID(permissions.AdministerSpace.String())] || held[ManageAccessPermission] && held[ManageFeaturesPermission]) {
		return nil
	}
	return held
}

// checkWithinLimit refuses an entry that gives or takes away a role holding a
// permission outside limit (see assignLimit): the role given, and the role
// the principal loses when it had another.
//
// UNVERIFIED (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site):
// the announcement says product admins may "grant or remove access with any
// role"; chose that taking a role away is limited like giving it. The text is
// the simulator's; it names the permission the caller lacks.
func (s *Store) checkWithinLimit(st *spaceState, limit map[PermissionID]bool, ch AssignmentChange) error {
	if limit == nil {
		return nil
	}
	var roles []*roleEntry
	if r := s.roles.role(ch.RoleID); r != nil {
		roles = append(roles, r)
	}
	if a := s.roles.assignmentOf(st.ID, ch.Principal); a != nil && a.roleID != ch.RoleID {
		if r := s.roles.role(a.roleID); r != nil {
			roles = append(roles, r)
		}
	}
	for i, r := range roles {
		for _, id := range r.Permissions {
			if limit[id] {
				continue
			}
			e, _ := catalogueEntryOf(id)
			verb := "give"
			if i > 0 || ch.RoleID == "" {
				verb = "take away"
			}
			return RoleErrorf(RuleGrantWhatYouHave,
				"You cannot %s the role %q in space %s: it includes the permission %q (%s), which you do not hold there. On this site you can grant only the permissions you hold.",
				verb, r.Name, st.Key, e.DisplayName, id)
		}
	}
	return nil
}

// GrantPolicy limits the roles callers may assign.
type GrantPolicy string

const (
	// GrantWhatYouHave: on roles-only sites, callers other than product
	// admins may give or take away only roles whose permissions they hold
	// in the space (see assignLimit).
	GrantWhatYouHave GrantPolicy = "what-you-have"
	// GrantAnyRole: whoever may set roles in a space may assign any role.
	GrantAnyRole GrantPolicy = "any-role"
)

// AssignmentFailure is what a refused entry of a role assignment request
// leaves applied.
type AssignmentFailure string

const (
	// AssignmentsUpToFailure: the entries before the refused one stay
	// applied.
	AssignmentsUpToFailure AssignmentFailure = "applied-up-to-failure"
	// AssignmentsAllOrNothing: every entry is checked before any is applied,
	// so a refused request changes nothing.
	AssignmentsAllOrNothing AssignmentFailure = "all-or-nothing"
)

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
