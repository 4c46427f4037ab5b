package drift

import (
	"errors"
	"strings"
)

// holding is what one version of one resource says Confluence holds:
// grants and role assignments by space and principal.
type holding struct {
	grants map[slot]map[string]bool
	roles  map[slot]role
}

type slot struct {
	space     string
	principal Principal
}

// role is a space role as the role resources keep it: by id, by name, or
// both.
type role struct{ id, name string }

// label names the role for people: its name when known, else its id.
func (r role) label() string {
	if r.name != "" {
		return r.name
	}
	return r.id
}

// same compares by id when both sides know it (names can change), else by
// what each side wrote.
func (r role) same(o role) bool {
	if r.id != "" && o.id != "" {
		return r.id == o.id
	}
	return r.label() == o.label()
}

func (h *holding) grant(space string, p Principal, op string) {
	if h.grants == nil {
		h.grants = map[slot]map[string]bool{}
	}
	s := slot{space, p}
	if h.grants[s] == nil {
		h.grants[s] = map[string]bool{}
	}
	h.grants[s][op] = true
}

func (h *holding) assign(space string, p Principal, r role) {
	if h.roles == nil {
		h.roles = map[slot]role{}
	}
	h.roles[slot{space, p}] = r
}

// union is h with everything of o added, for a replacement whose old object
// leaves its permissions in place.
func (h holding) union(o holding) holding {
	var out holding
	for _, src := range []holding{h, o} {
		for s, ops := range src.grants {
			for op := range ops {
				out.grant(s.space, s.principal, op)
			}
		}
		for s, r := range src.roles {
			out.assign(s.space, s.principal, r)
		}
	}
	return out
}

// errNotKnown says the planned values the report needs are known only after
// the apply (they come from a resource or data source not read yet).
var errNotKnown = errors.New("known only after apply")

// resourceType is what the report knows of one resource type of the
// provider (internal/provider/*_resource.go).
type resourceType struct {
	// read adds what one version of the resource holds, which is not
	// null; nil for types that hold no principal's permissions.
	read func(field, *holding) error
	// keepsOnDestroy: destroying the resource leaves Confluence as it is.
	keepsOnDestroy bool
	// owns is what a new resource of the type takes over, for those that
	// are authoritative: what it then removes is not in the plan.
	owns string
}

var resourceTypes = map[string]resourceType{
	"confluence_space_permission":      {read: readGrant},
	"confluence_space_permission_set":  {read: readPermissionSet, owns: "every grant of its principal in its space"},
	"confluence_space_permissions":     {read: readSpacePermissions, keepsOnDestroy: true, owns: "every grant in its space"},
	"confluence_space_role_assignment": {read: readRoleAssignment, owns: "its principal's role in its space"},
	"confluence_space_role_assignments": {
		read: readRoleAssignments, keepsOnDestroy: true, owns: "every role assignment in its space",
	},
	// A role's definition is site-wide: it changes what every holder may
	// do, but no principal gains or loses a grant in a space.
	"confluence_space_role": {},
}

// ProviderType is the type name of this provider in provider addresses
// (registry.terraform.io/spacekeeper/confluence), and the prefix of its
// resource types.
const ProviderType = "confluence"

// ours reports whether a resource belongs to this provider: its type has the
// provider's prefix and, when the plan names the provider, the provider's
// type is this one (a fork under another namespace is still this provider).
func ours(resourceType, providerName string) bool {
	if !strings.HasPrefix(resourceType, ProviderType+"_") {
		return false
	}
	if providerName == "" {
		return true
	}
	i := strings.LastIndex(providerName, "/")
	return providerName[i+1:] == ProviderType
}

// scope reads the space and the principal of the single-principal
// resources.
func scope(f field) (string, Principal, error) {
	space, principal := f.get("space_key"), f.get("principal")
	if !space.known() || !principal.known() {
		return "", Principal{}, errNotKnown
	}
	return space.str(), principalOf(principal.get("type").str(), principal.get("id").str()), nil
}

// holding is what one version of a resource holds: nothing when the version
// does not exist (before a create, after a destroy).
func (t resourceType) holding(f field) (holding, error) {
	var h holding
	if f.null() {
		return h, nil
	}
	return h, t.read(f, &h)
}

func readGrant(f field, h *holding) error {
	space, p, err := scope(f)
	op := f.get("operation")
	if err != nil || !op.known() {
		return errNotKnown
	}
	h.grant(space, p, op.str())
	return nil
}

func readPermissionSet(f field, h *holding) error {
	space, p, err := scope(f)
	ops := f.get("operations")
	if err != nil || !ops.known() {
		return errNotKnown
	}
	for _, op := range ops.strs() {
		h.grant(space, p, op)
	}
	return nil
}

// byKey reads the space and the map of the whole-space resources, whose
// keys are principals.
func byKey(f field, attribute string) (string, field, error) {
	space, entries := f.get("space_key"), f.get(attribute)
	if !space.known() || !entries.known() {
		return "", field{}, errNotKnown
	}
	return space.str(), entries, nil
}

func readSpacePermissions(f field, h *holding) error {
	space, grants, err := byKey(f, "grants")
	for _, key := range grants.keys() {
		for _, op := range grants.get(key).strs() {
			h.grant(space, parseKey(key), op)
		}
	}
	return err
}

func readRoleAssignment(f field, h *holding) error {
	space, p, err := scope(f)
	if err != nil {
		return err
	}
	var r role
	if id := f.get("role_id"); id.known() {
		r.id = id.str()
	}
	if name := f.get("role_name"); name.known() {
		r.name = name.str()
	}
	if r.label() == "" {
		return errNotKnown
	}
	h.assign(space, p, r)
	return nil
}

func readRoleAssignments(f field, h *holding) error {
	space, assignments, err := byKey(f, "assignments")
	for _, key := range assignments.keys() {
		// The value is a role name or id, as the configuration wrote it.
		h.assign(space, parseKey(key), role{name: assignments.get(key).str()})
	}
	return err
}
