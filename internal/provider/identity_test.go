package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// identityCase is one resource imported both ways: by the id people know
// and by the identity that stands for it.
type identityCase struct {
	resource string
	id       string
	identity map[string]any
	// check looks at the state Read made of the import.
	check func(state map[string]any) error
}

// TestProtocolIdentitySchemas pins every resource's identity schema: the
// parts of its import id, in names people know, and what an import block
// must set. The log is the table the documentation shows.
func TestProtocolIdentitySchemas(t *testing.T) {
	p := cloudSite(t).protocol(t)
	want := map[string]string{
		"confluence_space_permission":       "operation (required), principal_id (optional), principal_type (required), space_key (required)",
		"confluence_space_permission_set":   "principal_id (optional), principal_type (required), space_key (required)",
		"confluence_space_permissions":      "space_key (required)",
		"confluence_space_role_assignment":  "principal_id (required), principal_type (required), space_key (required)",
		"confluence_space_role_assignments": "space_key (required)",
		"confluence_space_role":             "role_id (required)",
	}
	if len(p.identities) != len(p.schema.ResourceSchemas) {
		t.Errorf("%d resources have an identity, %d resources exist", len(p.identities), len(p.schema.ResourceSchemas))
	}
	for _, name := range sortedKeys(want) {
		schema, ok := p.identities[name]
		if !ok {
			t.Errorf("%s has no identity schema", name)
			continue
		}
		var attrs []string
		for _, a := range schema.IdentityAttributes {
			switch {
			case a.RequiredForImport:
				attrs = append(attrs, a.Name+" (required)")
			case a.OptionalForImport:
				attrs = append(attrs, a.Name+" (optional)")
			default:
				attrs = append(attrs, a.Name+" (neither required nor optional: Terraform could not import by it)")
			}
		}
		sort.Strings(attrs)
		got := strings.Join(attrs, ", ")
		if got != want[name] {
			t.Errorf("identity of %s: %s, want %s", name, got, want[name])
		}
		t.Logf("identity of %-34s %s", name, got)
	}
}

// TestProtocolImportByIdentity imports every legacy permission resource by
// id and by identity on every target: both give the same state and
// identity, Read keeps the identity, and Read gives one to state that had
// none (written before the provider had identities, or by Terraform 1.11).
func TestProtocolImportByIdentity(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		users, alice := s.group("confluence-users").ID, s.user("alice").ID
		runIdentityCases(t, s.protocol(t), []identityCase{
			{resource: "confluence_space_permission", id: "DOCS/group/" + users + "/create/page",
				identity: map[string]any{"space_key": "DOCS", "principal_type": "group", "principal_id": users, "operation": "create/page"},
				check:    expectAttr("id", "DOCS/group/"+users+"/create/page")},
			{resource: "confluence_space_permission", id: "DOCS/anonymous/read/space",
				identity: map[string]any{"space_key": "DOCS", "principal_type": "anonymous", "operation": "read/space"},
				check:    expectAttr("principal", map[string]any{"type": "anonymous", "id": nil})},
			{resource: "confluence_space_permission_set", id: "DOCS/user/" + alice,
				identity: map[string]any{"space_key": "DOCS", "principal_type": "user", "principal_id": alice},
				check:    expectAttr("operations", []string{"administer/space", "export/space", "read/space"})},
			{resource: "confluence_space_permissions", id: "ENG",
				identity: map[string]any{"space_key": "ENG"},
				check: func(state map[string]any) error {
					if grants, _ := state["grants"].(map[string]any); len(grants) != 3 {
						return fmt.Errorf("grants: %s", show(state["grants"]))
					}
					return nil
				}},
		})
	})
}

// TestProtocolImportRolesByIdentity does the same for the role resources,
// on a Cloud site with space roles.
func TestProtocolImportRolesByIdentity(t *testing.T) {
	s := rolesScenarioSite(t)
	role, err := s.sim.CreateRole(confluencesim.SeedRole{Name: "Reviewer", Description: "Reads and comments", Permissions: []string{"create/comment", "read/space"}})
	if err != nil {
		t.Fatal(err)
	}
	engineering := s.group("engineering").ID
	runIdentityCases(t, s.protocol(t), []identityCase{
		{resource: "confluence_space_role_assignment", id: "HR/group/" + engineering,
			identity: map[string]any{"space_key": "HR", "principal_type": "group", "principal_id": engineering},
			check:    expectAttr("role_name", "Collaborator")},
		{resource: "confluence_space_role_assignment", id: "DOCS/access_class/anonymous-users",
			identity: map[string]any{"space_key": "DOCS", "principal_type": "access_class", "principal_id": "anonymous-users"},
			check:    expectAttr("role_name", "Viewer")},
		{resource: "confluence_space_role_assignments", id: "HR",
			identity: map[string]any{"space_key": "HR"},
			check: func(state map[string]any) error {
				if a, _ := state["assignments"].(map[string]any); len(a) != 4 {
					return fmt.Errorf("assignments: %s", show(state["assignments"]))
				}
				return nil
			}},
		{resource: "confluence_space_role", id: role.ID,
			identity: map[string]any{"role_id": role.ID},
			check:    expectAttr("name", "Reviewer")},
	})
}

