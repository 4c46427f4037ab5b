package state

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// roleBook holds a site's space roles and role assignments. Its methods
// need the Store's lock: read for queries, write for changes.
//
// Roles and assignments carry a sequence number, which orders lists and is
// what cursors remember; ids are UUIDs, which do not sort by age.
type roleBook struct {
	roles       []*roleEntry // by seq: the system roles, then custom roles
	byID        map[string]*roleEntry
	assignments map[int64][]*assignmentEntry // by space id, each by seq
	lastSeq     int64
}

type roleEntry struct {
	Role
	seq int64
}

type assignmentEntry struct {
	principal RolePrincipal
	roleID    string
	seq       int64
}

func newRoleBook() *roleBook {
	b := &roleBook{byID: map[string]*roleEntry{}, assignments: map[int64][]*assignmentEntry{}}
	for _, r := range SystemRoles() {
		b.add(r)
	}
	return b
}

func (b *roleBook) nextSeq() int64 {
	b.lastSeq++
	return b.lastSeq
}

// add stores a role; an empty id is derived from the role's sequence number.
func (b *roleBook) add(r Role) *roleEntry {
	e := &roleEntry{Role: r.clone(), seq: b.nextSeq()}
	if e.ID == "" {
		e.ID = derivedUUID(fmt.Sprintf("role %d", e.seq))
	}
	b.roles = append(b.roles, e)
	b.byID[e.ID] = e
	return e
}

func (b *roleBook) role(id string) *roleEntry { return b.byID[id] }

// named finds a role by name, ignoring case.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): chose to treat role
// names as case-insensitive, so that "viewer" cannot sit next to "Viewer" in
// the role selector.
func (b *roleBook) named(name string) *roleEntry {
	for _, e := range b.roles {
		if strings.EqualFold(e.Name, name) {
			return e
		}
	}
	return nil
}

func (b *roleBook) customCount() int {
	n := 0
	for _, e := range b.roles {
		if e.Type == CustomRole {
			n++
		}
	}
	return n
}

// remove deletes a role and every assignment of it.
func (b *roleBook) remove(id string) {
	if b.byID[id] == nil {
		return
	}
	delete(b.byID, id)
	b.roles = slices.DeleteFunc(b.roles, func(e *roleEntry) bool { return e.ID == id })
	for space, list := range b.assignments {
		b.assignments[space] = slices.DeleteFunc(list, func(a *assignmentEntry) bool { return a.roleID == id })
	}
}

func (b *roleBook) assignmentsIn(spaceID int64) []*assignmentEntry { return b.assignments[spaceID] }

func (b *roleBook) assignmentOf(spaceID int64, p RolePrincipal) *assignmentEntry {
	for _, a := range b.assignments[spaceID] {
		if a.principal == p {
			return a
		}
	}
	return nil
}

// assign gives p the role in the space, replacing the role it had: a
// principal holds one role per space.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): one role per
// principal per space is implied by the assignment model, not documented.
func (b *roleBook) assign(spaceID int64, p RolePrincipal, roleID string) {
	if a := b.assignmentOf(spaceID, p); a != nil {
		a.roleID = roleID
		return
	}
	b.assignments[spaceID] = append(b.assignments[spaceID], &assignmentEntry{principal: p, roleID: roleID, seq: b.nextSeq()})
}

func (b *roleBook) unassign(spaceID int64, p RolePrincipal) {
	b.assignments[spaceID] = slices.DeleteFunc(b.assignments[spaceID], func(a *assignmentEntry) bool { return a.principal == p })
}

func (b *roleBook) forgetSpace(spaceID int64) { delete(b.assignments, spaceID) }

// holds reports whether p is assigned the role in the space, or in any
// space when spaceID is 0.
func (b *roleBook) holds(p RolePrincipal, roleID string, spaceID int64) bool {
	for id, list := range b.assignments {
		if spaceID != 0 && id != spaceID {
			continue
		}
		if slices.ContainsFunc(list, func(a *assignmentEntry) bool { return a.principal == p && a.roleID == roleID }) {
			return true
		}
	}
	return false
}

// holdsThroughRole reports whether a role assigned in the space gives the
// caller op: to its account, to one of its groups, or to an access class it
// belongs to.
func (b *roleBook) holdsThroughRole(spaceID int64, c *Caller, op permissions.Operation) bool {
	if b == nil {
		return false
	}
	for _, a := range b.assignments[spaceID] {
		if r := b.byID[a.roleID]; r != nil && r.Grants(op) && c.isRolePrincipal(a.principal) {
			return true
		}
	}
	return false
}

// holdsPermissionThroughRole reports whether a role assigned in the space
// gives the caller a permission of the catalogue.
func (b *roleBook) holdsPermissionThroughRole(spaceID int64, c *Caller, id PermissionID) bool {
	if b == nil {
		return false
	}
	for _, a := range b.assignments[spaceID] {
		if r := b.byID[a.roleID]; r != nil && slices.Contains(r.Permissions, id) && c.isRolePrincipal(a.principal) {
			return true
		}
	}
	return false
}

// isRolePrincipal reports whether an assignment to p applies to the caller.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the record lists
// the access classes without defining them; chose that every signed-in account
// is among the authenticated and the licensed users (the simulator has no
// unlicensed accounts), that site admins are the product admins, and that
// neither anonymous access nor JSM project admins reach a signed-in caller (as
// with legacy anonymous grants, see canView).
func (c *Caller) isRolePrincipal(p RolePrincipal) bool {
	switch p.Type {
	case RoleUser:
		return p.ID == c.accountID
	case RoleGroup:
		return slices.Contains(c.principals, GroupPrincipal(p.ID))
	case RoleAccessClass:
		switch p.ID {
		case AuthenticatedUsers, AllLicensedUsers:
			return c.accountID != ""
		case AllProductAdmins:
			return c.siteAdmin
		}
	}
	return false
}

// roleRowBase and roleRowStride number the rows that role assignments add
// to the v2 permission list (ListView.RoleRows): above every
// grant id, in either numbering of ListView.DistinctIDs, unique within a
// space (a role appears once per space), and stable while the role exists.
const (
	roleRowBase   = 1 << 42
	roleRowStride = 64 // more than the number of catalogue permissions
)

// permissionRows are the rows GET /spaces/{id}/permissions shows, with
// ListView.RoleRows, for the roles assigned in a space, with
// ids above after: one per legacy permission of each role, under the
// principal {type: role, id: the role's id}, however many principals hold
// the role. Granular permissions have no key/target to show, so they give
// no row.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): no recorded
// answer shows role-derived rows in this list; the option exists so that a
// client can be run against a site that has them. The record does not say what
// a role principal's id is, nor whether role-derived access is also listed
// per user or group; chose the role's id, and role rows only.
func (b *roleBook) permissionRows(st *spaceState, after int64) []Grant {
	assigned := map[string]bool{}
	for _, a := range b.assignments[st.ID] {
		assigned[a.roleID] = true
	}
	var rows []Grant
	for _, r := range b.roles { // by seq, so rows come out in id order
		if !assigned[r.ID] {
			continue
		}
		for _, id := range r.Permissions {
			e, _ := catalogueEntryOf(id)
			row := roleRowBase + r.seq*roleRowStride + e.seq
			if e.isLegacy() && row > after {
				rows = append(rows, Grant{ID: row, SpaceKey: st.Key, Principal: permissions.Principal{Type: "role", ID: r.ID}, Operation: e.legacy})
			}
		}
	}
	return rows
}
