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

		resource.UnitTest(t, resource.TestCase{
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

func TestAccSpacePermission_anonymousImport(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		config := s.providerBlock() + `
resource "confluence_space_permission" "public" {
  space_key = "ENG"
  principal = { type = "anonymous" }
  operation = "read/space"
}
`
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy: func(*terraform.State) error {
				return s.expectOperations("ENG", permissions.AnonymousPrincipal)()
			},
			Steps: []resource.TestStep{
				{
					Config: config,
					Check: func(*terraform.State) error {
						return s.expectOperations("ENG", permissions.AnonymousPrincipal, "read/space")()
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("confluence_space_permission.public", tfjsonpath.New("id"), knownvalue.StringExact("ENG/anonymous/read/space")),
					},
				},
				{
					ResourceName:      "confluence_space_permission.public",
					ImportState:       true,
					ImportStateId:     "ENG/anonymous/read/space",
					ImportStateVerify: true,
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
		resource.UnitTest(t, resource.TestCase{
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
		resource.UnitTest(t, resource.TestCase{
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
		resource.UnitTest(t, resource.TestCase{
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
			resource.UnitTest(t, resource.TestCase{
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
			"DOCS/user/read":              `import id "DOCS/user/read" has a bad principal: no principal type after the space key`,
			"DOCS":                        `import id "DOCS" has no operation; expected SPACEKEY/TYPE/ID/KEY/TARGET`,
			"DOCS/anonymous/fly/space":    `operation "fly/space" is not a Confluence space permission`,
			"DOCS/user/nobody/read/space": `Cannot import non-existent remote object`,
		} {
			resource.UnitTest(t, resource.TestCase{
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
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      grantsConfig(s, "DOCS", s.user("bob"), "read/space"),
				ExpectError: errorText(`401 Unauthorized … Confluence did not accept the provider's credentials: check the user and API token`),
			}},
		})
	})
}
