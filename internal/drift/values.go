package drift

// The plan JSON holds attribute values as plain JSON and, for the planned
// side, marks the values only the apply will know in a parallel tree
// (after_unknown: true for an unknown value, an object or list of marks for
// a partly unknown one). field walks both trees at once and never assumes a
// shape: a plan edited by hand or written by another tool must not make the
// report panic (FuzzParse).

type field struct {
	value   any
	unknown any
}

// object is a resource's values with their unknown marks.
func object(values, unknown any) field { return field{values, unknown} }

// get returns the attribute or map entry name.
func (f field) get(name string) field {
	var out field
	if m, ok := f.value.(map[string]any); ok {
		out.value = m[name]
	}
	switch u := f.unknown.(type) {
	case bool:
		out.unknown = u
	case map[string]any:
		out.unknown = u[name]
	}
	return out
}

// known reports whether nothing in the value is left for the apply to know.
func (f field) known() bool { return !anyTrue(f.unknown) }

func anyTrue(marks any) bool {
	switch m := marks.(type) {
	case bool:
		return m
	case map[string]any:
		for _, v := range m {
			if anyTrue(v) {
				return true
			}
		}
	case []any:
		for _, v := range m {
			if anyTrue(v) {
				return true
			}
		}
	}
	return false
}

// null reports whether the value is absent or null.
func (f field) null() bool { return f.value == nil }

// str is the value as a string, "" when it is anything else.
func (f field) str() string {
	s, _ := f.value.(string)
	return s
}

// strs lists the strings of a list or set value, skipping anything else.
func (f field) strs() []string {
	list, _ := f.value.([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// keys lists the keys of a map value.
func (f field) keys() []string {
	m, _ := f.value.(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
