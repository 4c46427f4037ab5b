package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func setConfig(s *site, space string, p permissions.Principal, ops ...string) string {
	return s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission_set" "test" {
  space_key  = %q
  principal  = %s
  operations = [%s]
}
`, space, principalHCL(p), quoteList(ops))
}

func quoteList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(quoted, ", ")
}

func expectSetOperations(ops ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(ops))
	for i, op := range ops {
		checks[i] = knownvalue.StringExact(op)
	}
	return statecheck.ExpectKnownValue("confluence_space_permission_set.test", tfjsonpath.New("operations"), knownvalue.SetExact(checks))
}

func updates(addr string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}
}

func TestAccSpacePermissionSet_lifecycle(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		bob := s.user("bob")
		const addr = "confluence_space_permission_set.test"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             func(*terraform.State) error { return s.expectOperations("HR", bob)() },
			Steps: []resource.TestStep{
				{
					Config:            setConfig(s, "HR", bob, "create/page", "read/space"),
					ConfigStateChecks: []statecheck.StateCheck{expectSetOperations("read/space", "create/page")},
					Check: func(*terraform.State) error {
						return s.expectOperations("HR", bob, "read/space", "create/page")()
					},
				},
				{
					ResourceName:      addr,
					ImportState:       true,
					ImportStateId:     "HR/user/" + bob.ID,
					ImportStateVerify: true,
				},
				{
					// Add operations.
					Config:           setConfig(s, "HR", bob, "read/space", "create/page", "delete/page", "export/space"),
					ConfigPlanChecks: updates(addr),
					Check: func(*terraform.State) error {
						return s.expectOperations("HR", bob, "read/space", "create/page", "delete/page", "export/space")()
					},
				},
				{
					// Remove operations.
					Config:           setConfig(s, "HR", bob, "read/space", "export/space"),
					ConfigPlanChecks: updates(addr),
					Check:            func(*terraform.State) error { return s.expectOperations("HR", bob, "read/space", "export/space")() },
				},
				{
					// A grant added by hand shows as a change and is removed.
					PreConfig:        func() { s.grant("HR", bob, "create/comment") },
					Config:           setConfig(s, "HR", bob, "read/space", "export/space"),
					ConfigPlanChecks: updates(addr),
					Check:            func(*terraform.State) error { return s.expectOperations("HR", bob, "read/space", "export/space")() },
				},
				{
					// A grant removed by hand shows as a change and comes back.
					PreConfig:        func() { s.revoke("HR", bob, "export/space") },
					Config:           setConfig(s, "HR", bob, "read/space", "export/space"),
					ConfigPlanChecks: updates(addr),
					Check:            func(*terraform.State) error { return s.expectOperations("HR", bob, "read/space", "export/space")() },
				},
				{
					Config:   setConfig(s, "HR", bob, "read/space", "export/space"),
					PlanOnly: true,
				},
			},
		})
	})
}

// Creating a set for a principal that already holds grants takes them
// over: what is not listed goes.
func TestAccSpacePermissionSet_authoritativeOnCreate(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		hr := s.group("hr-team") // holds read/space, create/page, delete/page, create/attachment in HR
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: setConfig(s, "HR", hr, "read/space", "create/page", "create/comment"),
				Check: func(*terraform.State) error {
					return s.expectOperations("HR", hr, "read/space", "create/page", "create/comment")()
				},
			}},
		})
	})
}

// When Confluence fails part way through an update, state records what
// really exists, the error says what was and was not applied, and the next
// plan shows the rest. Cloud and the remote API make one call per grant;
// Data Center REST replaces the principal's grants in one call, so there
// nothing is applied.
func TestAccSpacePermissionSet_partialFailure(t *testing.T) {
	faults := map[string]struct {
		route   string
		applied string
	}{
		"cloud": {"DELETE /wiki/rest/api/space/{spaceKey}/permission/{id}", "2 of 4"},
		"rpc":   {"POST /rpc/json-rpc/confluenceservice-v2 removePermissionFromSpace", "2 of 4"},
		"rest":  {"POST /rest/api/space/{spaceKey}/permissions", "0 of 4"},
	}
	onEveryTarget(t, func(t *testing.T, s *site) {
		bob := s.user("bob")
		fault := faults[s.api]
		const addr = "confluence_space_permission_set.test"
		held := []string{"read/space", "create/page", "delete/page", "export/space", "create/comment"}
		want := `Forbidden … In space HR, ` + fault.applied + ` changes were applied before this failure … `
		if fault.applied == "0 of 4" {
			held = []string{"read/space", "create/page", "delete/page"}
			want += `not applied: add export/space for user bob; add create/comment for user bob; ` +
				`remove delete/page for user bob; remove create/page for user bob`
		} else {
			want += `applied: add export/space for user ` + bob.ID + `; add create/comment for user ` + bob.ID + ` … ` +
				`not applied: remove delete/page for user ` + bob.ID + `; remove create/page for user ` + bob.ID
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: setConfig(s, "HR", bob, "read/space", "create/page", "delete/page")},
				{
					// The first removal is refused (on Data Center REST, the one call).
					PreConfig: func() {
						if err := s.sim.InjectFault(confluencesim.ServerError(fault.route, 1, 403)); err != nil {
							t.Fatal(err)
						}
					},
					Config:      setConfig(s, "HR", bob, "read/space", "export/space", "create/comment"),
					ExpectError: errorText(want),
				},
				{
					// State holds what exists: the next plan still shows the
					// rest of the change, and nothing else.
					Config:             setConfig(s, "HR", bob, "read/space", "export/space", "create/comment"),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigStateChecks:  []statecheck.StateCheck{expectSetOperations(held...)},
				},
				{
					Config:           setConfig(s, "HR", bob, "read/space", "export/space", "create/comment"),
					ConfigPlanChecks: updates(addr),
					Check: func(*terraform.State) error {
						return s.expectOperations("HR", bob, "read/space", "export/space", "create/comment")()
					},
				},
			},
		})
	})
}

func TestAccSpacePermissionSet_badInput(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	bob := s.user("bob")
	cases := []struct {
		name, config, want string
	}{
		{"empty operations", setConfig(s, "HR", bob),
			`user ` + bob.ID + ` in space HR: operations is empty. List the permissions to grant`},
		{"read/space missing", setConfig(s, "HR", bob, "create/page"),
			`user ` + bob.ID + ` in space HR: operations must include "read/space"`},
		{"unknown operation", setConfig(s, "HR", bob, "read/space", "write/page"),
			`user ` + bob.ID + ` in space HR: operation "write/page" is not a Confluence space permission`},
		{"unknown user", setConfig(s, "HR", permissions.Principal{Type: permissions.User, ID: "ffffffffffffffffffffffff"}, "read/space"),
			`Cannot set the permissions of user ffffffffffffffffffffffff in space HR … No user with id "ffffffffffffffffffffffff" exists on this site`},
		{"anonymous admin", setConfig(s, "HR", permissions.AnonymousPrincipal, "read/space", "administer/space"),
			`anonymous in space HR: anonymous users cannot hold "administer/space"`},
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

// Taking administer/space from the only administrator of a space is
// refused before any call: nobody could manage the space afterwards.
func TestAccSpacePermissionSet_lastAdminGuard(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		carol := s.user("carol") // the only admin of HR
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: setConfig(s, "HR", carol, "read/space", "administer/space", "restrict_content/space")},
				{
					Config:      setConfig(s, "HR", carol, "read/space", "restrict_content/space"),
					ExpectError: errorText(`user ` + carol.ID + ` in space HR … this change would leave space HR with no "administer/space" grant, and then nobody could manage its permissions`),
					Check: func(*terraform.State) error {
						return s.expectOperations("HR", carol, "read/space", "administer/space", "restrict_content/space")()
					},
				},
				{
					// With another administrator in place, the same change goes through.
					PreConfig: func() {
						s.grant("HR", s.user("alice"), "read/space")
						s.grant("HR", s.user("alice"), "administer/space")
					},
					Config: setConfig(s, "HR", carol, "read/space", "restrict_content/space"),
					Check: func(*terraform.State) error {
						return s.expectOperations("HR", carol, "read/space", "restrict_content/space")()
					},
				},
			},
		})
	})
}
