package permissions

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
