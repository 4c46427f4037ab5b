package confluence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cache"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Roles is the space role API of a site, through the client: the site's
// roles are read once per process and shared, as are each space's
// assignments, until a write changes them; role names resolve to ids with
// an error that lists the roles there are; failed writes are explained.
type Roles struct {
	c   *Client
	api SpaceRoles

	list        cache.Value[[]Role]
	catalogue   cache.Value[Catalogue]
	assignments cache.Keyed[string, []RoleAssignment] // by space key

}

// Roles returns the client's space role API; ok is false on deployments
// without space roles (Data Center). Whether a Cloud site has them enabled
// is CheckEnabled's business.
func (c *Client) Roles() (*Roles, bool) {
	c.rolesOnce.Do(func() {
		if api, ok := c.backend.(SpaceRoles); ok {
			c.roles = &Roles{c: c, api: api}
		}
	})
	return c.roles, c.roles != nil
}

// CheckEnabled returns a *RolesNotEnabledError unless the site is in
// ROLES_TRANSITION or ROLES mode. The mode is read once per process.
func (r *Roles) CheckEnabled(ctx context.Context) error {
	mode, ok, err := r.c.RoleMode(ctx)
	switch {
	case err != nil:
		return err
	case !ok:
		return &RolesNotEnabledError{}
	case mode == PreRoles:
		return &RolesNotEnabledError{Mode: mode}
	}
	return nil
}

// List returns every role of the site, default roles first.
func (r *Roles) List(ctx context.Context) ([]Role, error) {
	roles, err := r.list.Get(ctx, r.api.ListRoles)
	if err != nil {
		return nil, r.c.explain(ctx, reading, "reading the site's space roles", "", permissions.Grant{}, err)
	}
	out := make([]Role, len(roles))
	for i, role := range roles {
		out[i] = role
		out[i].Permissions = slices.Clone(role.Permissions)
	}
	return out, nil
}

// ByName finds a role by its exact name, or else by a unique match that
// ignores case. A name no role has gives an *UnknownRoleError listing the
// roles there are.
func (r *Roles) ByName(ctx context.Context, name string) (Role, error) {
	roles, err := r.List(ctx)
	if err != nil {
		return Role{}, err
	}
	if role, ok := roleNamed(roles, name); ok {
		return role, nil
	}
	return Role{}, &UnknownRoleError{Name: name, Roles: roles}
}

// ByID finds a role in the site's list by id, with the same error as
// ByName.
func (r *Roles) ByID(ctx context.Context, id string) (Role, error) {
	roles, err := r.List(ctx)
	if err != nil {
		return Role{}, err
	}
	if i := slices.IndexFunc(roles, func(role Role) bool { return role.ID == id }); i >= 0 {
		return roles[i], nil
	}
	return Role{}, &UnknownRoleError{ID: id, Roles: roles}
}

func roleNamed(roles []Role, name string) (Role, bool) {
	if i := slices.IndexFunc(roles, func(r Role) bool { return r.Name == name }); i >= 0 {
		return roles[i], true
	}
	var match []Role
	for _, r := range roles {
		if strings.EqualFold(r.Name, name) {
			match = append(match, r)
		}
	}
	if len(match) == 1 {
		return match[0], true
	}
	return Role{}, false
}

// Get reads one role from Confluence, bypassing the shared list: what a
// resource reads to notice changes made since. A role that does not exist
// gives an error satisfying IsNotFound.
func (r *Roles) Get(ctx context.Context, id string) (Role, error) {
	role, err := r.api.Role(ctx, id)
	if err != nil {
		return Role{}, r.c.explainAbout(ctx, reading, "reading space role "+id, subject{roleID: id}, err)
	}
	return role, nil
}

// Catalogue returns the permissions a role can hold on this site, read once
// per process.
func (r *Roles) Catalogue(ctx context.Context) (Catalogue, error) {
	return r.catalogue.Get(ctx, func(ctx context.Context) (Catalogue, error) {
		list, err := r.api.PermissionCatalogue(ctx)
		if err != nil {
			return nil, r.c.explain(ctx, reading, "reading the site's catalogue of space role permissions", "", permissions.Grant{}, err)
		}
		c := make(Catalogue, len(list))
		for _, p := range list {
			c[p.ID] = p
		}
		return c, nil
	})
}

