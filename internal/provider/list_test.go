package provider

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The list resources, through ListResource as `terraform query` calls it.

var listTypes = []string{
	"confluence_space_permission", "confluence_space_permission_set", "confluence_space_permissions",
	"confluence_space_role_assignment", "confluence_space_role_assignments",
}

// TestProtocolListDemoSite logs what a list block of every list resource
// returns for the demo site (internal/confluencesim/seeds/demo.json), on
// Cloud, then for the same site moved to space roles with the roles of the
// scenarios: the lines the documentation quotes.
func TestProtocolListDemoSite(t *testing.T) {
	demo := cloudSite(t).protocol(t)
	want := map[string]int{"confluence_space_permission": 31, "confluence_space_permission_set": 10, "confluence_space_permissions": 4}
	for _, typ := range listTypes {
		results := demo.list(typ, listRequest{include: true}, nil)
		t.Logf("list %q \"all\" {} on the demo site:", typ)
		logResults(t, results)
		switch n, ok := want[typ]; {
		case ok && (len(results) != n || anyDiagnostics(results)):
			t.Errorf("%s: %d results, want %d", typ, len(results), n)
		case !ok && (len(results) != 1 || !strings.Contains(diagnosticsText(results[0].diags), "Space roles are not enabled on this site")):
			t.Errorf("%s on a site without space roles: %v", typ, results)
		}
	}
	roles := rolesScenarioSite(t).protocol(t)
	for typ, n := range map[string]int{"confluence_space_role_assignment": 7, "confluence_space_role_assignments": 2} {
		results := roles.list(typ, listRequest{include: true}, nil)
		t.Logf("list %q \"all\" {} on the demo site in roles mode, with the roles of the scenarios:", typ)
		logResults(t, results)
		if len(results) != n || anyDiagnostics(results) {
			t.Errorf("%s: %d results, want %d", typ, len(results), n)
		}
	}
}

func logResults(t *testing.T, results []listResult) {
	t.Helper()
	for _, r := range results {
		if len(r.diags) > 0 {
			t.Logf("  %s", strings.TrimSpace(diagnosticsText(r.diags)))
			continue
		}
		t.Logf("  %-60s identity %s", r.display, show(r.identity))
	}
}

func anyDiagnostics(results []listResult) bool {
	for _, r := range results {
		if len(r.diags) > 0 {
			return true
		}
	}
	return false
}

// TestProtocolListGrants: on every target, every grant of the spaces named
// is listed once, with its identity and display name, and with
// include_resource the object Terraform writes the configuration from.
// Importing a result by its identity gives that object back after Read.
func TestProtocolListGrants(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		p := s.protocol(t)
		alice, users := s.user("alice"), s.group("confluence-users")
		results := p.list("confluence_space_permission", listRequest{config: map[string]any{"space_keys": []string{"DOCS"}}, include: true}, nil)
		var displays []string
		for _, r := range results {
			displays = append(displays, r.display)
		}
		aliceName := "Alice Martin"
		if s.deployment == permissions.DataCenter {
			aliceName = "alice" // the username, which Data Center grants are written with
		}
		want := []string{
			"DOCS: user " + aliceName + " — read/space", "DOCS: user " + aliceName + " — administer/space", "DOCS: user " + aliceName + " — export/space",
			"DOCS: group " + users.ID + " — read/space", "DOCS: group " + users.ID + " — create/page",
			"DOCS: group " + users.ID + " — create/comment", "DOCS: group " + users.ID + " — create/attachment",
			"DOCS: anonymous — read/space",
		}
		if strings.Join(displays, "\n") != strings.Join(want, "\n") {
			t.Fatalf("results:\n%s\nwant:\n%s", strings.Join(displays, "\n"), strings.Join(want, "\n"))
		}
		first := results[0]
		if show(first.identity) != show(map[string]any{"space_key": "DOCS", "principal_type": "user", "principal_id": alice.ID, "operation": "read/space"}) {
			t.Errorf("identity: %s", show(first.identity))
		}
		if id := results[7].identity["principal_id"]; id != nil {
			t.Errorf("anonymous has principal_id %v", id)
		}
		for _, r := range []listResult{results[0], results[4], results[7]} {
			imp := s.protocol(t).importByIdentity("confluence_space_permission", r.identity)
			read := p.read("confluence_space_permission", imp.state, imp.identity, imp.private)
			if len(read.diags) > 0 || show(read.state) != show(r.resource) {
				t.Errorf("imported by identity and read: %s %s, the list said %s", show(read.state), diagnosticsText(read.diags), show(r.resource))
			}
		}
	})
}

