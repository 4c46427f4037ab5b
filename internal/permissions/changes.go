package permissions

// ChangeKind says whether a change adds or removes a grant.
type ChangeKind int

const (
	Add ChangeKind = iota
	Remove
)

func (k ChangeKind) String() string {
	if k == Add {
		return "add"
	}
	return "remove"
}

// Change is one call to Confluence: add or remove one grant.
type Change struct {
	Kind  ChangeKind
	Grant Grant
}

func (c Change) String() string { return c.Kind.String() + " " + c.Grant.String() }

// PlanPrincipal returns the changes that turn one principal's current
// operations into the desired ones. read/space is added before anything else
// and removed after everything else, because Confluence refuses other grants
// without it and (on Cloud) removing it removes the others with it.
func PlanPrincipal(p Principal, current, desired OperationSet) []Change {
	adds := orderAdds(p, desired.Minus(current))
	removes := orderRemoves(p, current.Minus(desired))
	return append(adds, removes...)
}

// PlanSpace returns the changes that turn every principal's current grants
// into the desired ones, for a resource authoritative over the whole space:
// principals missing from desired lose all their grants. All additions come
// before all removals so that a space that swaps one admin for another never
// passes through a state with no admin, which Confluence refuses.
func PlanSpace(current, desired Grants) []Change {
	all := Grants{}
	for p := range current {
		all[p] = nil
	}
	for p := range desired {
		all[p] = nil
	}
	var adds, removes []Change
	for _, p := range all.Principals() {
		adds = append(adds, orderAdds(p, desired[p].Minus(current[p]))...)
		removes = append(removes, orderRemoves(p, current[p].Minus(desired[p]))...)
	}
	return append(adds, removes...)
}

func orderAdds(p Principal, ops OperationSet) []Change {
	var out []Change
	for _, op := range ops.Sorted() { // table order puts read/space first
		out = append(out, Change{Kind: Add, Grant: Grant{Principal: p, Operation: op}})
	}
	return out
}

func orderRemoves(p Principal, ops OperationSet) []Change {
	sorted := ops.Sorted()
	out := make([]Change, 0, len(sorted))
	for i := len(sorted) - 1; i >= 0; i-- { // reverse table order puts read/space last
		out = append(out, Change{Kind: Remove, Grant: Grant{Principal: p, Operation: sorted[i]}})
	}
	return out
}

// After returns the grants after the changes, as Confluence would hold
// them. cascadeRead says whether removing read/space removes the
// principal's other grants too (Cloud does).
func (g Grants) After(changes []Change, cascadeRead bool) Grants {
	out := g.Clone()
	for _, c := range changes {
		p, op := c.Grant.Principal, c.Grant.Operation
		switch {
		case c.Kind == Add:
			out.Add(p, op)
		case cascadeRead && op == ReadSpace:
			delete(out, p)
		default:
			delete(out[p], op)
			if len(out[p]) == 0 {
				delete(out, p)
			}
		}
	}
	return out
}