// Create creates a custom role. When the request fails in a way that leaves
// open whether Confluence created it (a lost answer, a server error), the
// roles are read again and a role defined as asked is adopted: the creation
// is never blindly repeated (DESIGN.md, "Client rules"). Confluence may
// add permissions that the ones asked for require; Added says which.
func (r *Roles) Create(ctx context.Context, d RoleDefinition) (RoleChange, error) {
	defer r.list.Invalidate()
	role, err := r.api.CreateRole(ctx, d)
	if err == nil {
		return newRoleChange(role, d), nil
	}
	if retryableWrite(err) {
		if roles, lerr := r.api.ListRoles(ctx); lerr == nil {
			if have, ok := roleNamed(roles, d.Name); ok && have.Type == CustomRole && r.holds(ctx, have, d) {
				return newRoleChange(have, d), nil
			}
		}
	}
	return RoleChange{}, r.c.explainAbout(ctx, definingRoles, fmt.Sprintf("creating space role %q", d.Name), subject{role: &d}, err)
}

// RoleChange is a role as Confluence holds it after a write, and the
// permissions it holds beyond those asked for: the ones they require, which
// Confluence may add by itself.
type RoleChange struct {
	Role  Role
	Added []string
}

func newRoleChange(role Role, d RoleDefinition) RoleChange {
	asked := make(map[string]bool, len(d.Permissions))
	for _, id := range d.Permissions {
		asked[id] = true
	}
	ch := RoleChange{Role: role}
	for _, id := range role.Permissions {
		if !asked[id] {
			ch.Added = append(ch.Added, id)
		}
	}
	return ch
}

// holds reports whether the role is d, up to permissions that d's require
// (which Confluence may have added).
func (r *Roles) holds(ctx context.Context, role Role, d RoleDefinition) bool {
	if role.Name != d.Name || role.Description != d.Description {
		return false
	}
	for _, id := range d.Permissions {
		if !slices.Contains(role.Permissions, id) {
			return false
		}
	}
	catalogue, _ := r.Catalogue(ctx) // unreadable: nothing is known to be required
	required := catalogue.Required(d.Permissions)
	for _, id := range newRoleChange(role, d).Added {
		if !slices.Contains(required, id) {
			return false
		}
	}
	return true
}

// Update changes a custom role and returns it once Confluence has applied
// the change. Confluence applies it later (PUT answers 202), so the role is
// read until it shows the change: its name and description as asked, every
// permission asked for, and none of its former permissions that were not
// asked for, unless the new ones require it. Permissions Confluence added
// on its own do not keep the wait going; Added names them.
func (r *Roles) Update(ctx context.Context, id string, d RoleDefinition) (RoleChange, error) {
	defer r.list.Invalidate()
	action := fmt.Sprintf("updating space role %s", id)
	before, err := r.api.Role(ctx, id)
	if err != nil {
		return RoleChange{}, r.c.explainAbout(ctx, definingRoles, action, subject{roleID: id, role: &d}, err)
	}
	catalogue, _ := r.Catalogue(ctx) // unreadable: nothing is known to be required
	role, err := r.api.UpdateRole(ctx, id, d, updateApplied(before, d, catalogue.Required(d.Permissions)))
	if err != nil {
		return RoleChange{}, r.c.explainAbout(ctx, definingRoles, action, subject{roleID: id, role: &d}, err)
	}
	return newRoleChange(role, d), nil
}

// updateApplied tells a role that shows the update to d from one that does
// not yet, given the role before and the permissions d's require.
func updateApplied(before Role, d RoleDefinition, required []string) func(Role) bool {
	asked := make(map[string]bool, len(d.Permissions))
	for _, id := range d.Permissions {
		asked[id] = true
	}
	return func(now Role) bool {
		if now.Name != d.Name || now.Description != d.Description {
			return false
		}
		have := make(map[string]bool, len(now.Permissions))
		for _, id := range now.Permissions {
			have[id] = true
		}
		for id := range asked {
			if !have[id] {
				return false
			}
		}
		for _, id := range before.Permissions {
			if have[id] && !asked[id] && !slices.Contains(required, id) {
				return false // still to be removed
			}
		}
		return true
	}
}

// Delete deletes a custom role, and with it its assignments in every
// space, and returns once it is gone. A role already gone is no error.
func (r *Roles) Delete(ctx context.Context, id string) error {
	defer r.assignments.InvalidateAll()
	defer r.list.Invalidate()
	if err := r.api.DeleteRole(ctx, id); err != nil {
		return r.c.explainAbout(ctx, definingRoles, fmt.Sprintf("deleting space role %s", id), subject{roleID: id}, err)
	}
	return nil
}

