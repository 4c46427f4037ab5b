package state

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Refusals of space role requests. As with the rules of grants, the state
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
	// RuleGrantWhatYouHave: the caller may give or take away only roles
	// whose permissions it holds in the space, as on roles-only sites
	// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site;
	// see Store.assignLimit for who is bound by it).
	RuleGrantWhatYouHave Rule = "grant-what-you-have"
	// RuleTransitionAdminOnly: the roles transition tool is for Confluence
	// administrators (contributing/confluence-api.md#the-roles-transition-inventory).
	RuleTransitionAdminOnly Rule = "transition-admin-only"
	// RuleUnknownTask: no transition task with that id.
	RuleUnknownTask Rule = "unknown-transition-task"
)

// RoleError is a space role request Confluence refuses; Detail says why, in
// the words the simulator answers with.
type RoleError struct {
	Rule   Rule
	Detail string
}

func (e *RoleError) Error() string { return e.Detail }

// RoleErrorf is a RoleError with its detail formatted.
func RoleErrorf(r Rule, format string, args ...any) *RoleError {
	return &RoleError{Rule: r, Detail: fmt.Sprintf(format, args...)}
}

// rolesEnabled refuses role requests on sites without space roles.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): what the role
// endpoints answer on a PRE_ROLES site is not documented ("Available on
// tenants with Role-Based Access Control"); chose the refusal of every v2
// resource the caller cannot see, a 404 (see roleRefusalStatus in the cloud package), with this
// detail.
func (s *Store) rolesEnabled() error {
	if s.deployment != permissions.Cloud || s.roleMode == PreRoles {
		return RoleErrorf(RuleRolesNotEnabled, "Space roles are not enabled on this site.")
	}
	return nil
}

// mayDefineRoles checks a caller creating, changing or deleting a
// custom role: only site admins may (contributing/confluence-api.md#space-roles).
func (s *Store) mayDefineRoles(c *Caller) error {
	if err := s.rolesEnabled(); err != nil {
		return err
	}
	if !c.siteAdmin {
		return RoleErrorf(RuleRoleAdminOnly, "Only organization and site admins can manage space roles.")
	}
	return nil
}

// RoleDefinition is the body of POST and PUT /space-roles.
type RoleDefinition struct {
	Name        string
	Description string
	Permissions []string
}

// checkRoleDefinition validates a definition for the role with id
// self ("" for a new role) and returns its permissions in catalogue order,
// with the required ones the site's policy adds (see rolePermissions).
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the texts are the
// simulator's.
func (s *Store) checkRoleDefinition(self string, d RoleDefinition) ([]PermissionID, error) {
	name := strings.TrimSpace(d.Name)
	if name == "" {
		return nil, RoleErrorf(RuleInvalidRole, "A space role needs a name.")
	}
	if other := s.roles.named(name); other != nil && other.ID != self {
		return nil, RoleErrorf(RuleDuplicateRoleName, "A space role named %q already exists.", other.Name)
	}
	ids, err := rolePermissions(d.Permissions, s.requiredPolicy)
	if err != nil {
		return nil, RoleErrorf(RuleInvalidRole, "%s.", err)
	}
	return ids, nil
}

// RoleFilter selects roles for GET /space-roles.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): space-id is
// documented as "the space ID for which to filter available space roles";
// chose that every role is available in every space (the simulator has no
// space-specific roles), and that a space the caller cannot view answers 404,
// as elsewhere in v2.
type RoleFilter struct {
	// SpaceID limits the roles to those available in a space and, with
	// Principal, to the principal's role there. 0 does not filter.
	SpaceID   int64
	RoleType  RoleType
	Principal *RolePrincipal
}

