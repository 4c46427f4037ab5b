package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Inputs that only make sense on one deployment, given to the other.
func TestAccDataCenter_badInput(t *testing.T) {
	for _, tg := range targets[1:] {
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
					resource.UnitTest(t, resource.TestCase{
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s.providerBlock() + `data "confluence_space" "docs" { key = "DOCS" }`,
			ExpectError: errorText(`401 Unauthorized … Confluence did not accept the provider's credentials`),
		}},
	})
}

func TestAccDataCenter_userAndGroupDataSources(t *testing.T) {
	for _, tg := range targets[1:] {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			s := tg.start(t)
			alice, _ := s.sim.UserByUsername("alice")
			resource.UnitTest(t, resource.TestCase{
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