func runIdentityCases(t *testing.T, p *protocol, cases []identityCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.resource+"/"+c.id, func(t *testing.T) {
			byID := p.importByID(c.resource, c.id)
			byIdentity := p.importByIdentity(c.resource, c.identity)
			for _, got := range []imported{byID, byIdentity} {
				if len(got.diags) > 0 {
					t.Fatalf("import: %s", diagnosticsText(got.diags))
				}
				if show(got.identity) != show(withNulls(c.identity, byID.identity)) {
					t.Errorf("import gave identity %s, want %s", show(got.identity), show(c.identity))
				}
			}
			if show(byID.state) != show(byIdentity.state) {
				t.Errorf("by id the state is %s, by identity %s", show(byID.state), show(byIdentity.state))
			}
			read := p.read(c.resource, byIdentity.state, byIdentity.identity, byIdentity.private)
			if len(read.diags) > 0 || read.state == nil {
				t.Fatalf("read after import: %s (state %s)", diagnosticsText(read.diags), show(read.state))
			}
			if show(read.identity) != show(byIdentity.identity) {
				t.Errorf("read changed the identity to %s", show(read.identity))
			}
			if err := c.check(read.state); err != nil {
				t.Errorf("state after import and read: %v", err)
			}
			before := p.read(c.resource, read.state, nil, read.private)
			if len(before.diags) > 0 || show(before.identity) != show(byIdentity.identity) {
				t.Errorf("read of state without identity: identity %s, %s", show(before.identity), diagnosticsText(before.diags))
			}
		})
	}
}

// TestProtocolReadIdentityOfRemovedResource: a grant removed outside
// Terraform leaves state with Read, also from state without an identity,
// and Read still answers with the identity (the framework refuses a read
// without one, so the next plan would fail instead of creating the grant
// again).
func TestProtocolReadIdentityOfRemovedResource(t *testing.T) {
	s := cloudSite(t)
	carol := s.user("carol")
	s.grant("DOCS", carol, "read/space")
	imp := s.protocol(t).importByID("confluence_space_permission", "DOCS/user/"+carol.ID+"/read/space")
	s.revoke("DOCS", carol, "read/space")
	// The next terraform command is a new provider process, which reads
	// the space afresh.
	gone := s.protocol(t).read("confluence_space_permission", imp.state, nil, nil)
	if len(gone.diags) > 0 {
		t.Fatalf("read of a removed grant: %s", diagnosticsText(gone.diags))
	}
	if gone.state != nil {
		t.Errorf("a removed grant stays in state: %s", show(gone.state))
	}
	if show(gone.identity) != show(imp.identity) {
		t.Errorf("identity of the removed grant: %s, want %s", show(gone.identity), show(imp.identity))
	}
}

// TestProtocolImportIdentityErrors: an incomplete or wrong identity is
// refused with a message that names the attribute, or the part that is
// wrong, and how to write it.
func TestProtocolImportIdentityErrors(t *testing.T) {
	s := cloudSite(t)
	p := s.protocol(t)
	for _, c := range []struct {
		resource string
		identity map[string]any
		want     string
	}{
		{"confluence_space_permission", map[string]any{"principal_type": "group", "principal_id": "x", "operation": "read/space"},
			"The identity of confluence_space_permission has no space_key: set it in the import block, for example identity = { space_key = \"DOCS\""},
		{"confluence_space_permission", map[string]any{"space_key": "DOCS", "principal_type": "user", "operation": "read/space"},
			"a user principal needs an id"},
		{"confluence_space_permission", map[string]any{"space_key": "DOCS", "principal_type": "anonymous", "principal_id": "x", "operation": "read/space"},
			"the anonymous principal takes no id"},
		{"confluence_space_permission", map[string]any{"space_key": "DOCS", "principal_type": "group", "principal_id": "x", "operation": "view/space"},
			`"view/space"`},
		{"confluence_space_permission_set", map[string]any{"space_key": "DOCS"},
			"has no principal_type"},
		{"confluence_space_permissions", map[string]any{"space_key": "DO CS"},
			`is not a space key`},
		{"confluence_space_role_assignment", map[string]any{"space_key": "HR", "principal_type": "access_class"},
			"has no principal_id"},
		{"confluence_space_role_assignment", map[string]any{"space_key": "HR", "principal_type": "access_class", "principal_id": "everyone"},
			`"everyone" is not an access class`},
		{"confluence_space_role", map[string]any{}, "has no role_id"},
	} {
		got := p.importByIdentity(c.resource, c.identity)
		text := diagnosticsText(got.diags)
		if !hasError(got.diags) || !strings.Contains(text, c.want) {
			t.Errorf("%s %s: %s, want an error with %q", c.resource, show(c.identity), text, c.want)
		}
	}
}

func expectAttr(name string, want any) func(map[string]any) error {
	return func(state map[string]any) error {
		if show(state[name]) != show(want) {
			return fmt.Errorf("%s = %s, want %s", name, show(state[name]), show(want))
		}
		return nil
	}
}

// withNulls adds the attributes of like that want leaves out, as null.
func withNulls(want, like map[string]any) map[string]any {
	out := map[string]any{}
	for k := range like {
		out[k] = nil
	}
	for k, v := range want {
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