// RolePage returns the roles matching f, after the role with sequence
// number after, at most limit, and the sequence number to resume after
// when more follow (0 when none do).
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): chose that a
// principal filter without a space matches roles the principal holds in any
// space.
func (s *Store) RolePage(c *Caller, f RoleFilter, after int64, limit int) ([]Role, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.rolesEnabled(); err != nil {
		return nil, 0, err
	}
	if f.SpaceID != 0 {
		if st := s.spacesByID[f.SpaceID]; st == nil || !c.canView(st) {
			return nil, 0, RoleErrorf(RuleUnknownSpace, "No space with id %d.", f.SpaceID)
		}
	}
	var matching []*roleEntry
	for _, e := range s.roles.roles {
		if (f.RoleType == "" || e.Type == f.RoleType) && (f.Principal == nil || s.roles.holds(*f.Principal, e.ID, f.SpaceID)) {
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

// RolesEnabled refuses role requests on sites without space roles.
func (s *Store) RolesEnabled() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rolesEnabled()
}

// Role returns one role by id.
func (s *Store) Role(id string) (Role, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.rolesEnabled(); err != nil {
		return Role{}, err
	}
	e := s.roles.role(id)
	if e == nil {
		return Role{}, RoleErrorf(RuleUnknownRole, "No space role with id %q.", id)
	}
	return e.clone(), nil
}

// CreateRole adds a custom role.
func (s *Store) CreateRole(c *Caller, d RoleDefinition) (Role, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.mayDefineRoles(c); err != nil {
		return Role{}, err
	}
	ops, err := s.checkRoleDefinition("", d)
	if err != nil {
		return Role{}, err
	}
	if s.roles.customCount() >= maxCustomRoles {
		return Role{}, RoleErrorf(RuleTooManyRoles, "A site can have at most %d custom space roles; delete one first.", maxCustomRoles)
	}
	e := s.roles.add(Role{Type: CustomRole, Name: strings.TrimSpace(d.Name), Description: d.Description, Permissions: ops})
	return e.clone(), nil
}

// customRole finds a role that may be changed or deleted.
func (s *Store) customRole(c *Caller, id string) (*roleEntry, error) {
	if err := s.mayDefineRoles(c); err != nil {
		return nil, err
	}
	e := s.roles.role(id)
	if e == nil {
		return nil, RoleErrorf(RuleUnknownRole, "No space role with id %q.", id)
	}
	if e.Type == SystemRole {
		return nil, RoleErrorf(RuleSystemRole, "The default space role %q cannot be changed or deleted.", e.Name)
	}
	return e, nil
}

// UpdateRole accepts a change of a custom role and applies it later (see
// scheduleRoleTask). It returns the role as it still is, and the task.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles):
// anonymousReassignmentRoleId and guestReassignmentRoleId are accepted and
// ignored; the simulator models no guests, and moving anonymous access is not
// needed by any client.
func (s *Store) UpdateRole(c *Caller, id string, d RoleDefinition, delay time.Duration) (Role, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.customRole(c, id)
	if err != nil {
		return Role{}, "", err
	}
	ops, err := s.checkRoleDefinition(id, d)
	if err != nil {
		return Role{}, "", err
	}
	before := e.clone()
	task := s.scheduleRoleTask(delay, func() {
		if e := s.roles.role(id); e != nil {
			e.Name, e.Description, e.Permissions = strings.TrimSpace(d.Name), d.Description, ops
		}
	})
	return before, task, nil
}

// DeleteRole accepts the deletion of a custom role; later, the role goes
// and its assignments in every space with it.
func (s *Store) DeleteRole(c *Caller, id string, delay time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.customRole(c, id); err != nil {
		return "", err
	}
	return s.scheduleRoleTask(delay, func() { s.roles.remove(id) }), nil
}

// ApplyNow is the delay of a role change applied at once.
const ApplyNow time.Duration = -1

// scheduleRoleTask runs apply, under the Store's lock, once delay has
// passed, and returns the task's id: Cloud answers PUT and DELETE on
// /space-roles/{id} with 202 and a taskId and changes the role later
// (contributing/confluence-api.md#space-roles), so the role reads as before
// until then. A negative delay applies the change at once.
func (s *Store) scheduleRoleTask(delay time.Duration, apply func()) string {
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

// Roles returns every space role, the default ones first, then custom roles
// as they were created. A site without space roles has none.
func (s *Store) Roles() []Role {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.rolesEnabled() != nil {
		return nil
	}
	out := make([]Role, len(s.roles.roles))
	for i, e := range s.roles.roles {
		out[i] = e.clone()
	}
	return out
}

// RoleNamed returns the role with the name, ignoring case.
func (s *Store) RoleNamed(name string) (Role, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := s.roles.named(name)
	if e == nil || s.rolesEnabled() != nil {
		return Role{}, false
	}
	return e.clone(), true
}
