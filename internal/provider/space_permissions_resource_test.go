package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// entry is one principal's line in a grants set.
type entry struct {
	p   permissions.Principal
	ops []string
}

func spaceConfig(s *site, space string, entries ...entry) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "    %q = [%s]\n", e.p.Key(), quoteList(e.ops))
	}
	return s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permissions" "test" {
  space_key = %q
  grants = {
%s  }
}
`, space, b.String())
}

// expectSpace checks that Confluence holds exactly these grants in a space
// (principals of types the provider does not manage aside).
func (s *site) expectSpace(space string, entries ...entry) func() error {
	return func() error {
		grants, err := s.sim.Grants(space)
		if err != nil {
			return err
		}
		got := permissions.Grants{}
		for _, g := range grants {
			if got[g.Principal] == nil {
				got[g.Principal] = permissions.OperationSet{}
			}
			got[g.Principal][g.Operation] = struct{}{}
		}
		want := permissions.Grants{}
		for _, e := range entries {
			p := s.simPrincipal(e.p)
			want[p] = permissions.OperationSet{}
			for _, o := range e.ops {
				op, _ := permissions.ParseOperation(o)
				want[p][op] = struct{}{}
			}
		}
		if render(got) != render(want) {
			return fmt.Errorf("space %s holds\n%s\nwant\n%s", space, render(got), render(want))
		}
		return nil
	}
}

func render(g permissions.Grants) string {
	var lines []string
	for _, p := range g.Principals() {
		lines = append(lines, p.String()+": "+strings.Join(g[p].Strings(), ", "))
	}
	return strings.Join(lines, "\n")
}

func TestAccSpacePermissions_lifecycle(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		alice, bob, carol := s.user("alice"), s.user("bob"), s.user("carol")
		users, eng := s.group("confluence-users"), s.group("engineering")
		anon := permissions.AnonymousPrincipal
		const addr = "confluence_space_permissions.test"

		v1 := []entry{
			{alice, []string{"read/space", "administer/space", "export/space"}},
			{users, []string{"read/space", "create/page"}},
			{eng, []string{"read/space", "create/comment"}},
			{anon, []string{"read/space"}},
		}
		v2 := []entry{ // bob added, anonymous removed
			{alice, []string{"read/space", "administer/space", "export/space"}},
			{users, []string{"read/space", "create/page"}},
			{eng, []string{"read/space", "create/comment"}},
			{bob, []string{"read/space"}},
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			// Destroy leaves the permissions as they are.
			CheckDestroy: func(*terraform.State) error { return s.expectSpace("DOCS", v2...)() },
			Steps: []resource.TestStep{
				{
					Config: spaceConfig(s, "DOCS", v1...),
					Check:  func(*terraform.State) error { return s.expectSpace("DOCS", v1...)() },
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("DOCS")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("grants"), knownvalue.MapSizeExact(4)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("grants").AtMapKey(eng.Key()),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("read/space"), knownvalue.StringExact("create/comment")})),
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateId: "DOCS", ImportStateVerify: true},
				{
					Config:           spaceConfig(s, "DOCS", v2...),
					ConfigPlanChecks: updates(addr),
					Check:            func(*terraform.State) error { return s.expectSpace("DOCS", v2...)() },
				},
				{
					// A principal given access by hand is shown and removed.
					PreConfig:        func() { s.grant("DOCS", carol, "read/space") },
					Config:           spaceConfig(s, "DOCS", v2...),
					ConfigPlanChecks: updates(addr),
					Check:            func(*terraform.State) error { return s.expectSpace("DOCS", v2...)() },
				},
				{
					// A grant removed by hand is shown and restored.
					PreConfig:        func() { s.revoke("DOCS", eng, "create/comment") },
					Config:           spaceConfig(s, "DOCS", v2...),
					ConfigPlanChecks: updates(addr),
					Check:            func(*terraform.State) error { return s.expectSpace("DOCS", v2...)() },
				},
				{Config: spaceConfig(s, "DOCS", v2...), PlanOnly: true},
			},
		})
	})
}

func TestAccSpacePermissions_badInput(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	alice, bob := s.user("alice"), s.user("bob")
	admin := entry{alice, []string{"read/space", "administer/space"}}
	cases := []struct {
		name, config, want string
	}{
		{"no administrator left", spaceConfig(s, "DOCS", entry{bob, []string{"read/space", "export/space"}}, entry{permissions.AnonymousPrincipal, []string{"read/space"}}),
			`Space would have no administrator … this change would leave space DOCS with no "administer/space" grant`},
		{"not a principal", s.providerBlock() + `
resource "confluence_space_permissions" "test" {
  space_key = "DOCS"
  grants = {
    "user:` + alice.ID + `" = ["read/space", "administer/space"]
    "bob" = ["read/space"]
  }
}
`, `In space DOCS: principal "bob" is not "user:ID", "group:ID" or "anonymous"`},
		{"empty operations", spaceConfig(s, "DOCS", admin, entry{bob, nil}),
			`user ` + bob.ID + ` in space DOCS: operations is empty`},
		{"read/space missing", spaceConfig(s, "DOCS", admin, entry{bob, []string{"create/page"}}),
			`user ` + bob.ID + ` in space DOCS: operations must include "read/space"`},
		{"unknown group", spaceConfig(s, "DOCS", admin, entry{permissions.Principal{Type: permissions.Group, ID: "no-such-group"}, []string{"read/space"}}),
			`group no-such-group in space DOCS … No group with id "no-such-group" exists on this site`},
		{"unknown space", spaceConfig(s, "NOPE", admin),
			`space "NOPE" does not exist, or the provider's account cannot view it`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: errorText(tc.want)}},
			})
		})
	}
}

func TestAccSpacePermissionsDataSource(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		alice, users := s.user("alice"), s.group("confluence-users")
		config := s.providerBlock() + `
data "confluence_space_permissions" "docs" {
  space_key = "DOCS"
}
`
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.confluence_space_permissions.docs", tfjsonpath.New("grants"), knownvalue.MapExact(map[string]knownvalue.Check{
							alice.Key():                          operationsCheck("read/space", "administer/space", "export/space"),
							users.Key():                          operationsCheck("read/space", "create/page", "create/comment", "create/attachment"),
							permissions.AnonymousPrincipal.Key(): operationsCheck("read/space"),
						})),
						statecheck.ExpectKnownValue("data.confluence_space_permissions.docs", tfjsonpath.New("unmanaged_grants"), knownvalue.MapSizeExact(0)),
					},
				},
				{
					Config:      s.providerBlock() + `data "confluence_space_permissions" "x" { space_key = "NOPE" }`,
					ExpectError: errorText(`Cannot read the permissions of space NOPE … space "NOPE" does not exist`),
				},
			},
		})
	})
}

func operationsCheck(ops ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ops))
	for i, op := range ops {
		checks[i] = knownvalue.StringExact(op)
	}
	return knownvalue.SetExact(checks)
}
