package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// roleAssignmentsHCL declares confluence_space_role_assignments.test with
// the entries key = role as written.
func roleAssignmentsHCL(space string, entries map[string]string) string {
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "    %q = %q\n", k, entries[k])
	}
	return fmt.Sprintf("\nresource \"confluence_space_role_assignments\" \"test\" {\n  space_key = %q\n  assignments = {\n%s  }\n}\n", space, b.String())
}

func roleKey(p confluencesim.RolePrincipal) string {
	return strings.ToLower(string(p.Type)) + ":" + p.ID
}

// expectRoles checks that the space holds exactly these roles, by name.
func (s *site) expectRoles(space string, want map[confluencesim.RolePrincipal]string) func(*terraform.State) error {
	return func(st *terraform.State) error {
		assignments, err := s.sim.RoleAssignments(space)
		if err != nil {
			return err
		}
		if len(assignments) != len(want) {
			return fmt.Errorf("%s holds %d assignments, want %d: %+v", space, len(assignments), len(want), assignments)
		}
		for p, role := range want {
			if err := s.expectRole(space, p, role)(st); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestAccSpaceRoleAssignments_lifecycle(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	const addr = "confluence_space_role_assignments.test"
	terraformAcct := s.roleHolder(confluencesim.RoleUser, "terraform")
	bob := s.roleHolder(confluencesim.RoleUser, "bob")
	carol := s.roleHolder(confluencesim.RoleUser, "carol")
	eng := s.roleHolder(confluencesim.RoleGroup, "engineering")
	anonymous := s.roleHolder(confluencesim.RoleAccessClass, "anonymous-users")
	v1 := map[string]string{
		roleKey(terraformAcct): "Admin",
		roleKey(carol):         "Viewer",
		roleKey(eng):           "Collaborator",
		roleKey(anonymous):     "Viewer",
	}
	// bob added as a Manager, carol removed, engineering down to Viewer.
	v2 := map[string]string{
		roleKey(terraformAcct): "Admin",
		roleKey(bob):           "Manager",
		roleKey(eng):           "Viewer",
		roleKey(anonymous):     "Viewer",
	}
	config := func(entries map[string]string) string { return s.providerBlock() + roleAssignmentsHCL("HR", entries) }
	posts := func() int {
		return s.sim.RequestCount("POST /wiki/api/v2/spaces/{id}/role-assignments")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroying leaves the roles in place: a space must keep someone
		// who can manage it.
		CheckDestroy: s.expectRoles("HR", map[confluencesim.RolePrincipal]string{terraformAcct: "Admin", bob: "Manager", eng: "Viewer", anonymous: "Viewer"}),
		Steps: []resource.TestStep{
			{
				Config: config(v1),
				Check: resource.ComposeTestCheckFunc(
					s.expectRoles("HR", map[confluencesim.RolePrincipal]string{terraformAcct: "Admin", carol: "Viewer", eng: "Collaborator", anonymous: "Viewer"}),
					func(*terraform.State) error {
						if n := posts(); n != 1 {
							return fmt.Errorf("%d role-assignment POSTs for four principals, want one", n)
						}
						return nil
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("HR")),
				},
			},
			{Config: config(v1), PlanOnly: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "HR", ImportStateVerify: true},
			{
				// Add, remove and change a role: one request.
				Config:           config(v2),
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check: resource.ComposeTestCheckFunc(
					s.expectRoles("HR", map[confluencesim.RolePrincipal]string{terraformAcct: "Admin", bob: "Manager", eng: "Viewer", anonymous: "Viewer"}),
					func(*terraform.State) error {
						if n := posts(); n != 2 {
							return fmt.Errorf("%d role-assignment POSTs after the update, want 2", n)
						}
						return nil
					},
				),
			},
			{
				// Out of band: carol given a role, bob's changed, anonymous's
				// taken away. The plan shows it; apply sets it back.
				PreConfig: func() {
					s.assignRole("HR", carol, "Collaborator")
					s.assignRole("HR", bob, "Viewer")
					if err := s.sim.UnassignRole("HR", anonymous); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config(v2),
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check:            s.expectRoles("HR", map[confluencesim.RolePrincipal]string{terraformAcct: "Admin", bob: "Manager", eng: "Viewer", anonymous: "Viewer"}),
			},
			{Config: config(v2), PlanOnly: true},
		},
	})
}

// The guard refuses, before anything is written, assignments that leave
// nobody but product admins able to manage the space's access.
func TestAccSpaceRoleAssignments_guard(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	carol := s.roleHolder(confluencesim.RoleUser, "carol")
	anonymous := s.roleHolder(confluencesim.RoleAccessClass, "anonymous-users")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + roleAssignmentsHCL("HR", map[string]string{roleKey(carol): "Viewer", roleKey(anonymous): "Admin"}),
			ExpectError: errorText(`Nobody could manage the space's access … no user or group in space HR would hold a role with … ` +
				`Give at least one user or group such a role (on this site: Admin`),
		}},
	})
	if n := s.sim.RequestCount("POST /wiki/api/v2/spaces/{id}/role-assignments"); n != 0 {
		t.Errorf("%d role-assignment POSTs, want none", n)
	}
}

