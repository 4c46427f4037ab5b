package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// On a roles-only site an account that manages a space's access but is no
// site admin can give only roles whose permissions it holds there
// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site):
// Confluence's refusal reaches the user with what it lacks and why.
func TestAccSpaceRoleAssignment_grantWhatYouHave(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	manager, err := s.sim.CreateRole(confluencesim.SeedRole{Name: "Access manager", Permissions: []string{"read/space", "space.access.manage"}})
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := s.roleHolder(confluencesim.RoleUser, "alice"), s.roleHolder(confluencesim.RoleUser, "bob")
	if err := s.sim.AssignRole("DOCS", alice, manager.ID); err != nil {
		t.Fatal(err)
	}
	asAlice := *s
	asAlice.login, asAlice.token = "alice@example.com", "alice-token"
	assign := func(role string) string {
		return asAlice.providerBlock() + assignmentsHCL(assignmentConfig{name: "bob", space: "DOCS", principal: bob, role: `role_name = "` + role + `"`})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      assign("Collaborator"),
				ExpectError: errorText(`which you do not hold there … on a roles-only site it can moreover give only roles whose permissions it holds itself, unless it is a site admin`),
			},
			{
				Config: assign("Viewer"),
				Check:  s.expectRole("DOCS", bob, "Viewer"),
			},
		},
	})
}
