package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Inputs that only make sense on one deployment, given to the other.
func TestAccDataCenter_badInput(t *testing.T) {
	for _, tg := range dataCenterTargets() {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			s := tg.start(t)
			grant := func(principal, op string) string {
				return s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission" "bad" {
  space_key = "DOCS"
  principal = %s
  operation = %q
}
`, principal, op)
			}
			cases := []struct{ name, config, want string }{
				{"unknown username", grant(`{ type = "user", id = "nobody" }`, "read/space"),
					`user "nobody" does not exist`},
				{"unknown group", grant(`{ type = "group", id = "no-such-group" }`, "read/space"),
					`group "no-such-group" does not exist`},
				{"Cloud accountId", grant(`{ type = "user", id = "5b10ac8d82e05b22cc7d4ef5" }`, "read/space"),
					`this looks like a Cloud accountId; Data Center names users by username`},
				{"Cloud-only operation", grant(`{ type = "user", id = "bob" }`, "archive/page"),
					`operation "archive/page" (Archive pages) does not exist on Confluence Data Center`},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					resource.Test(t, resource.TestCase{
						ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
						Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: errorText(tc.want)}},
					})
				})
			}
		})
	}
}

// A Data Center personal access token sent to Cloud is refused with a
// message about the credentials.
func TestAccCloud_dataCenterTokenRefused(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	s.bearer, s.token = true, "NjE2NzQ1NDM2NjY5OkXAMPLEPAT"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s.providerBlock() + `data "confluence_space" "docs" { key = "DOCS" }`,
			ExpectError: errorText(`401 Unauthorized … Confluence did not accept the provider's credentials`),
		}},
	})
}

func TestAccDataCenter_userAndGroupDataSources(t *testing.T) {
	for _, tg := range dataCenterTargets() {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			s := tg.start(t)
			alice, _ := s.sim.UserByUsername("alice")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: s.providerBlock() + `
data "confluence_user" "alice" { username = "Alice" }
data "confluence_group" "eng" { name = "Engineering" }
`,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.confluence_user.alice", tfjsonpath.New("id"), knownvalue.StringExact("alice")),
							statecheck.ExpectKnownValue("data.confluence_user.alice", tfjsonpath.New("user_key"), knownvalue.StringExact(alice.UserKey)),
							statecheck.ExpectKnownValue("data.confluence_user.alice", tfjsonpath.New("display_name"), knownvalue.StringExact("Alice Martin")),
							statecheck.ExpectKnownValue("data.confluence_group.eng", tfjsonpath.New("id"), knownvalue.StringExact("engineering")),
						},
					},
					{
						Config:      s.providerBlock() + `data "confluence_user" "x" { account_id = "5b10ac8d82e05b22cc7d4ef5" }`,
						ExpectError: errorText(`Confluence Data Center names users by username; set username instead of account_id`),
					},
				},
			})
		})
	}
}

// With neither deployment nor data_center_api set, the provider finds out by
// itself on every Data Center version which API manages permissions:
// GET /rest/api/server-information answers from 9.1, which brought the REST
// API, and is an unknown route (404) before, where the remote API is used.
// The simulator's remote API is switched on only where it is needed, so
// choosing wrongly fails the apply.
func TestAccDataCenter_everyVersionWithoutSettings(t *testing.T) {
	for _, tt := range []struct {
		version string
		api     string
	}{
		{"7.19.20", "rpc"},
		{"8.5.16", "rpc"},
		{"9.0.3", "rpc"},
		{"9.1.0", "rest"},
		{"10.1.0", "rest"},
	} {
		t.Run(tt.version, func(t *testing.T) {
			t.Parallel()
			s := dataCenterSite(t, "", tt.version)
			bob := s.user("bob")
			writes := map[string]string{
				"rest": "PUT /rest/api/space/{spaceKey}/permissions/user/{userKey}/grant",
				"rpc":  "POST /rpc/json-rpc/confluenceservice-v2 addPermissionToSpace",
			}[tt.api]
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					return s.expectOperations("DOCS", bob)()
				},
				Steps: []resource.TestStep{
					{
						Config: grantsConfig(s, "DOCS", bob, "read/space"),
						Check: func(*terraform.State) error {
							if n := s.sim.RequestCount(writes); n != 1 {
								return fmt.Errorf("%d requests %s, want the grant written once through the %s API; counts: %v", n, writes, tt.api, s.sim.RequestCounts())
							}
							return s.expectOperations("DOCS", bob, "read/space")()
						},
					},
					{Config: grantsConfig(s, "DOCS", bob, "read/space"), PlanOnly: true},
				},
			})
		})
	}
}
