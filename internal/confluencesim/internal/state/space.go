package state

import (
	"cmp"
	"slices"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// spaceState is a space with its grants, kept sorted by id (ids only grow),
// and an index for the lookups every request makes. Its methods need the
// Store's lock: read for queries, write for insert and remove.
type spaceState struct {
	Space
	grants []Grant
	byPair map[permissions.Grant]int64
	// roles are the site's space roles, through which callers may hold
	// permissions too (see Caller.holds).
	roles *roleBook
}

func (st *spaceState) insert(id int64, g permissions.Grant) Grant {
	grant := Grant{ID: id, SpaceKey: st.Key, Principal: g.Principal, Operation: g.Operation}
	st.grants = append(st.grants, grant) // ids only grow, so the slice stays sorted
	st.byPair[g] = id
	return grant
}

func (st *spaceState) has(p permissions.Principal, op permissions.Operation) bool {
	_, ok := st.byPair[permissions.Grant{Principal: p, Operation: op}]
	return ok
}

// grantIndex finds a grant by id with a binary search.
func (st *spaceState) grantIndex(id int64) (int, bool) {
	return slices.BinarySearchFunc(st.grants, id, func(g Grant, id int64) int { return cmp.Compare(g.ID, id) })
}

// grantsAfter returns the grants with an id greater than after.
func (st *spaceState) grantsAfter(after int64) []Grant {
	i, found := st.grantIndex(after)
	if found {
		i++
	}
	return st.grants[i:]
}

func (st *spaceState) snapshot() Space {
	sp := st.Space
	sp.Labels = slices.Clone(sp.Labels)
	return sp
}

func (st *spaceState) grantsOf(p permissions.Principal) []Grant {
	var out []Grant
	for _, g := range st.grants {
		if g.Principal == p {
			out = append(out, g)
		}
	}
	return out
}

func (st *spaceState) remove(gone []Grant) {
	ids := grantIDs(gone)
	for _, g := range gone {
		delete(st.byPair, g.Pair())
	}
	st.grants = slices.DeleteFunc(st.grants, func(g Grant) bool { return ids[g.ID] })
}
