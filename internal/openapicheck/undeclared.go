package openapicheck

import (
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// No schema in the Confluence documents says additionalProperties: false, so
// schema validation alone accepts any invented member. undeclaredMembers
// closes that gap for responses: it lists the members of JSON objects that
// no applicable schema declares, unless one of those schemas explicitly
// allows additional properties (as v1 User and SpacePermissionRequest do) or
// declares no properties at all (a free-form object).
//
// A value is checked against the union of its schemas: the schema itself and
// every allOf, oneOf and anyOf branch, recursively, so that members declared
// by different branches of a composition (SpaceSingle's _links.webui and the
// added _links.base) are all accepted.
func undeclaredMembers(schema *openapi3.SchemaRef, value any) []string {
	var out []string
	walkUndeclared(flatten([]*openapi3.SchemaRef{schema}), value, "body", &out)
	sort.Strings(out)
	return out
}

func walkUndeclared(schemas []*openapi3.Schema, value any, path string, out *[]string) {
	switch v := value.(type) {
	case map[string]any:
		open, declared := objectShape(schemas)
		for name, member := range v {
			var sub []*openapi3.SchemaRef
			for _, s := range schemas {
				if p, ok := s.Properties[name]; ok {
					sub = append(sub, p)
				} else if s.AdditionalProperties.Schema != nil {
					sub = append(sub, s.AdditionalProperties.Schema)
				}
			}
			if len(sub) == 0 {
				if declared && !open {
					*out = append(*out, path+"."+name)
				}
				continue
			}
			walkUndeclared(flatten(sub), member, path+"."+name, out)
		}
	case []any:
		var items []*openapi3.SchemaRef
		for _, s := range schemas {
			if s.Items != nil {
				items = append(items, s.Items)
			}
		}
		if len(items) == 0 {
			return
		}
		flat := flatten(items)
		for i, item := range v {
			walkUndeclared(flat, item, path+"["+strconv.Itoa(i)+"]", out)
		}
	}
}

// objectShape reports whether any schema allows undeclared members and
// whether any declares members at all.
func objectShape(schemas []*openapi3.Schema) (open, declared bool) {
	for _, s := range schemas {
		ap := s.AdditionalProperties
		if (ap.Has != nil && *ap.Has) || ap.Schema != nil {
			open = true
		}
		if len(s.Properties) > 0 {
			declared = true
		}
	}
	return open, declared
}

// flatten expands compositions into the list of schemas that apply.
func flatten(refs []*openapi3.SchemaRef) []*openapi3.Schema {
	var out []*openapi3.Schema
	seen := map[*openapi3.Schema]bool{}
	var add func(*openapi3.SchemaRef)
	add = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		out = append(out, s)
		for _, branch := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, b := range branch {
				add(b)
			}
		}
	}
	for _, r := range refs {
		add(r)
	}
	return out
}
