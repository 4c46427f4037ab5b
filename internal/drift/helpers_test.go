package drift

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The unit tests write plans in the shape Terraform gives them (compare
// the plans the acceptance tests of cmd/confluence-drift record under
// testdata/plans), small enough to read in the test.

const provider = "registry.terraform.io/spacekeeper/confluence"

// rc is one entry of resource_changes or resource_drift.
type rc struct {
	addr, typ     string
	actions       []string
	before, after any
	unknown       any
	sensitive     any // after_sensitive
	previous      string
}

func (r rc) json() map[string]any {
	name := strings.TrimPrefix(r.addr, r.typ+".")
	out := map[string]any{
		"address": r.addr, "mode": "managed", "type": r.typ, "name": name, "provider_name": provider,
		"change": map[string]any{"actions": r.actions, "before": r.before, "after": r.after, "after_unknown": orEmpty(r.unknown),
			"after_sensitive": orEmpty(r.sensitive)},
	}
	if r.previous != "" {
		out["previous_address"] = r.previous
	}
	return out
}

func orEmpty(v any) any {
	if v == nil {
		return map[string]any{}
	}
	return v
}

type planSpec struct {
	drift, changes []rc
	data           []map[string]any // data sources in prior_state
	refreshOnly    bool
}

func (p planSpec) bytes(t testing.TB) []byte {
	t.Helper()
	doc := map[string]any{
		"format_version": "1.2", "terraform_version": "1.11.4",
		"planned_values": map[string]any{"root_module": map[string]any{}},
		"prior_state":    map[string]any{"values": map[string]any{"root_module": map[string]any{"resources": orList(p.data)}}},
	}
	if len(p.drift) > 0 {
		doc["resource_drift"] = jsonList(p.drift)
	}
	if !p.refreshOnly {
		doc["resource_changes"] = jsonList(p.changes)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func orList(l []map[string]any) []map[string]any {
	if l == nil {
		return []map[string]any{}
	}
	return l
}

func jsonList(l []rc) []map[string]any {
	out := []map[string]any{}
	for _, r := range l {
		out = append(out, r.json())
	}
	return out
}

func parse(t *testing.T, p planSpec) *Report {
	t.Helper()
	r, err := Parse(p.bytes(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r
}

// Values of the provider's resources, as their state holds them.

func grant(space, typ, id, op string) map[string]any {
	return map[string]any{"id": space + "/" + typ + "/" + id + "/" + op, "space_key": space,
		"principal": map[string]any{"type": typ, "id": id}, "operation": op}
}

func set(space, typ, id string, ops ...string) map[string]any {
	return map[string]any{"id": space + "/" + typ + "/" + id, "space_key": space,
		"principal": map[string]any{"type": typ, "id": id}, "operations": ops}
}

func space(key string, grants map[string][]string) map[string]any {
	return map[string]any{"id": key, "space_key": key, "grants": grants}
}

func roleAssignment(space, typ, id, roleID, roleName string) map[string]any {
	return map[string]any{"id": space + "/" + typ + "/" + id, "space_key": space,
		"principal": map[string]any{"type": typ, "id": id}, "role_id": roleID, "role_name": roleName}
}

func roleAssignments(space string, assignments map[string]string) map[string]any {
	return map[string]any{"id": space, "space_key": space, "assignments": assignments}
}

var (
	update  = []string{"update"}
	create  = []string{"create"}
	destroy = []string{"delete"}
	noop    = []string{"no-op"}
	replace = []string{"delete", "create"}
)

// rows renders the changes one line each, sorted, for comparison:
// "DOCS user:bob granted read/space undo_drift [a.b]".
func rows(r *Report) []string {
	var out []string
	for _, c := range r.Changes {
		what := c.Operation
		if c.Kind == RoleChanged {
			what = fmt.Sprintf("%q->%q then %q", c.RoleFrom, c.RoleTo, c.RoleAfterApply)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s %v", c.Space, c.Principal.Key(), c.Kind, what, c.Action, c.Resources))
	}
	slices.Sort(out)
	return out
}

func notes(r *Report) []string {
	var out []string
	for _, n := range r.Notes {
		out = append(out, fmt.Sprintf("%s [%s] %s", n.Address, n.Origin, n.Text))
	}
	return out
}
