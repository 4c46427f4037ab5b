package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// On a Cloud site that manages space access with roles only, every legacy
// permission resource fails at plan time and shows the role assignment to
// write instead. Side by side with roles (ROLES_TRANSITION) they work.
func TestAccLegacyResourcesOnRolesOnlySite(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	bob := s.user("bob")
	configs := map[string]string{
		"confluence_space_permission":     grantsConfig(s, "HR", bob, "read/space"),
		"confluence_space_permission_set": setConfig(s, "HR", bob, "read/space"),
		"confluence_space_permissions": spaceConfig(s, "HR",
			entry{s.user("carol"), []string{"read/space", "administer/space"}}, entry{bob, []string{"read/space"}}),
	}
	if err := s.sim.SetRoleMode(confluencesim.RolesOnly); err != nil {
		t.Fatal(err)
	}
	for name, config := range configs {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:   config,
					PlanOnly: true,
					ExpectError: errorText(`This site uses space roles only … manages space access with roles only (space role mode ROLES) … ` +
						name + ` cannot be applied. Assign a space role instead, for example: … resource "confluence_space_role_assignment" "this" { ` +
						`space_key = "HR" … role_name = "Collaborator"`),
				}},
			})
		})
	}
}

func TestAccLegacyResourcesBesideRoles(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	if err := s.sim.SetRoleMode(confluencesim.RolesTransition); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: setConfig(s, "HR", s.user("bob"), "read/space", "export/space")}},
	})
}

// Removing a legacy resource on a site that has since become roles-only
// cannot work either; the plan says how to let go of it.
func TestAccLegacyResourceRemovedOnRolesOnlySite(t *testing.T) {
	t.Parallel()
	s := cloudSite(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: setConfig(s, "HR", s.user("bob"), "read/space")},
			{
				PreConfig: func() {
					if err := s.sim.SetRoleMode(confluencesim.RolesOnly); err != nil {
						t.Fatal(err)
					}
				},
				Config:      s.providerBlock(),
				ExpectError: errorText(`Confluence refuses to remove single permissions too … removed { from = <the resource address> lifecycle { destroy = false } }`),
			},
			{
				// Back on a site with legacy permissions, the removal goes through.
				PreConfig: func() {
					if err := s.sim.SetRoleMode(confluencesim.PreRoles); err != nil {
						t.Fatal(err)
					}
				},
				Config: s.providerBlock(),
			},
		},
	})
}
