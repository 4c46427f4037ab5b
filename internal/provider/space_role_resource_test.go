package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

func roleHCL(name, description string, perms ...string) string {
	return fmt.Sprintf(`
resource "confluence_space_role" "test" {
  name        = %q
  description = %q
  permissions = [%s]
}
`, name, description, quoteList(perms))
}

// expectCustomRole checks that the site has the role, defined so.
func (s *site) expectCustomRole(name, description string, perms ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		r, ok := s.sim.RoleNamed(name)
		if !ok {
			return fmt.Errorf("the site has no role %q", name)
		}
		got := make([]string, len(r.Permissions))
		for i, op := range r.Permissions {
			got[i] = op.String()
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(perms))
		if r.Type != confluencesim.CustomRole || r.Description != description || !slices.Equal(got, want) {
			return fmt.Errorf("role %q is %+v, want description %q and permissions %v", name, r, description, want)
		}
		return nil
	}
}

func (s *site) expectNoRole(name string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if _, ok := s.sim.RoleNamed(name); ok {
			return fmt.Errorf("the site still has role %q", name)
		}
		return nil
	}
}

func TestAccSpaceRole_lifecycle(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesTransition)
	bob := s.roleHolder(confluencesim.RoleUser, "bob")
	const addr = "confluence_space_role.test"
	reviewer := s.providerBlock() + roleHCL("Reviewer", "Reads and comments", "read/space", "create/comment")
	commenter := s.providerBlock() + roleHCL("Commenter", "Comments, and tidies up comments", "read/space", "create/comment", "delete/comment")
	roleID := func() string {
		r, ok := s.sim.RoleNamed("Commenter")
		if !ok {
			t.Fatal("no role Commenter")
		}
		return r.ID
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(s.expectNoRole("Reviewer"), s.expectNoRole("Commenter")),
		Steps: []resource.TestStep{
			{
				Config: reviewer,
				Check:  s.expectCustomRole("Reviewer", "Reads and comments", "read/space", "create/comment"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{
				// Confluence applies the update later (202); apply waits for it.
				Config:           commenter,
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check:            s.expectCustomRole("Commenter", "Comments, and tidies up comments", "read/space", "create/comment", "delete/comment"),
			},
			{
				// A definition changed by hand shows as a change and is set back.
				PreConfig: func() {
					if err := s.sim.UpdateRole(roleID(), confluencesim.SeedRole{Name: "Commenter", Description: "edited", Permissions: []string{"read/space"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           commenter,
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check:            s.expectCustomRole("Commenter", "Comments, and tidies up comments", "read/space", "create/comment", "delete/comment"),
			},
			{
				// The role is assigned by id in the same configuration.
				Config: commenter + assignmentsHCL(assignmentConfig{"bob", "DOCS", bob, "role_id = confluence_space_role.test.id"}),
				Check:  s.expectRole("DOCS", bob, "Commenter"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("confluence_space_role_assignment.bob", tfjsonpath.New("role_name"), knownvalue.StringExact("Commenter")),
				},
			},
			{
				// A role deleted by hand is created again, and assigned again.
				PreConfig: func() {
					if err := s.sim.DeleteRole(roleID()); err != nil {
						t.Fatal(err)
					}
				},
				Config: commenter + assignmentsHCL(assignmentConfig{"bob", "DOCS", bob, "role_id = confluence_space_role.test.id"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("confluence_space_role_assignment.bob", plancheck.ResourceActionCreate),
				}},
				Check: s.expectRole("DOCS", bob, "Commenter"),
			},
			{Config: commenter + assignmentsHCL(assignmentConfig{"bob", "DOCS", bob, "role_id = confluence_space_role.test.id"}), PlanOnly: true},
			{
				// Destroying the role waits until Confluence has deleted it.
				Config: s.providerBlock(),
				Check:  resource.ComposeTestCheckFunc(s.expectNoRole("Commenter"), s.expectRole("DOCS", bob, "")),
			},
		},
	})
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Role permissions are ids from the site's catalogue, legacy or not, and
// Confluence may add the ones they require: the configuration is kept as
// written, the next plan is empty, and a site that refuses such a role
// says which ids are missing.
func TestAccSpaceRole_catalogueAndRequiredPermissions(t *testing.T) {
	t.Parallel()
	const addr = "confluence_space_role.test"
	t.Run("added", func(t *testing.T) {
		t.Parallel()
		s := rolesSite(t, confluencesim.RolesOnly)
		features := s.providerBlock() + roleHCL("Features", "", "space.features.manage")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             s.expectNoRole("Features"),
			Steps: []resource.TestStep{
				{
					Config: features,
					// Confluence added read/space, which the role-only
					// permission requires; state keeps what was configured.
					Check: s.expectCustomRole("Features", "", "read/space", "space.features.manage"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("permissions"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("space.features.manage")})),
					},
				},
				{Config: features, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
				{
					// Stated in full, the same role needs no change.
					Config: s.providerBlock() + roleHCL("Features", "", "read/space", "space.features.manage"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					Check: s.expectCustomRole("Features", "", "read/space", "space.features.manage"),
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			},
		})
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		s := rolesSiteWith(t, confluencesim.RolesOnly, confluencesim.Options{RequiredPermissions: confluencesim.RequiredRefused})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      s.providerBlock() + roleHCL("Editor", "", "create/page"),
				ExpectError: errorText(`creating space role "Editor" failed: … The permissions need read/space as well`),
			}},
		})
	})
}