// diagnoseDefinition finds out why Confluence refused a role definition
// with a 400: a name another role has, a permission the site does not know,
// or a permission without those it requires.
func (r *Roles) diagnoseDefinition(ctx context.Context, id string, d RoleDefinition) string {
	if d.Name != "" {
		if roles, err := r.api.ListRoles(ctx); err == nil {
			if other, ok := roleNamed(roles, d.Name); ok && other.ID != id {
				return fmt.Sprintf("A %s role named %q already exists (id %s): choose another name, or manage that role by importing its id",
					strings.ToLower(string(other.Type)), other.Name, other.ID)
			}
		}
	}
	catalogue, err := r.Catalogue(ctx)
	if err != nil {
		return ""
	}
	if unknown := catalogue.Unknown(d.Permissions); len(unknown) > 0 {
		return fmt.Sprintf("This site has no role permission %s; its permissions are %s",
			strings.Join(unknown, ", "), strings.Join(catalogue.IDs(), ", "))
	}
	if missing := catalogue.Required(d.Permissions); len(missing) > 0 {
		return fmt.Sprintf("The permissions need %s as well (the site's catalogue of role permissions says so): add them to the role",
			strings.Join(missing, ", "))
	}
	return ""
}

// Assignment returns the role assignment of p in the space; found is false
// when p has no role there. A space that does not exist gives an error
// satisfying IsNotFound.
func (r *Roles) Assignment(ctx context.Context, spaceKey string, p RolePrincipal) (a RoleAssignment, found bool, err error) {
	list, err := r.spaceAssignments(ctx, spaceKey)
	if err != nil {
		return RoleAssignment{}, false, r.c.explain(ctx, reading, "reading the role assignments of space "+spaceKey, spaceKey, permissions.Grant{}, err)
	}
	if i := slices.IndexFunc(list, func(a RoleAssignment) bool { return a.Principal == p }); i >= 0 {
		return list[i], true, nil
	}
	return RoleAssignment{}, false, nil
}

// spaceAssignments returns the cached assignments of a space, reading them
// when needed (see readAt for a space not found at its id).
func (r *Roles) spaceAssignments(ctx context.Context, spaceKey string) ([]RoleAssignment, error) {
	space, err := r.c.spaces.Lookup(ctx, spaceKey)
	if err != nil {
		return nil, err
	}
	list, err := readAt(ctx, r.c.spaces, space, func(ctx context.Context, space Space) ([]RoleAssignment, error) {
		return r.assignments.Get(ctx, space.Key, func(ctx context.Context) ([]RoleAssignment, error) {
			return r.api.RoleAssignments(ctx, space)
		})
	})
	return slices.Clone(list), err
}

// SpaceAssignments returns every role assignment of the space, of every
// principal type (those the provider cannot manage included: see
// RolePrincipalType.Managed).
func (r *Roles) SpaceAssignments(ctx context.Context, spaceKey string) ([]RoleAssignment, error) {
	list, err := r.spaceAssignments(ctx, spaceKey)
	if err != nil {
		return nil, r.c.explain(ctx, reading, "reading the role assignments of space "+spaceKey, spaceKey, permissions.Grant{}, err)
	}
	return list, nil
}

// SetSpaceAssignments makes the roles of every principal the provider can
// manage in the space exactly desired (principal → role id): principals
// not in desired lose their role, and principals of other types are left
// alone. All changes go in one request (split only where Confluence's body
// limit requires); it returns how many principals changed.
func (r *Roles) SetSpaceAssignments(ctx context.Context, spaceKey string, desired map[RolePrincipal]string) (int, error) {
	action := "setting the role assignments of space " + spaceKey
	for p := range desired {
		if err := ValidateRolePrincipal(p); err != nil {
			return 0, r.c.explain(ctx, assigningRoles, action, spaceKey, permissions.Grant{}, err)
		}
	}
	space, err := r.c.spaces.Lookup(ctx, spaceKey)
	if err != nil {
		return 0, r.c.explain(ctx, assigningRoles, action, spaceKey, permissions.Grant{}, err)
	}
	w := r.c.spaceWrites(space.Key)
	w.rw.Lock() // the whole space's assignments must hold still
	defer w.rw.Unlock()
	current, err := r.spaceAssignments(ctx, spaceKey)
	if err != nil {
		return 0, r.c.explain(ctx, assigningRoles, action, spaceKey, permissions.Grant{}, err)
	}
	changes := AssignmentChanges(current, desired)
	if len(changes) == 0 {
		return 0, nil
	}
	err = r.api.SetRoleAssignments(ctx, space, changes)
	r.assignments.Invalidate(spaceKey)
	if err != nil {
		return 0, r.incomplete(ctx, space, changes, r.c.explain(ctx, assigningRoles, action, spaceKey, permissions.Grant{}, err))
	}
	return len(changes), nil
}

