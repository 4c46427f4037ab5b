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

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// grantsConfig declares one confluence_space_permission per operation, named
// after it (read_space, create_page, ...), with no depends_on: read/space and
// the rest side by side. (for_each is covered by the -parallelism tests;
// terraform-plugin-testing cannot address for_each instances by name.)
func grantsConfig(s *site, space string, p permissions.Principal, ops ...string) string {
	config := s.providerBlock()
	for _, op := range ops {
		config += fmt.Sprintf(`
resource "confluence_space_permission" %q {
  space_key = %q
  principal = %s
  operation = %q
}
`, resourceName(op), space, principalHCL(p), op)
	}
	return config
}

func resourceName(op string) string { return strings.NewReplacer("/", "_").Replace(op) }

func TestAccSpacePermission_lifecycle(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		carol := s.user("carol")
		addr := "confluence_space_permission.create_page"

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy: func(*terraform.State) error {
				return s.expectOperations("DOCS", carol)()
			},
			Steps: []resource.TestStep{
				{
					// Create: read/space and create/page declared side by side.
					Config: grantsConfig(s, "DOCS", carol, "read/space", "create/page"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"),
							knownvalue.StringExact("DOCS/user/"+carol.ID+"/create/page")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("principal").AtMapKey("type"), knownvalue.StringExact("user")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("principal").AtMapKey("id"), knownvalue.StringExact(carol.ID)),
					},
					Check: func(*terraform.State) error {
						return s.expectOperations("DOCS", carol, "read/space", "create/page")()
					},
				},
				{
					// Import by the human-readable id.
					ResourceName:      addr,
					ImportState:       true,
					ImportStateId:     "DOCS/user/" + carol.ID + "/create/page",
					ImportStateVerify: true,
				},
				{
					// A second plan is empty.
					Config:   grantsConfig(s, "DOCS", carol, "read/space", "create/page"),
					PlanOnly: true,
				},
				{
					// Someone removes the grant in the Confluence UI: the plan
					// creates it again, and apply restores it.
					PreConfig: func() { s.revoke("DOCS", carol, "create/page") },
					Config:    grantsConfig(s, "DOCS", carol, "read/space", "create/page"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
					Check: func(*terraform.State) error {
						return s.expectOperations("DOCS", carol, "read/space", "create/page")()
					},
				},
				{
					// Changing the operation replaces the grant.
					Config: grantsConfig(s, "DOCS", carol, "read/space", "delete/page"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroy),
							plancheck.ExpectResourceAction("confluence_space_permission.delete_page", plancheck.ResourceActionCreate),
						},
					},
					Check: func(*terraform.State) error {
						return s.expectOperations("DOCS", carol, "read/space", "delete/page")()
					},
				},
			},
		})
	})
}

// Public access through every step of its life, on every target: Cloud's v2
// list shows the anonymous grant as role/ANONYMOUS on real sites, and as
// user/anonymous on the variant target, while v1 writes name it
// user/anonymous; reading only one form would leave public access in place
// while Terraform reports it removed.
func TestAccSpacePermission_anonymous(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		config := s.providerBlock() + `
resource "confluence_space_permission" "public" {
  space_key = "ENG"
  principal = { type = "anonymous" }
  operation = "read/space"
}
`
		const addr = "confluence_space_permission.public"
		public := func(ops ...string) func(*terraform.State) error {
			return func(*terraform.State) error {
				return s.expectOperations("ENG", permissions.AnonymousPrincipal, ops...)()
			}
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			// Destroying removes public access for real.
			CheckDestroy: public(),
			Steps: []resource.TestStep{
				{
					Config: config,
					Check:  public("read/space"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("ENG/anonymous/read/space")),
					},
				},
				// Read back: the grant is found, so the next plan is empty.
				{Config: config, PlanOnly: true},
				{ResourceName: addr, ImportState: true, ImportStateId: "ENG/anonymous/read/space", ImportStateVerify: true},
				{
					// Removed in the Confluence UI: the plan creates it again.
					PreConfig: func() { s.revoke("ENG", permissions.AnonymousPrincipal, "read/space") },
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
					Check: public("read/space"),
				},
				{
					// Granted again by hand while Terraform still has it: adopted.
					PreConfig: func() {
						s.revoke("ENG", permissions.AnonymousPrincipal, "read/space")
						s.grant("ENG", permissions.AnonymousPrincipal, "read/space")
					},
					Config:   config,
					PlanOnly: true,
				},
			},
		})
	})
}

