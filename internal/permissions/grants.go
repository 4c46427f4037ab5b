package permissions

// Grants maps each principal to its operations in one space.
type Grants map[Principal]OperationSet

// Principals returns the principals in a stable order.
func (g Grants) Principals() []Principal {
	ps := make([]Principal, 0, len(g))
	for p := range g {
		ps = append(ps, p)
	}
	SortPrincipals(ps)
	return ps
}

// Add gives p the operation.
func (g Grants) Add(p Principal, op Operation) {
	if g[p] == nil {
		g[p] = OperationSet{}
	}
	g[p][op] = struct{}{}
}

// Clone returns a deep copy.
func (g Grants) Clone() Grants {
	out := make(Grants, len(g))
	for p, ops := range g {
		out[p] = NewOperationSet(ops.Sorted()...)
	}
	return out
}