// TestProtocolListSetsAndSpaces: the other grant lists, with include_resource
// off (no objects) and on.
func TestProtocolListSetsAndSpaces(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		p := s.protocol(t)
		sets := p.list("confluence_space_permission_set", listRequest{config: map[string]any{"space_keys": []string{"HR", "ENG"}}}, nil)
		var got []string
		for _, r := range sets {
			got = append(got, r.identity["space_key"].(string)+"/"+r.identity["principal_type"].(string))
			if r.resource != nil {
				t.Errorf("include_resource is false, yet a resource came: %s", show(r.resource))
			}
		}
		// In the order of space_keys, users before groups.
		if strings.Join(got, " ") != "HR/user HR/group ENG/user ENG/group ENG/group" {
			t.Errorf("sets: %v", got)
		}
		spaces := p.list("confluence_space_permissions", listRequest{config: map[string]any{"space_keys": []string{"ENG"}}, include: true}, nil)
		if len(spaces) != 1 || spaces[0].display != "ENG (Engineering): 3 principals, 11 permissions" {
			t.Fatalf("spaces: %v", spaces)
		}
		grants, _ := spaces[0].resource["grants"].(map[string]any)
		if show(grants[s.user("bob").Key()]) != show([]string{"administer/space", "read/space"}) {
			t.Errorf("grants of ENG: %s", show(grants))
		}
	})
}

// TestProtocolListFilters: spaces selected like the confluence_spaces data
// source selects them, and one principal everywhere.
func TestProtocolListFilters(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		p := s.protocol(t)
		engineering := s.group("engineering")
		for _, c := range []struct {
			typ    string
			config map[string]any
			want   string
		}{
			// Spaces labelled engineering: ENG and OPS; their groups.
			{"confluence_space_permission_set", map[string]any{"space_labels": []string{"engineering"}, "principal_type": "group"},
				"ENG/group/" + strings.Join(sortedStrings(engineering.ID, s.group("confluence-users").ID), " ENG/group/") + " OPS/group/" + engineering.ID},
			// One group everywhere.
			{"confluence_space_permission_set", map[string]any{"principal_type": "group", "principal_id": engineering.ID},
				"ENG/group/" + engineering.ID + " OPS/group/" + engineering.ID},
			// The spaces anonymous users can see.
			{"confluence_space_permissions", map[string]any{"principal_type": "anonymous"}, "DOCS"},
			{"confluence_space_permission", map[string]any{"space_status": "archived"}, ""},
		} {
			var got []string
			for _, r := range p.list(c.typ, listRequest{config: c.config}, nil) {
				if len(r.diags) > 0 {
					t.Fatalf("%s %s: %s", c.typ, show(c.config), diagnosticsText(r.diags))
				}
				got = append(got, strings.TrimSuffix(r.identity["space_key"].(string)+"/"+str(r.identity["principal_type"])+"/"+str(r.identity["principal_id"]), "//"))
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("%s %s: %v, want %s", c.typ, show(c.config), got, c.want)
			}
		}
	})
}