// A grant that exists before Terraform manages it is adopted, not refused
// as a duplicate; read/space missing for another grant is granted with a
// warning rather than failing.
func TestAccSpacePermission_adoptsExistingGrant(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		alice := s.user("alice") // already holds read/space, administer/space and export/space in DOCS
		config := s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission" "export" {
  space_key = "DOCS"
  principal = %s
  operation = "export/space"
}
`, principalHCL(alice))
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: config,
				Check: func(*terraform.State) error {
					return s.expectOperations("DOCS", alice, "read/space", "administer/space", "export/space")()
				},
			}},
			CheckDestroy: func(*terraform.State) error {
				return s.expectOperations("DOCS", alice, "read/space", "administer/space")()
			},
		})
	})
}

func TestAccSpacePermission_grantsReadWhenMissing(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		bob := s.user("bob") // holds nothing in HR
		config := s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission" "comment" {
  space_key = "HR"
  principal = %s
  operation = "create/comment"
}
`, principalHCL(bob))
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: config,
				Check:  func(*terraform.State) error { return s.expectOperations("HR", bob, "read/space", "create/comment")() },
			}},
		})
	})
}

// A deleted space takes its grants out of state: the next plan wants to
// create them again.
func TestAccSpacePermission_deletedSpaceLeavesState(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		bob := s.user("bob")
		config := grantsConfig(s, "OPS", bob, "read/space", "export/space")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() {
						if err := s.sim.DeleteSpace("OPS"); err != nil {
							t.Fatal(err)
						}
					},
					Config:             config,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("confluence_space_permission.read_space", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("confluence_space_permission.export_space", plancheck.ResourceActionCreate),
						},
					},
				},
				{
					// With the space gone, removing the configuration is clean.
					Config: s.providerBlock(),
				},
			},
		})
	})
}

func TestAccSpacePermission_badInput(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	bob := s.user("bob")
	one := func(space, principal, op string) string {
		return s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission" "bad" {
  space_key = %q
  principal = %s
  operation = %q
}
`, space, principal, op)
	}
	cases := []struct {
		name   string
		config string
		want   string
	}{
		{"unknown operation", one("DOCS", principalHCL(bob), "fly/space"),
			`in space DOCS: operation "fly/space" is not a Confluence space permission; valid operations are: read/space, administer/space`},
		{"pair Confluence rejects", one("DOCS", principalHCL(bob), "administer/page"),
			`operation "administer/page" is not a Confluence space permission`},
		{"not key/target", one("DOCS", principalHCL(bob), "admin"),
			`operation "admin" is not of the form key/target`},
		{"operation of the other deployment", one("DOCS", principalHCL(bob), "delete_mail/space"),
			`operation "delete_mail/space" (Delete mail) does not exist on Confluence Cloud; valid operations there are: read/space`},
		{"anonymous admin", one("DOCS", `{ type = "anonymous" }`, "administer/space"),
			`Anonymous users cannot administer a space`},
		{"user without id", one("DOCS", `{ type = "user" }`, "read/space"),
			`a user principal needs an id`},
		{"unknown space", one("NOPE", principalHCL(bob), "read/space"),
			`Cannot grant read/space in space NOPE … space "NOPE" does not exist, or the provider's account cannot view it`},
		{"unknown accountId", one("DOCS", `{ type = "user", id = "000000000000000000000000" }`, "read/space"),
			`granting read/space to user 000000000000000000000000 in space DOCS failed … No user with id "000000000000000000000000" exists on this site (Cloud names users by accountId`},
		{"unknown group", one("DOCS", `{ type = "group", id = "00000000-0000-0000-0000-000000000000" }`, "read/space"),
			`No group with id "00000000-0000-0000-0000-000000000000" exists on this site (Cloud names groups by groupId`},
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

func TestAccSpacePermission_badImportID(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		config := s.providerBlock() + `
resource "confluence_space_permission" "x" {
  space_key = "DOCS"
  principal = { type = "anonymous" }
  operation = "read/space"
}
`
		for id, want := range map[string]string{
			// A principal's import id where a grant's is expected: the
			// operation is what is missing.
			"DOCS/user/read":                 `import id "DOCS/user/read" names user read in space DOCS but no operation: add it at the end`,
			"DOCS/read/space":                `import id "DOCS/read/space" has a bad principal: no principal type after the space key`,
			"docs-team/anonymous/read/space": `import id "docs-team/anonymous/read/space" does not start with a space key: "docs-team" is not a Confluence space key`,
			"DOCS":                           `import id "DOCS" has no operation; expected SPACEKEY/TYPE/ID/KEY/TARGET`,
			"DOCS/anonymous/fly/space":       `operation "fly/space" is not a Confluence space permission`,
			"DOCS/user/nobody/read/space":    `Cannot import non-existent remote object`,
		} {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:        config,
					ResourceName:  "confluence_space_permission.x",
					ImportState:   true,
					ImportStateId: id,
					ExpectError:   errorText(want),
				}},
			})
		}
	})
}

func TestAccSpacePermission_wrongCredentials(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		s.token = "not-the-token"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      grantsConfig(s, "DOCS", s.user("bob"), "read/space"),
				ExpectError: errorText(`401 Unauthorized … Confluence did not accept the provider's credentials: check user and api_token`),
			}},
		})
	})
}