func TestAccSpaceRoleAssignments_badInput(t *testing.T) {
	t.Parallel()
	terraformAcct := "user:63d2f0a1b2c3d4e5f6a7b8c9"
	cases := []struct {
		name    string
		mode    confluencesim.RoleMode
		entries map[string]string
		want    string
	}{
		{"unknown role name", confluencesim.RolesOnly, map[string]string{terraformAcct: "Admin", "group:" + "8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f": "Editor"},
			`Unknown space role … no space role is named "Editor"; the site's roles are: Admin (system`},
		{"unknown access class", confluencesim.RolesOnly, map[string]string{terraformAcct: "Admin", "access_class:everyone": "Viewer"},
			`"everyone" is not an access class; the access classes are anonymous-users, jsm-project-admins, authenticated-users, all-licensed-users, all-product-admins`},
		{"one principal under two spellings", confluencesim.RolesOnly, map[string]string{terraformAcct: "Admin", "USER:63d2f0a1b2c3d4e5f6a7b8c9": "Viewer"},
			`Principal listed twice … "USER:63d2f0a1b2c3d4e5f6a7b8c9" and "user:63d2f0a1b2c3d4e5f6a7b8c9" name the same principal`},
		{"misspelt principal type", confluencesim.RolesOnly, map[string]string{terraformAcct: "Admin", "usr:bob": "Viewer"},
			`principal type "usr" is not one of user, group, access_class`},
		{"site without roles", confluencesim.PreRoles, map[string]string{terraformAcct: "Admin"},
			`Space roles are not enabled on this site … its space role mode is PRE_ROLES … Manage the site's permissions with confluence_space_permission`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := rolesSite(t, tc.mode)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: s.providerBlock() + roleAssignmentsHCL("HR", tc.entries), ExpectError: errorText(tc.want)}},
			})
		})
	}
}

// The data source reads a space's roles in the resource's shape, so that
// another space can be given the same.
func TestAccSpaceRoleAssignmentsDataSource_copy(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	terraformAcct := s.roleHolder(confluencesim.RoleUser, "terraform")
	eng := s.roleHolder(confluencesim.RoleGroup, "engineering")
	s.assignRole("DOCS", terraformAcct, "Admin")
	s.assignRole("DOCS", eng, "Collaborator")
	config := s.providerBlock() + `
data "confluence_space_role_assignments" "docs" {
  space_key = "DOCS"
}

resource "confluence_space_role_assignments" "ops" {
  space_key   = "OPS"
  assignments = data.confluence_space_role_assignments.docs.assignments
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  s.expectRoles("OPS", map[confluencesim.RolePrincipal]string{terraformAcct: "Admin", eng: "Collaborator"}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.confluence_space_role_assignments.docs", tfjsonpath.New("assignments"), knownvalue.MapExact(map[string]knownvalue.Check{
						roleKey(terraformAcct): knownvalue.StringExact("Admin"),
						roleKey(eng):           knownvalue.StringExact("Collaborator"),
					})),
					statecheck.ExpectKnownValue("data.confluence_space_role_assignments.docs", tfjsonpath.New("unmanaged"), knownvalue.ListSizeExact(0)),
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}
