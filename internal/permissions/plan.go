package permissions

import (
	"fmt"
	"strings"
)

// OperationSet is a set of operations.
type OperationSet map[Operation]struct{}

// NewOperationSet builds a set from operations.
func NewOperationSet(ops ...Operation) OperationSet {
	s := make(OperationSet, len(ops))
	for _, op := range ops {
		s[op] = struct{}{}
	}
	return s
}

// Has reports membership.
func (s OperationSet) Has(op Operation) bool { _, ok := s[op]; return ok }

// Sorted returns the operations in table order.
func (s OperationSet) Sorted() []Operation {
	ops := make([]Operation, 0, len(s))
	for op := range s {
		ops = append(ops, op)
	}
	SortOperations(ops)
	return ops
}

// Strings returns the sorted "key/target" names.
func (s OperationSet) Strings() []string {
	var out []string
	for _, op := range s.Sorted() {
		out = append(out, op.String())
	}
	return out
}

// Minus returns the operations of s that are not in other.
func (s OperationSet) Minus(other OperationSet) OperationSet {
	out := OperationSet{}
	for op := range s {
		if !other.Has(op) {
			out[op] = struct{}{}
		}
	}
	return out
}

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

// Clone returns a deep copy.
func (g Grants) Clone() Grants {
	out := make(Grants, len(g))
	for p, ops := range g {
		out[p] = NewOperationSet(ops.Sorted()...)
	}
	return out
}

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

// Apply returns the grants after the changes, as Confluence would hold them.
// cascadeRead says whether removing read/space removes the principal's other
// grants too (Cloud does).
func Apply(g Grants, changes []Change, cascadeRead bool) Grants {
	out := g.Clone()
	for _, c := range changes {
		p, op := c.Grant.Principal, c.Grant.Operation
		switch {
		case c.Kind == Add:
			if out[p] == nil {
				out[p] = OperationSet{}
			}
			out[p][op] = struct{}{}
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

// ValidateOperations checks one principal's desired operations: each must
// exist on the deployment, read/space must be among them when anything is,
// and anonymous users cannot administer a space. where names the principal
// and space in messages ("user alice in DOCS").
func ValidateOperations(p Principal, ops []Operation, d Deployment, where string) error {
	var problems []string
	seen := OperationSet{}
	for _, op := range ops {
		if seen.Has(op) {
			problems = append(problems, fmt.Sprintf("operation %q is listed twice", op))
			continue
		}
		seen[op] = struct{}{}
		if err := ValidateOperation(op, d); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(seen) > 0 && !seen.Has(ReadSpace) {
		problems = append(problems, fmt.Sprintf("operations must include %q: Confluence grants nothing else to a principal that cannot view the space", ReadSpace))
	}
	if p.Type == Anonymous && seen.Has(AdministerSpace) {
		problems = append(problems, fmt.Sprintf("anonymous users cannot hold %q: Confluence never lets anonymous users administer a space", AdministerSpace))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", where, strings.Join(problems, "; "))
}

// ErrNoAdmin is returned by CheckAdminRemains.
type ErrNoAdmin struct{ SpaceKey string }

func (e ErrNoAdmin) Error() string {
	return fmt.Sprintf("this change would leave space %s with no %q grant, and then nobody could manage its permissions "+
		"(Confluence refuses to remove the last one): keep %q for at least one user or group",
		e.SpaceKey, AdministerSpace, AdministerSpace)
}

// CheckAdminRemains refuses a desired state in which no user or group can
// administer the space.
func CheckAdminRemains(spaceKey string, desired Grants) error {
	if HasAdmin(desired) {
		return nil
	}
	return ErrNoAdmin{SpaceKey: spaceKey}
}

// HasAdmin reports whether some user or group (or a principal type the
// provider does not manage, such as a Cloud role) administers the space.
func HasAdmin(g Grants) bool {
	for p, ops := range g {
		if p.Type != Anonymous && ops.Has(AdministerSpace) {
			return true
		}
	}
	return false
}
