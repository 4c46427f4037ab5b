package confluencesim

import (
	"cmp"
	"slices"
	"strings"
)

// spaceFilter selects spaces; empty fields do not filter, so that without a
// status filter current and archived spaces are both listed.
//
// UNVERIFIED (contributing/confluence-api.md#spaces-and-key-lookups): the spec
// does not say whether several labels must all match; chose "any of them",
// like ids and keys.
type spaceFilter struct {
	ids    map[int64]bool
	keys   map[string]bool
	typ    string
	status string
	labels map[string]bool
}

func (f spaceFilter) matches(sp *Space) bool {
	switch {
	case len(f.ids) > 0 && !f.ids[sp.ID],
		len(f.keys) > 0 && !f.keys[sp.Key],
		f.typ != "" && sp.Type != f.typ,
		f.status != "" && sp.Status != f.status:
		return false
	}
	return len(f.labels) == 0 || slices.ContainsFunc(sp.Labels, func(l string) bool { return f.labels[l] })
}

// spaces returns the spaces the caller can view that match f, by id.
func (s *site) spaces(c *caller, f spaceFilter) []Space {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Space
	for _, st := range s.spacesByID {
		if f.matches(&st.Space) && c.canView(st) {
			out = append(out, st.snapshot())
		}
	}
	slices.SortFunc(out, func(a, b Space) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// viewableSpace finds a space by id that the caller can view.
func (s *site) viewableSpace(c *caller, id int64) (Space, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.spacesByID[id]
	if st == nil || !c.canView(st) {
		return Space{}, false
	}
	return st.snapshot(), true
}

// permissionListView is how the v2 permission list numbers and fills its
// rows (Options.DistinctPermissionIDs, Options.RoleRowsInPermissionList).
type permissionListView struct {
	distinctIDs bool
	roleRows    bool
}

// listID is the id a grant shows in the v2 permission list.
func (v permissionListView) listID(grantID int64) int64 {
	if v.distinctIDs {
		return grantID + DistinctPermissionIDOffset
	}
	return grantID
}

// grantPage returns up to limit rows of the v2 permission list of a space
// the caller can view, in id order after the list id after, and whether
// more follow. Rows are grants whose ID is their list id, followed, with
// view.roleRows, by the rows of the roles assigned in the space (see
// permissionRows).
func (s *site) grantPage(c *caller, spaceID, after int64, limit int, view permissionListView) (page []Grant, more, found bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.spacesByID[spaceID]
	if st == nil || !c.canView(st) {
		return nil, false, false
	}
	grantAfter := after
	if view.distinctIDs {
		grantAfter = max(after-DistinctPermissionIDOffset, 0)
	}
	rest := slices.Clone(st.grantsAfter(grantAfter))
	for i := range rest {
		rest[i].ID = view.listID(rest[i].ID)
	}
	if view.roleRows {
		rest = append(rest, s.roles.permissionRows(st, after)...)
	}
	if len(rest) > limit {
		return rest[:limit], true, true
	}
	return rest, false, true
}

func (s *site) user(accountID string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.users[accountID]
	if u == nil {
		return User{}, false
	}
	return *u, true
}

func (s *site) group(id string) (Group, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.groups[id]
	if g == nil {
		return Group{}, false
	}
	return g.snapshot(), true
}

// groupsNamed returns the groups whose name contains query, ignoring case,
// sorted by name.
func (s *site) groupsNamed(query string) []Group {
	q := strings.ToLower(query)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Group
	for _, g := range s.groups {
		if strings.Contains(strings.ToLower(g.Name), q) {
			out = append(out, g.snapshot())
		}
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func (g *Group) snapshot() Group {
	out := *g
	out.Members = slices.Clone(g.Members)
	return out
}

func (s *site) currentRoleMode() RoleMode {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.roleMode
}

// groupIDFor resolves a v1 subject identifier for a group: a group id, or
// else a group name (case-insensitive). Unknown identifiers come back as is,
// for the rules to refuse.
func (s *site) groupIDFor(identifier string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.groups[identifier] != nil {
		return identifier
	}
	for _, g := range s.groups {
		if strings.EqualFold(g.Name, identifier) {
			return g.ID
		}
	}
	return identifier
}