func TestAccSpaceRole_badInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mode   confluencesim.RoleMode
		config string
		want   string
	}{
		{"no permissions", confluencesim.RolesTransition, roleHCL("Editor", ""),
			`space role "Editor": permissions is empty; a role needs at least "read/space"`},
		{"unknown permission", confluencesim.RolesTransition, roleHCL("Editor", "", "read/space", "write/page"),
			`Unknown role permission … space role "Editor": this site has no role permission "write/page". The permissions a role can hold here are: … create/page, …, read/space`},
		{"Data Center permission", confluencesim.RolesTransition, roleHCL("Editor", "", "read/space", "delete_mail/space"),
			`this site has no role permission "delete_mail/space"`},
		{"empty permission id", confluencesim.RolesTransition, roleHCL("Editor", "", "read/space", ""),
			`space role "Editor": permissions holds an empty id`},
		{"name of a default role", confluencesim.RolesOnly, roleHCL("viewer", "", "read/space"),
			`Space role name already taken … A system role named "Viewer" already exists on this site (id ` + confluencesim.ViewerRoleID + `)`},
		{"name with spaces around it", confluencesim.RolesOnly, roleHCL(" Editor", "", "read/space"),
			`must not be empty nor start or end with spaces`},
		{"site without roles", confluencesim.PreRoles, roleHCL("Editor", "", "read/space"),
			`Space roles are not enabled on this site`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := rolesSite(t, tc.mode)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: s.providerBlock() + tc.config, ExpectError: errorText(tc.want)}},
			})
		})
	}
}

// The default roles cannot be managed: importing one says what to do.
func TestAccSpaceRole_importDefaultRole(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        s.providerBlock() + roleHCL("Viewer", "", "read/space"),
			ResourceName:  "confluence_space_role.test",
			ImportState:   true,
			ImportStateId: confluencesim.ViewerRoleID,
			ExpectError:   errorText(`is one of Confluence's default roles, which cannot be changed or deleted`),
		}},
	})
}

func TestAccSpaceRolesDataSource(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	if _, err := s.sim.CreateRole(confluencesim.SeedRole{Name: "Reviewer", Description: "Reads and comments", Permissions: []string{"create/comment", "read/space"}}); err != nil {
		t.Fatal(err)
	}
	reviewer, _ := s.sim.RoleNamed("Reviewer")
	names := func(names ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(names))
		for i, n := range names {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(n)})
		}
		return knownvalue.ListExact(checks)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + `
data "confluence_space_roles" "all" {}
data "confluence_space_roles" "custom" { type = "custom" }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.confluence_space_roles.all", tfjsonpath.New("roles"), names("Admin", "Manager", "Collaborator", "Viewer", "Reviewer")),
				statecheck.ExpectKnownValue("data.confluence_space_roles.custom", tfjsonpath.New("roles"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.StringExact(reviewer.ID),
						"type":        knownvalue.StringExact("custom"),
						"name":        knownvalue.StringExact("Reviewer"),
						"description": knownvalue.StringExact("Reads and comments"),
						"permissions": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("read/space"), knownvalue.StringExact("create/comment")}),
					}),
				})),
				statecheck.ExpectKnownValue("data.confluence_space_roles.all", tfjsonpath.New("role_ids").AtMapKey("Viewer"),
					knownvalue.StringExact(confluencesim.ViewerRoleID)),
				statecheck.ExpectKnownValue("data.confluence_space_roles.all", tfjsonpath.New("roles").AtSliceIndex(0).AtMapKey("permissions"),
					knownvalue.SetPartial([]knownvalue.Check{knownvalue.StringExact("administer/space")})),
			},
		}},
	})
}

func TestAccSpaceRolesDataSource_onDataCenter(t *testing.T) {
	t.Parallel()
	s := dataCenterSite(t, "rest", "9.2.1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s.providerBlock() + `data "confluence_space_roles" "all" {}`,
			ExpectError: errorText(`Space roles are not enabled on this site … they exist on Confluence Cloud only`),
		}},
	})
}
