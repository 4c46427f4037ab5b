package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// combinationsHCL reads the inventory and picks out the combination
// {read/space, create/comment, export/space}, which only the test grants.
func combinationsHCL(regenerate bool) string {
	attr := ""
	if regenerate {
		attr = "  regenerate = true\n"
	}
	return `
data "confluence_space_permission_combinations" "site" {
` + attr + `}

locals {
  commenters = [for c in data.confluence_space_permission_combinations.site.combinations : c
    if join(",", sort(c.permissions)) == "create/comment,export/space,read/space"]
}

output "generated" { value = data.confluence_space_permission_combinations.site.generated_at != "" }
output "commenters" { value = [for c in local.commenters : { principals = c.principal_count, spaces = c.space_count, types = c.principal_types }] }
`
}

// The inventory is as Confluence last worked it out; regenerate has it
// worked out again, and then shows grants made since.
func TestAccSpacePermissionCombinationsDataSource(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesTransition)
	carol := permissions.Principal{Type: permissions.User, ID: s.user("carol").ID}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.providerBlock() + combinationsHCL(false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("generated", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("commenters", knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.confluence_space_permission_combinations.site", tfjsonpath.New("combinations"), knownvalue.NotNull()),
				},
			},
			{
				PreConfig: func() {
					for _, space := range []string{"DOCS", "ENG"} {
						for _, op := range []string{"read/space", "create/comment", "export/space"} {
							s.grant(space, carol, op)
						}
					}
				},
				// Not worked out again: the new grants do not show yet.
				Config: s.providerBlock() + combinationsHCL(false),
				Check: func(*terraform.State) error {
					if n := s.sim.RequestCount(regenerations); n != 0 {
						return fmt.Errorf("the inventory was worked out again %d times without regenerate", n)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("commenters", knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config: s.providerBlock() + combinationsHCL(true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("commenters", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"principals": knownvalue.Int64Exact(1),
							"spaces":     knownvalue.Int64Exact(2),
							"types":      knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("USER")}),
						}),
					})),
				},
			},
		},
	})
	// Each read with regenerate has it worked out again: the plan, the apply's refresh and the plan after it.
	if n := s.sim.RequestCount(regenerations); n < 1 {
		t.Errorf("the inventory was never worked out again")
	}
}

const regenerations = "POST /wiki/api/v2/space-permissions/transition/combinations"

// A site without space roles has no inventory: the plan says why.
func TestAccSpacePermissionCombinationsDataSource_preRoles(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.PreRoles)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s.providerBlock() + combinationsHCL(false),
			ExpectError: errorText(`Space roles are not enabled on this site … PRE_ROLES`),
		}},
	})
}