func sortedStrings(s ...string) []string {
	sort.Strings(s)
	return s
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// TestProtocolListErrors: a list block that cannot mean what it says is
// refused before anything is read, by ValidateListResourceConfig and by
// ListResource alike, and an unknown space is named.
func TestProtocolListErrors(t *testing.T) {
	s := cloudSite(t)
	p := s.protocol(t)
	for _, c := range []struct {
		config map[string]any
		want   string
	}{
		{map[string]any{"space_keys": []string{"DOCS"}, "space_labels": []string{"docs"}, "space_status": "current"},
			"The list block sets space_keys and space_labels and space_status"},
		{map[string]any{"space_keys": []string{}}, "space_keys is empty"},
		{map[string]any{"principal_id": "x"}, `principal_id "x" needs principal_type`},
		{map[string]any{"principal_type": "anonymous", "principal_id": "x"}, "The anonymous principal takes no id"},
		{map[string]any{"space_keys": []string{"DO CS"}}, "Invalid space key"},
		{map[string]any{"principal_type": "role"}, "principal_type"},
	} {
		validated := p.validateList("confluence_space_permission_set", c.config)
		if !hasError(validated) || !strings.Contains(diagnosticsText(validated), c.want) {
			t.Errorf("validating %s: %s, want %q", show(c.config), diagnosticsText(validated), c.want)
		}
	}
	before := s.sim.TotalRequests()
	results := p.list("confluence_space_permission", listRequest{config: map[string]any{"space_keys": []string{"DOCS"}, "space_type": "global"}}, nil)
	if len(results) != 1 || !strings.Contains(diagnosticsText(results[0].diags), "Space keys and space filters together") || s.sim.TotalRequests() != before {
		t.Errorf("keys and filters: %v, %d requests", results, s.sim.TotalRequests()-before)
	}
	results = p.list("confluence_space_permission", listRequest{config: map[string]any{"space_keys": []string{"DOCS", "NOPE", "docs"}}}, nil)
	text := diagnosticsText(results[0].diags)
	if len(results) != 1 || !hasError(results[0].diags) || !strings.Contains(text, `No space has the key "NOPE"`) || !strings.Contains(text, `No space has the key "docs"`) ||
		!strings.Contains(text, "case-sensitive") {
		t.Errorf("unknown spaces: %v", results)
	}
	dc := dataCenterSite(t, "", "9.2.1").protocol(t)
	results = dc.list("confluence_space_role_assignment", listRequest{}, nil)
	if len(results) != 1 || !strings.Contains(diagnosticsText(results[0].diags), "Space roles are not enabled on this site") {
		t.Errorf("roles on Data Center: %v", results)
	}
	results = dc.list("confluence_space_permission", listRequest{config: map[string]any{"space_type": "collaboration"}}, nil)
	if len(results) != 1 || !strings.Contains(diagnosticsText(results[0].diags), `Confluence Data Center has no spaces of type "collaboration"`) {
		t.Errorf("a Cloud space type on Data Center: %v", results)
	}
}

// TestProtocolListStreamsSpaceBySpace: each space's grants are read once,
// when its turn comes (a result arrives before the next space is read),
// with the read the resources of the process share: reading a listed grant
// afterwards costs no request. The limit stops the reading too.
func TestProtocolListStreamsSpaceBySpace(t *testing.T) {
	s := cloudSite(t)
	p := s.protocol(t)
	const grantReads = "GET /wiki/api/v2/spaces/{id}/permissions"
	var readsAtFirst int
	results := p.list("confluence_space_permission", listRequest{include: true}, func(r listResult) {
		if readsAtFirst == 0 {
			readsAtFirst = s.sim.RequestCount(grantReads)
		}
	})
	if readsAtFirst != 1 || s.sim.RequestCount(grantReads) != 4 || s.sim.RequestCount("GET /wiki/api/v2/spaces") != 1 {
		t.Errorf("grant reads when the first result came: %d; in all: %d, space lists %d", readsAtFirst,
			s.sim.RequestCount(grantReads), s.sim.RequestCount("GET /wiki/api/v2/spaces"))
	}
	before := s.sim.TotalRequests()
	last := results[len(results)-1]
	if read := p.read("confluence_space_permission", last.resource, last.identity, nil); read.state == nil || s.sim.TotalRequests() != before {
		t.Errorf("reading a listed grant: %s, %d requests", diagnosticsText(read.diags), s.sim.TotalRequests()-before)
	}

	fresh := s.protocol(t)
	s.sim.ResetRequestCounts()
	if limited := fresh.list("confluence_space_permission", listRequest{limit: 3}, nil); len(limited) != 3 || s.sim.RequestCount(grantReads) != 1 {
		t.Errorf("limit 3: %d results, %d spaces read", len(limited), s.sim.RequestCount(grantReads))
	}
}

// TestProtocolListPaging: a space with more grants than one page holds
// (Cloud's v2 list and Data Center's REST API give 250 at most) is listed
// whole.
func TestProtocolListPaging(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		const people = 300
		space := confluencesim.SeedSpace{Key: "BIG", Name: "Big"}
		for i := range people {
			id := fmt.Sprintf("70000000000000000000%04d", i)
			if err := s.sim.AddUser(confluencesim.SeedUser{AccountID: id, DisplayName: "Person " + strconv.Itoa(i), Email: fmt.Sprintf("person%d@example.com", i)}); err != nil {
				t.Fatal(err)
			}
			ops := []string{"read/space"}
			if i == 0 {
				ops = append(ops, "administer/space")
			}
			space.Grants = append(space.Grants, confluencesim.SeedGrant{Principal: confluencesim.SeedPrincipal{Type: "user", ID: id}, Operations: ops})
		}
		if _, err := s.sim.CreateSpace(space); err != nil {
			t.Fatal(err)
		}
		results := s.protocol(t).list("confluence_space_permission", listRequest{config: map[string]any{"space_keys": []string{"BIG"}}}, nil)
		if len(results) != people+1 || anyDiagnostics(results) {
			t.Fatalf("%d results, want %d: %s", len(results), people+1, diagnosticsText(results[len(results)-1].diags))
		}
		seen := map[string]bool{}
		for _, r := range results {
			seen[show(r.identity)] = true
		}
		if len(seen) != people+1 {
			t.Errorf("%d distinct identities in %d results", len(seen), len(results))
		}
		if s.deployment == permissions.Cloud {
			if n := s.sim.RequestCount("GET /wiki/api/v2/spaces/{id}/permissions"); n != 2 {
				t.Errorf("%d pages of grants read, want 2", n)
			}
			if n := s.sim.RequestCount("POST /wiki/api/v2/users-bulk"); n != 2 {
				t.Errorf("%d users-bulk requests for %d users, want 2", n, people)
			}
			if results[people].display != "BIG: user Person 299 — read/space" {
				t.Errorf("last result: %q", results[people].display)
			}
		}
	})
}