// incomplete reads the space again after a failed change and says which
// of the changes landed.
func (r *Roles) incomplete(ctx context.Context, space Space, changes []RoleAssignment, err error) error {
	e := &IncompleteAssignmentError{SpaceKey: space.Key, Err: err, roleName: func(id string) string {
		if role, err := r.ByID(ctx, id); err == nil {
			return role.Name
		}
		return "role " + id
	}}
	after, rerr := r.spaceAssignments(ctx, space.Key)
	if rerr != nil {
		return e
	}
	held := map[RolePrincipal]string{}
	for _, a := range after {
		held[a.Principal] = a.RoleID
	}
	for _, ch := range changes {
		if held[ch.Principal] == ch.RoleID {
			e.Done = append(e.Done, ch)
		} else {
			e.NotDone = append(e.NotDone, ch)
		}
	}
	return e
}

// AssignmentChanges lists what turns the current assignments of a space
// into desired for the principals the provider manages: a role set for
// every principal whose role is new or different, and a removal (no role
// id) for every managed principal desired does not name. Sorted by
// principal, so that requests are reproducible.
func AssignmentChanges(current []RoleAssignment, desired map[RolePrincipal]string) []RoleAssignment {
	held := map[RolePrincipal]string{}
	for _, a := range current {
		if a.Principal.Type.Managed() {
			held[a.Principal] = a.RoleID
		}
	}
	var changes []RoleAssignment
	for p, role := range desired {
		if held[p] != role {
			changes = append(changes, RoleAssignment{Principal: p, RoleID: role})
		}
	}
	for p := range held {
		if _, keep := desired[p]; !keep {
			changes = append(changes, RoleAssignment{Principal: p})
		}
	}
	slices.SortFunc(changes, func(a, b RoleAssignment) int {
		return strings.Compare(string(a.Principal.Type)+":"+a.Principal.ID, string(b.Principal.Type)+":"+b.Principal.ID)
	})
	return changes
}

// Assign gives p the role in the space, replacing the role it had there.
// Other principals' assignments are left alone.
func (r *Roles) Assign(ctx context.Context, spaceKey string, p RolePrincipal, roleID string) error {
	action := fmt.Sprintf("assigning role %s to %s", roleID, p)
	if roleID == "" {
		return r.c.explain(ctx, assigningRoles, action, spaceKey, permissions.Grant{}, errors.New("assigning a role needs a role id"))
	}
	return r.set(ctx, spaceKey, RoleAssignment{Principal: p, RoleID: roleID}, action)
}

// Unassign removes p's role assignment in the space. An assignment, or a
// space, that is already gone is no error.
func (r *Roles) Unassign(ctx context.Context, spaceKey string, p RolePrincipal) error {
	err := r.set(ctx, spaceKey, RoleAssignment{Principal: p}, fmt.Sprintf("removing the role of %s", p))
	var nf *NotFoundError
	if errors.As(err, &nf) && nf.Kind == "space" {
		return nil
	}
	return err
}

// set sends one change. Setting assignments is an upsert per principal, so
// the request is safe to repeat and is retried like a PUT.
func (r *Roles) set(ctx context.Context, spaceKey string, change RoleAssignment, action string) error {
	about := permissions.Grant{Principal: change.Principal.grantPrincipal()}
	if err := ValidateRolePrincipal(change.Principal); err != nil {
		return r.c.explain(ctx, assigningRoles, action, spaceKey, about, err)
	}
	space, err := r.c.spaces.Lookup(ctx, spaceKey)
	if err != nil {
		return r.c.explain(ctx, assigningRoles, action, spaceKey, about, err)
	}
	defer r.assignments.Invalidate(spaceKey)
	if err := r.api.SetRoleAssignments(ctx, space, []RoleAssignment{change}); err != nil {
		return r.c.explain(ctx, assigningRoles, action, spaceKey, about, err)
	}
	return nil
}

// Inventory returns the site's transition inventory: the combinations of
// legacy permissions that no role matches yet. With regenerate, Confluence
// works it out again first, which takes a while on a large site. ok is
// false on deployments without the transition tool.
func (r *Roles) Inventory(ctx context.Context, regenerate bool) (inv CombinationInventory, ok bool, err error) {
	t, ok := r.api.(TransitionInventory)
	if !ok {
		return CombinationInventory{}, false, nil
	}
	if regenerate {
		if err := t.GenerateCombinations(ctx); err != nil {
			return CombinationInventory{}, true, r.c.explain(ctx, reading, "working out the site's transition inventory", "", permissions.Grant{}, err)
		}
	}
	inv, err = t.PermissionCombinations(ctx)
	if err != nil {
		return CombinationInventory{}, true, r.c.explain(ctx, reading, "reading the site's transition inventory", "", permissions.Grant{}, err)
	}
	return inv, true, nil
}
