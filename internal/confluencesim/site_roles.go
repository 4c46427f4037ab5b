package confluencesim

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Refusals of space role requests. As with the core's rules, the site
// decides which applies and the flavour renders it.
const (
	// RuleRolesNotEnabled: the site is in PRE_ROLES mode, so it has no
	// space roles.
	RuleRolesNotEnabled Rule = "roles-not-enabled"
	// RuleRoleAdminOnly: custom roles are for organization and site admins
	// (contributing/confluence-api.md#space-roles).
	RuleRoleAdminOnly Rule = "role-admin-only"
	// RuleUnknownRole: no role with that id.
	RuleUnknownRole Rule = "unknown-role"
	// RuleSystemRole: the default roles cannot be changed or deleted.
	RuleSystemRole Rule = "system-role"
	// RuleInvalidRole: a role definition is incomplete or names
	// permissions that do not exist.
	RuleInvalidRole Rule = "invalid-role"
	// RuleDuplicateRoleName: another role has the name.
	RuleDuplicateRoleName Rule = "duplicate-role-name"
	// RuleTooManyRoles: the site has its maximum of custom roles.
	RuleTooManyRoles Rule = "too-many-roles"
	// RuleInvalidAssignment: a role assignment names a principal or role
	// that does not exist, or cannot be given.
	RuleInvalidAssignment Rule = "invalid-role-assignment"
)

// RoleError is a space role request Confluence refuses; Detail says why, in
// the words the simulator answers with.
type RoleError struct {
	Rule   Rule
	Detail string
}

func (e *RoleError) Error() string { return e.Detail }

func roleErrorf(r Rule, format string, args ...any) *RoleError {
	return &RoleError{Rule: r, Detail: fmt.Sprintf(format, args...)}
}

// rolesEnabledLocked refuses role requests on sites without space roles.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): what the role
// endpoints answer on a PRE_ROLES site is not documented ("Available on
// tenants with Role-Based Access Control"); chose the refusal of every v2
// resource the caller cannot see, a 404 (see cloudRoleStatus), with this
// detail.
func (s *site) rolesEnabledLocked() error {
	if s.deployment != permissions.Cloud || s.roleMode == PreRoles {
		return roleErrorf(RuleRolesNotEnabled, "Space roles are not enabled on this site.")
	}
	return nil
}

// mayDefineRolesLocked checks a caller creating, changing or deleting a
// custom role: only site admins may (contributing/confluence-api.md#space-roles).
func (s *site) mayDefineRolesLocked(c *caller) error {
	if err := s.rolesEnabledLocked(); err != nil {
		return err
	}
	if !c.siteAdmin {
		return roleErrorf(RuleRoleAdminOnly, "Only organization and site admins can manage space roles.")
	}
	return nil
}

// roleDefinition is the body of POST and PUT /space-roles.
type roleDefinition struct {
	Name        string
	Description string
	Permissions []string
}

// checkRoleDefinitionLocked validates a definition for the role with id
// self ("" for a new role) and returns its permissions in catalogue order,
// with the required ones the site's policy adds (see rolePermissions).
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the texts are the
// simulator's.
func (s *site) checkRoleDefinitionLocked(self string, d roleDefinition) ([]PermissionID, error) {
	name := strings.TrimSpace(d.Name)
	if name == "" {
		return nil, roleErrorf(RuleInvalidRole, "A space role needs a name.")
	}
	if other := s.roles.named(name); other != nil && other.ID != self {
		return nil, roleErrorf(RuleDuplicateRoleName, "A space role named %q already exists.", other.Name)
	}
	ids, err := rolePermissions(d.Permissions, s.requiredPolicy)
	if err != nil {
		return nil, roleErrorf(RuleInvalidRole, "%s.", err)
	}
	return ids, nil
}

// roleFilter selects roles for GET /space-roles.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): space-id is
// documented as "the space ID for which to filter available space roles";
// chose that every role is available in every space (the simulator has no
// space-specific roles), and that a space the caller cannot view answers 404,
// as elsewhere in v2.
type roleFilter struct {
	// spaceID limits the roles to those available in a space and, with
	// principal, to the principal's role there. 0 does not filter.
	spaceID   int64
	roleType  RoleType
	principal *RolePrincipal
}

