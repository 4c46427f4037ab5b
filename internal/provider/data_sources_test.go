package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

func TestAccSpacesDataSource(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		config := s.providerBlock() + `
data "confluence_spaces" "all" {}
data "confluence_spaces" "some" { keys = ["HR", "DOCS", "NOPE"] }
data "confluence_spaces" "labelled" { labels = ["ops"] }
`
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.confluence_spaces.all", tfjsonpath.New("space_keys"),
							knownvalue.ListExact([]knownvalue.Check{
								knownvalue.StringExact("DOCS"), knownvalue.StringExact("ENG"),
								knownvalue.StringExact("HR"), knownvalue.StringExact("OPS"),
							})),
						statecheck.ExpectKnownValue("data.confluence_spaces.some", tfjsonpath.New("space_keys"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("DOCS"), knownvalue.StringExact("HR")})),
						statecheck.ExpectKnownValue("data.confluence_spaces.labelled", tfjsonpath.New("spaces"),
							knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"key": knownvalue.StringExact("OPS"), "name": knownvalue.StringExact("Operations"),
								"type": knownvalue.StringExact("global"), "status": knownvalue.StringExact("current"),
								"id": knownvalue.NotNull(),
							})})),
					},
				},
				{
					// A space created later appears on the next read.
					PreConfig: func() {
						if _, err := s.sim.CreateSpace(confluencesim.SeedSpace{Key: "NEW", Name: "New space", Grants: []confluencesim.SeedGrant{{
							Principal:  confluencesim.SeedPrincipal{Type: "user", ID: s.simPrincipal(s.user("alice")).ID},
							Operations: []string{"read/space", "administer/space"},
						}}}); err != nil {
							t.Fatal(err)
						}
					},
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.confluence_spaces.all", tfjsonpath.New("space_keys"),
							knownvalue.ListSizeExact(5)),
					},
				},
			},
		})
	})
}

func TestAccSpaceDataSource(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: s.providerBlock() + `data "confluence_space" "hr" { key = "HR" }`,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.confluence_space.hr", tfjsonpath.New("name"), knownvalue.StringExact("Human Resources")),
						statecheck.ExpectKnownValue("data.confluence_space.hr", tfjsonpath.New("id"), knownvalue.NotNull()),
					},
				},
				{
					Config:      s.providerBlock() + `data "confluence_space" "nope" { key = "hr" }`,
					ExpectError: errorText(`Cannot find space hr … space "hr" does not exist, or the provider's account cannot view it`),
				},
			},
		})
	})
}

func TestAccUserAndGroupDataSources(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	alice, eng := s.user("alice"), s.group("engineering")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.providerBlock() + `
data "confluence_user" "alice" { account_id = "` + alice.ID + `" }
data "confluence_group" "by_name" { name = "engineering" }
data "confluence_group" "by_id" { id = "` + eng.ID + `" }
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.confluence_user.alice", tfjsonpath.New("id"), knownvalue.StringExact(alice.ID)),
					statecheck.ExpectKnownValue("data.confluence_user.alice", tfjsonpath.New("display_name"), knownvalue.StringExact("Alice Martin")),
					statecheck.ExpectKnownValue("data.confluence_user.alice", tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.confluence_group.by_name", tfjsonpath.New("id"), knownvalue.StringExact(eng.ID)),
					statecheck.ExpectKnownValue("data.confluence_group.by_id", tfjsonpath.New("name"), knownvalue.StringExact("engineering")),
				},
			},
			{
				Config:      s.providerBlock() + `data "confluence_user" "x" { account_id = "ffffffffffffffffffffffff" }`,
				ExpectError: errorText(`Cannot find user ffffffffffffffffffffffff … 404 Not Found`),
			},
			{
				Config:      s.providerBlock() + `data "confluence_user" "x" { username = "alice" }`,
				ExpectError: errorText(`Confluence Cloud names users by account_id; set account_id instead of username`),
			},
			{
				Config:      s.providerBlock() + `data "confluence_group" "x" { name = "engineers" }`,
				ExpectError: errorText(`Cannot find group engineers`),
			},
		},
	})
}