// TestProtocolListSpaceDeletedMidStream: a space deleted after the list
// began is left out with a warning, and the list goes on.
func TestProtocolListSpaceDeletedMidStream(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		p := s.protocol(t)
		deleted := false
		results := p.list("confluence_space_permissions", listRequest{}, func(r listResult) {
			if !deleted {
				deleted = true
				if r.identity["space_key"] != "DOCS" {
					t.Fatalf("the first space is %v", r.identity)
				}
				if err := s.sim.DeleteSpace("HR"); err != nil {
					t.Fatal(err)
				}
			}
		})
		var got []string
		for _, r := range results {
			switch {
			case hasError(r.diags):
				t.Fatalf("error: %s", diagnosticsText(r.diags))
			case len(r.diags) > 0:
				got = append(got, "warning: "+r.diags[0].Summary)
			default:
				got = append(got, r.identity["space_key"].(string))
			}
		}
		if strings.Join(got, ", ") != "DOCS, ENG, warning: Space HR left out, OPS" {
			t.Errorf("results: %v", got)
		}
	})
}

// TestProtocolListRoleAssignments: on a site with space roles, every role
// assignment the provider can manage, by role name, so that configuration
// generated from the object sets role_name and not role_id too.
func TestProtocolListRoleAssignments(t *testing.T) {
	s := rolesScenarioSite(t)
	p := s.protocol(t)
	bob := s.user("bob")
	results := p.list("confluence_space_role_assignment", listRequest{config: map[string]any{"space_keys": []string{"HR"}}, include: true}, nil)
	var displays []string
	for _, r := range results {
		displays = append(displays, r.display)
	}
	want := "HR: user Bob Nguyen — Admin, HR: user Carol Okafor — Viewer, HR: user Terraform Automation — Admin, HR: group " + s.group("engineering").ID + " — Collaborator"
	if strings.Join(displays, ", ") != want {
		t.Fatalf("results: %s\nwant: %s", strings.Join(displays, ", "), want)
	}
	r := results[0]
	if show(r.identity) != show(map[string]any{"space_key": "HR", "principal_type": "user", "principal_id": bob.ID}) ||
		r.resource["role_name"] != "Admin" || r.resource["role_id"] != nil {
		t.Errorf("bob: identity %s, resource %s", show(r.identity), show(r.resource))
	}
	classes := p.list("confluence_space_role_assignment", listRequest{config: map[string]any{"principal_type": "access_class"}}, nil)
	if len(classes) != 1 || classes[0].display != "DOCS: access class anonymous-users — Viewer" {
		t.Errorf("access classes: %v", classes)
	}
	spaces := p.list("confluence_space_role_assignments", listRequest{config: map[string]any{"principal_type": "user", "principal_id": bob.ID}, include: true}, nil)
	if len(spaces) != 1 || spaces[0].display != "HR (Human Resources): 4 role assignments" {
		t.Fatalf("spaces where bob has a role: %v", spaces)
	}
	if a, _ := spaces[0].resource["assignments"].(map[string]any); a["user:"+bob.ID] != "Admin" || len(a) != 4 {
		t.Errorf("assignments: %s", show(spaces[0].resource))
	}
}

// TestProtocolListKeepsSecretsOut: refused credentials end a list with an
// error that says so, and neither the token nor the Authorization header
// appears in it.
func TestProtocolListKeepsSecretsOut(t *testing.T) {
	for _, typ := range []string{"confluence_space_permission", "confluence_space_role_assignments"} {
		s := cloudSite(t)
		s.token = "wrong-token-7f3a9c"
		p, diags := s.configuredProtocol(t)
		if !hasError(diags) {
			results := p.list(typ, listRequest{config: map[string]any{"space_keys": []string{"DOCS"}}}, nil)
			diags = results[0].diags
		}
		text := diagnosticsText(diags)
		header := base64.StdEncoding.EncodeToString([]byte(s.login + ":" + s.token))
		if !hasError(diags) || !strings.Contains(text, "401") || strings.Contains(text, s.token) || strings.Contains(text, header) {
			t.Errorf("%s with refused credentials: %s", typ, text)
		}
	}
}