// rolePage returns the roles matching f, after the role with sequence
// number after, at most limit, and the sequence number to resume after
// when more follow (0 when none do).
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): chose that a
// principal filter without a space matches roles the principal holds in any
// space.
func (s *site) rolePage(c *caller, f roleFilter, after int64, limit int) ([]Role, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.rolesEnabledLocked(); err != nil {
		return nil, 0, err
	}
	if f.spaceID != 0 {
		if st := s.spacesByID[f.spaceID]; st == nil || !c.canView(st) {
			return nil, 0, roleErrorf(RuleUnknownSpace, "No space with id %d.", f.spaceID)
		}
	}
	var matching []*roleEntry
	for _, e := range s.roles.roles {
		if (f.roleType == "" || e.Type == f.roleType) && (f.principal == nil || s.roles.holds(*f.principal, e.ID, f.spaceID)) {
			matching = append(matching, e)
		}
	}
	page, resumeAfter := pageAfter(matching, func(e *roleEntry) int64 { return e.seq }, after, limit)
	out := make([]Role, len(page))
	for i, e := range page {
		out[i] = e.clone()
	}
	return out, resumeAfter, nil
}

// pageAfter returns the items whose sequence number follows after, at most
// limit, and the sequence number to resume after when more follow (0 when
// none do). items are sorted by sequence number.
func pageAfter[T any](items []T, seq func(T) int64, after int64, limit int) (page []T, resumeAfter int64) {
	i, _ := slices.BinarySearchFunc(items, after, func(item T, after int64) int {
		if seq(item) <= after {
			return -1
		}
		return 1
	})
	items = items[i:]
	if len(items) > limit {
		return items[:limit], seq(items[limit-1])
	}
	return items, 0
}

// rolesEnabled refuses role requests on sites without space roles.
func (s *site) rolesEnabled() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rolesEnabledLocked()
}

// role returns one role by id.
func (s *site) role(id string) (Role, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.rolesEnabledLocked(); err != nil {
		return Role{}, err
	}
	e := s.roles.role(id)
	if e == nil {
		return Role{}, roleErrorf(RuleUnknownRole, "No space role with id %q.", id)
	}
	return e.clone(), nil
}

// createRole adds a custom role.
func (s *site) createRole(c *caller, d roleDefinition) (Role, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.mayDefineRolesLocked(c); err != nil {
		return Role{}, err
	}
	ops, err := s.checkRoleDefinitionLocked("", d)
	if err != nil {
		return Role{}, err
	}
	if s.roles.customCount() >= maxCustomRoles {
		return Role{}, roleErrorf(RuleTooManyRoles, "A site can have at most %d custom space roles; delete one first.", maxCustomRoles)
	}
	e := s.roles.add(Role{Type: CustomRole, Name: strings.TrimSpace(d.Name), Description: d.Description, Permissions: ops})
	return e.clone(), nil
}

// customRoleLocked finds a role that may be changed or deleted.
func (s *site) customRoleLocked(c *caller, id string) (*roleEntry, error) {
	if err := s.mayDefineRolesLocked(c); err != nil {
		return nil, err
	}
	e := s.roles.role(id)
	if e == nil {
		return nil, roleErrorf(RuleUnknownRole, "No space role with id %q.", id)
	}
	if e.Type == SystemRole {
		return nil, roleErrorf(RuleSystemRole, "The default space role %q cannot be changed or deleted.", e.Name)
	}
	return e, nil
}

// updateRole accepts a change of a custom role and applies it later (see
// scheduleRoleTaskLocked). It returns the role as it still is, and the task.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles):
// anonymousReassignmentRoleId and guestReassignmentRoleId are accepted and
// ignored; the simulator models no guests, and moving anonymous access is not
// needed by any client.
func (s *site) updateRole(c *caller, id string, d roleDefinition, delay time.Duration) (Role, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.customRoleLocked(c, id)
	if err != nil {
		return Role{}, "", err
	}
	ops, err := s.checkRoleDefinitionLocked(id, d)
	if err != nil {
		return Role{}, "", err
	}
	before := e.clone()
	task := s.scheduleRoleTaskLocked(delay, func() {
		if e := s.roles.role(id); e != nil {
			e.Name, e.Description, e.Permissions = strings.TrimSpace(d.Name), d.Description, ops
		}
	})
	return before, task, nil
}

// deleteRole accepts the deletion of a custom role; later, the role goes
// and its assignments in every space with it.
func (s *site) deleteRole(c *caller, id string, delay time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.customRoleLocked(c, id); err != nil {
		return "", err
	}
	return s.scheduleRoleTaskLocked(delay, func() { s.roles.remove(id) }), nil
}

// applyNow is the delay of a role change applied at once.
const applyNow time.Duration = -1

// scheduleRoleTaskLocked runs apply, under the site's lock, once delay has
// passed, and returns the task's id: Cloud answers PUT and DELETE on
// /space-roles/{id} with 202 and a taskId and changes the role later
// (contributing/confluence-api.md#space-roles), so the role reads as before
// until then. A negative delay applies the change at once.
func (s *site) scheduleRoleTaskLocked(delay time.Duration, apply func()) string {
	task := derivedUUID(fmt.Sprintf("task %d", s.roles.nextSeq()))
	if delay < 0 {
		apply()
		return task
	}
	time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		apply()
	})
	return task
}
