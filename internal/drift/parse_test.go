package drift

import (
	"slices"
	"strings"
	"testing"
)

func TestParseTellsDriftFromConfiguration(t *testing.T) {
	const (
		docs = "confluence_space_permissions.docs"
		bobs = `confluence_space_permission.bob["export/space"]`
		eng  = "confluence_space_permission_set.eng"
		role = "confluence_space_role_assignment.carol"
		all  = "confluence_space_role_assignments.ops"
	)
	before := map[string][]string{"user:alice": {"read/space", "administer/space"}, "anonymous": {"read/space"}}
	withBob := map[string][]string{"user:alice": {"read/space", "administer/space"}, "anonymous": {"read/space"}, "user:bob": {"read/space"}}
	withCarol := map[string][]string{"user:alice": {"read/space", "administer/space"}, "anonymous": {"read/space"}, "user:carol": {"read/space"}}

	tests := []struct {
		name        string
		plan        planSpec
		want        []string
		wantNotes   []string
		wantOutcome Outcome
	}{
		{
			name: "configuration change of a whole space",
			plan: planSpec{changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: update,
				before: space("DOCS", before), after: space("DOCS", withCarol)}}},
			want:        []string{"DOCS user:carol granted read/space apply_configuration [" + docs + "]"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "grant made by hand, which the apply revokes",
			plan: planSpec{
				drift:   []rc{{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", before), after: space("DOCS", withBob)}},
				changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", withBob), after: space("DOCS", before)}},
			},
			want:        []string{"DOCS user:bob granted read/space undo_drift [" + docs + "]"},
			wantOutcome: Drift,
		},
		{
			name: "drift and a configuration change in one resource",
			plan: planSpec{
				drift: []rc{{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", before), after: space("DOCS", withBob)}},
				changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: update,
					before: space("DOCS", withBob), after: space("DOCS", withCarol)}},
			},
			want: []string{
				"DOCS user:bob granted read/space undo_drift [" + docs + "]",
				"DOCS user:carol granted read/space apply_configuration [" + docs + "]",
			},
			wantOutcome: Drift,
		},
		{
			name: "drift the configuration now agrees with changes nothing",
			plan: planSpec{
				drift:   []rc{{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", before), after: space("DOCS", withBob)}},
				changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: noop, before: space("DOCS", withBob), after: space("DOCS", withBob)}},
			},
			want:        []string{"DOCS user:bob granted read/space keep_drift [" + docs + "]"},
			wantOutcome: NoChange,
		},
		{
			name: "a single grant revoked by hand leaves the state and is created again",
			plan: planSpec{
				drift:   []rc{{addr: bobs, typ: "confluence_space_permission", actions: destroy, before: grant("HR", "user", "bob", "export/space")}},
				changes: []rc{{addr: bobs, typ: "confluence_space_permission", actions: create, after: grant("HR", "user", "bob", "export/space")}},
			},
			want:        []string{"HR user:bob revoked export/space undo_drift [" + bobs + "]"},
			wantOutcome: Drift,
		},
		{
			name: "a permission set destroyed revokes its operations",
			plan: planSpec{changes: []rc{{addr: eng, typ: "confluence_space_permission_set", actions: destroy,
				before: set("ENG", "group", "g1", "read/space", "create/page")}}},
			want: []string{
				"ENG group:g1 revoked create/page apply_configuration [" + eng + "]",
				"ENG group:g1 revoked read/space apply_configuration [" + eng + "]",
			},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "a permission set gains an operation by hand and loses one by configuration",
			plan: planSpec{
				drift: []rc{{addr: eng, typ: "confluence_space_permission_set", actions: update,
					before: set("ENG", "group", "g1", "read/space", "create/page"), after: set("ENG", "group", "g1", "read/space", "create/page", "delete/page")}},
				changes: []rc{{addr: eng, typ: "confluence_space_permission_set", actions: update,
					before: set("ENG", "group", "g1", "read/space", "create/page", "delete/page"), after: set("ENG", "group", "g1", "read/space")}},
			},
			want: []string{
				"ENG group:g1 granted delete/page undo_drift [" + eng + "]",
				"ENG group:g1 revoked create/page apply_configuration [" + eng + "]",
			},
			wantOutcome: Drift,
		},
		{
			name:        "destroying a whole space's resource leaves its grants",
			plan:        planSpec{changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: destroy, before: space("DOCS", before)}}},
			wantNotes:   []string{docs + " [configuration] is destroyed: Terraform stops managing it, and Confluence keeps its permissions as they are"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "replacing a whole space's resource by another space's grants only the new space",
			plan: planSpec{changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: replace,
				before: space("DOCS", map[string][]string{"user:alice": {"read/space"}}), after: space("OPS", map[string][]string{"user:alice": {"read/space"}})}}},
			want: []string{"OPS user:alice granted read/space apply_configuration [" + docs + "]"},
			wantNotes: []string{docs + " [information] is new and takes over every grant in its space: " +
				"what Confluence holds there now is replaced by its configuration, and the plan does not show what that is"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "a role changed by hand is set back",
			plan: planSpec{
				drift: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: update,
					before: roleAssignment("DOCS", "user", "carol", "r1", "Viewer"), after: roleAssignment("DOCS", "user", "carol", "r4", "Admin")}},
				changes: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: update,
					before: roleAssignment("DOCS", "user", "carol", "r4", "Admin"), after: roleAssignment("DOCS", "user", "carol", "r1", "Viewer")}},
			},
			want:        []string{`DOCS user:carol role_changed "Viewer"->"Admin" then "Viewer" undo_drift [` + role + "]"},
			wantOutcome: Drift,
		},
		{
			name: "a role changed by hand while the configuration picks a third",
			plan: planSpec{
				drift: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: update,
					before: roleAssignment("DOCS", "user", "carol", "r1", "Viewer"), after: roleAssignment("DOCS", "user", "carol", "r4", "Admin")}},
				changes: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: update,
					before: roleAssignment("DOCS", "user", "carol", "r4", "Admin"), after: roleAssignment("DOCS", "user", "carol", "r3", "Manager")}},
			},
			want:        []string{`DOCS user:carol role_changed "Viewer"->"Admin" then "Manager" undo_drift [` + role + "]"},
			wantOutcome: Drift,
		},
		{
			name: "a renamed role is the same role",
			plan: planSpec{
				drift: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: update,
					before: roleAssignment("DOCS", "user", "carol", "r9", "Reviewer"), after: roleAssignment("DOCS", "user", "carol", "r9", "Auditor")}},
				changes: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: noop,
					before: roleAssignment("DOCS", "user", "carol", "r9", "Auditor"), after: roleAssignment("DOCS", "user", "carol", "r9", "Auditor")}},
			},
			wantOutcome: NoChange,
		},
		{
			name: "a role assignment removed by hand is assigned again",
			plan: planSpec{
				drift:   []rc{{addr: role, typ: "confluence_space_role_assignment", actions: destroy, before: roleAssignment("DOCS", "access_class", "authenticated-users", "r1", "Viewer")}},
				changes: []rc{{addr: role, typ: "confluence_space_role_assignment", actions: create, after: roleAssignment("DOCS", "access_class", "authenticated-users", "r1", "Viewer")}},
			},
			want:        []string{`DOCS access_class:authenticated-users role_changed "Viewer"->"" then "Viewer" undo_drift [` + role + "]"},
			wantOutcome: Drift,
		},
		{
			name: "every role of a space: one assigned by configuration, one removed by hand",
			plan: planSpec{
				drift: []rc{{addr: all, typ: "confluence_space_role_assignments", actions: update,
					before: roleAssignments("OPS", map[string]string{"user:alice": "Admin", "group:g1": "Collaborator"}),
					after:  roleAssignments("OPS", map[string]string{"user:alice": "Admin"})}},
				changes: []rc{{addr: all, typ: "confluence_space_role_assignments", actions: update,
					before: roleAssignments("OPS", map[string]string{"user:alice": "Admin"}),
					after:  roleAssignments("OPS", map[string]string{"user:alice": "Admin", "group:g1": "Collaborator", "access_class:anonymous-users": "Viewer"})}},
			},
			want: []string{
				`OPS access_class:anonymous-users role_changed ""->"Viewer" then "Viewer" apply_configuration [` + all + "]",
				`OPS group:g1 role_changed "Collaborator"->"" then "Collaborator" undo_drift [` + all + "]",
			},
			wantOutcome: Drift,
		},
		{
			name: "one grant shown by two resources is one row",
			plan: planSpec{
				drift: []rc{
					{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", withBob), after: space("DOCS", before)},
					{addr: "confluence_space_permission.bob", typ: "confluence_space_permission", actions: destroy, before: grant("DOCS", "user", "bob", "read/space")},
				},
				changes: []rc{
					{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", before), after: space("DOCS", withBob)},
					{addr: "confluence_space_permission.bob", typ: "confluence_space_permission", actions: create, after: grant("DOCS", "user", "bob", "read/space")},
				},
			},
			want:        []string{"DOCS user:bob revoked read/space undo_drift [confluence_space_permission.bob " + docs + "]"},
			wantOutcome: Drift,
		},
		{
			name: "a moved resource keeps its drift",
			plan: planSpec{
				drift: []rc{{addr: "confluence_space_permission_set.old", typ: "confluence_space_permission_set", actions: update,
					before: set("ENG", "group", "g1", "read/space"), after: set("ENG", "group", "g1", "read/space", "export/space")}},
				changes: []rc{{addr: "confluence_space_permission_set.new", previous: "confluence_space_permission_set.old", typ: "confluence_space_permission_set", actions: update,
					before: set("ENG", "group", "g1", "read/space", "export/space"), after: set("ENG", "group", "g1", "read/space")}},
			},
			want:        []string{"ENG group:g1 granted export/space undo_drift [confluence_space_permission_set.new]"},
			wantOutcome: Drift,
		},
		{
			name: "refresh-only: the apply records the drift",
			plan: planSpec{refreshOnly: true,
				drift: []rc{{addr: docs, typ: "confluence_space_permissions", actions: update, before: space("DOCS", before), after: space("DOCS", withBob)}}},
			want:        []string{"DOCS user:bob granted read/space record_drift [" + docs + "]"},
			wantNotes:   []string{" [information] This is a refresh-only plan: its apply writes the changes made outside Terraform into the state instead of undoing them. A normal plan shows what an apply would undo."},
			wantOutcome: Drift,
		},
		{
			name: "a resource removed from the state with a removed block",
			plan: planSpec{changes: []rc{{addr: eng, typ: "confluence_space_permission_set", actions: []string{"forget"},
				before: set("ENG", "group", "g1", "read/space")}}},
			wantNotes:   []string{eng + " [information] leaves the state; Confluence keeps its permissions as they are"},
			wantOutcome: NoChange,
		},
		{
			name: "operations known only after the apply",
			plan: planSpec{changes: []rc{{addr: eng, typ: "confluence_space_permission_set", actions: update,
				before: set("ENG", "group", "g1", "read/space"), after: map[string]any{"id": "ENG/group/g1", "space_key": "ENG", "principal": map[string]any{"type": "group", "id": "g1"}},
				unknown: map[string]any{"operations": true}}}},
			wantNotes:   []string{eng + " [configuration] changes, but its space, principal or permissions are known only after apply, so the report cannot show how"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "a new resource whose id is unknown is still read",
			plan: planSpec{changes: []rc{{addr: bobs, typ: "confluence_space_permission", actions: create,
				after: map[string]any{"space_key": "HR", "principal": map[string]any{"type": "anonymous", "id": nil}, "operation": "read/space"}, unknown: map[string]any{"id": true}}}},
			want:        []string{"HR anonymous granted read/space apply_configuration [" + bobs + "]"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "sensitive values stay hidden",
			plan: planSpec{changes: []rc{{addr: eng, typ: "confluence_space_permission_set", actions: update,
				before: set("ENG", "group", "g1", "read/space"), after: set("ENG", "group", "g1", "read/space", "export/space"),
				sensitive: map[string]any{"principal": map[string]any{"id": true}}}}},
			wantNotes:   []string{eng + " [configuration] has values marked sensitive, which the report does not show, and changes: update"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name: "a resource type of the provider this version does not know",
			plan: planSpec{
				drift:   []rc{{addr: "confluence_space_widget.x", typ: "confluence_space_widget", actions: update, before: map[string]any{"a": 1}, after: map[string]any{"a": 2}}},
				changes: []rc{{addr: "confluence_space_widget.x", typ: "confluence_space_widget", actions: update, before: map[string]any{"a": 2}, after: map[string]any{"a": 1}}},
			},
			wantNotes: []string{
				"confluence_space_widget.x [outside_terraform] is of a type this version of confluence-drift does not know (upgrade it to see how), and was changed outside Terraform",
				"confluence_space_widget.x [configuration] is of a type this version of confluence-drift does not know (upgrade it to see how), and changes: update",
			},
			wantOutcome: Drift,
		},
		{
			name: "a role definition changes",
			plan: planSpec{changes: []rc{{addr: "confluence_space_role.reviewer", typ: "confluence_space_role", actions: update,
				before: map[string]any{"name": "Reviewer", "permissions": []string{"read/space"}}, after: map[string]any{"name": "Reviewer", "permissions": []string{"read/space", "create/comment"}}}}},
			wantNotes:   []string{"confluence_space_role.reviewer [configuration] is a space role's definition: every holder of the role gains or loses what the role does, and changes: update"},
			wantOutcome: ConfigurationOnly,
		},
		{
			name:        "nothing changes",
			plan:        planSpec{changes: []rc{{addr: docs, typ: "confluence_space_permissions", actions: noop, before: space("DOCS", before), after: space("DOCS", before)}}},
			wantOutcome: NoChange,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parse(t, tt.plan)
			if got := rows(r); !slices.Equal(got, tt.want) {
				t.Errorf("changes:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if got := notes(r); !slices.Equal(got, tt.wantNotes) {
				t.Errorf("notes:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.wantNotes, "\n  "))
			}
			if got := r.Outcome(); got != tt.wantOutcome {
				t.Errorf("outcome = %v, want %v", got, tt.wantOutcome)
			}
		})
	}
}

func TestParseIgnoresOtherProviders(t *testing.T) {
	p := planSpec{changes: []rc{
		{addr: "confluence_space_permission_set.eng", typ: "confluence_space_permission_set", actions: create, after: set("ENG", "group", "g1", "read/space")},
	}}
	data := p.bytes(t)
	// A resource of another provider whose type starts the same way.
	other := `{"address":"confluence_content.page","mode":"managed","type":"confluence_content","provider_name":"registry.terraform.io/someone/confluence-cloud",` +
		`"change":{"actions":["create"],"before":null,"after":{"space_key":"ENG"}}}`
	data = []byte(strings.Replace(string(data), `"resource_changes":[`, `"resource_changes":[`+other+",", 1))
	r, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(r); len(got) != 1 || len(r.Notes) != 1 {
		t.Errorf("changes %v, notes %v", got, notes(r))
	}
}

func TestParseNamesPrincipalsFromDataSources(t *testing.T) {
	p := planSpec{
		changes: []rc{{addr: "confluence_space_permissions.docs", typ: "confluence_space_permissions", actions: update,
			before: space("DOCS", map[string][]string{}),
			after:  space("DOCS", map[string][]string{"user:u1": {"read/space"}, "group:g1": {"read/space"}, "group:hr": {"read/space"}, "user:u2": {"read/space"}})}},
		data: []map[string]any{
			{"address": "data.confluence_user.u1", "mode": "data", "type": "confluence_user", "provider_name": provider,
				"values": map[string]any{"id": "u1", "display_name": "Una One"}},
			{"address": "data.confluence_group.g1", "mode": "data", "type": "confluence_group", "provider_name": provider,
				"values": map[string]any{"id": "g1", "name": "engineering"}},
			// Data Center: a group's id is its name, which names it already.
			{"address": "data.confluence_group.hr", "mode": "data", "type": "confluence_group", "provider_name": provider,
				"values": map[string]any{"id": "hr", "name": "hr"}},
			{"address": "data.confluence_space_permissions.docs", "mode": "data", "type": "confluence_space_permissions", "provider_name": provider,
				"values": map[string]any{"display_names": map[string]any{"user:u2": "Udo Two"}}},
		},
	}
	r := parse(t, p)
	want := map[string]string{"user:u1": "Una One", "group:g1": "engineering", "user:u2": "Udo Two"}
	for k, v := range want {
		if r.Names[k] != v {
			t.Errorf("name of %s = %q, want %q (names %v)", k, r.Names[k], v, r.Names)
		}
	}
	if _, ok := r.Names["group:hr"]; ok {
		t.Errorf("a Data Center group got a name: %v", r.Names)
	}
	// Users first, by name (Udo before Una), then groups.
	var order []string
	for _, p := range r.Principals() {
		order = append(order, p.Key())
	}
	if want := []string{"user:u2", "user:u1", "group:g1", "group:hr"}; !slices.Equal(order, want) {
		t.Errorf("principals in order %v, want %v", order, want)
	}
}

func TestParseNamesDataSourcesInChildModules(t *testing.T) {
	p := planSpec{changes: []rc{{addr: "module.docs.confluence_space_permission.x", typ: "confluence_space_permission", actions: create,
		after: grant("DOCS", "user", "u1", "read/space")}}}
	data := strings.Replace(string(p.bytes(t)), `"prior_state":{"values":{"root_module":{"resources":[]}}}`,
		`"prior_state":{"values":{"root_module":{"child_modules":[{"resources":[{"address":"module.docs.data.confluence_user.u1","mode":"data","type":"confluence_user","provider_name":"`+provider+`","values":{"id":"u1","display_name":"Una One"}}]}]}}}`, 1)
	r, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if r.Names["user:u1"] != "Una One" {
		t.Errorf("names = %v", r.Names)
	}
}
