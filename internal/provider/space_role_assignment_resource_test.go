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

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// rolesSite is the Cloud demo site with space roles in the given mode.
// Role updates and deletions take the simulator's default delay to apply,
// so the provider's waiting for them is exercised.
func rolesSite(t *testing.T, mode confluencesim.RoleMode) *site {
	t.Helper()
	return rolesSiteWith(t, mode, confluencesim.Options{})
}

// rolesSiteWith is rolesSite with simulator options.
func rolesSiteWith(t *testing.T, mode confluencesim.RoleMode, opts confluencesim.Options) *site {
	t.Helper()
	s := cloudSiteWith(t, opts)
	if err := s.sim.SetRoleMode(mode); err != nil {
		t.Fatal(err)
	}
	return s
}

// roleHolder is a principal of a role assignment, as the simulator names it.
func (s *site) roleHolder(typ confluencesim.RolePrincipalType, nameOrID string) confluencesim.RolePrincipal {
	switch typ {
	case confluencesim.RoleUser:
		return confluencesim.RolePrincipal{Type: typ, ID: s.user(nameOrID).ID}
	case confluencesim.RoleGroup:
		return confluencesim.RolePrincipal{Type: typ, ID: s.group(nameOrID).ID}
	}
	return confluencesim.RolePrincipal{Type: typ, ID: nameOrID}
}

func rolePrincipalHCL(p confluencesim.RolePrincipal) string {
	return fmt.Sprintf(`{ type = %q, id = %q }`, strings.ToLower(string(p.Type)), p.ID)
}

// assignmentConfig declares confluence_space_role_assignment.NAME resources;
// role is the role attribute as written, such as `role_name = "Viewer"`.
type assignmentConfig struct {
	name, space string
	principal   confluencesim.RolePrincipal
	role        string
}

func assignmentsHCL(as ...assignmentConfig) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "\nresource \"confluence_space_role_assignment\" %q {\n  space_key = %q\n  principal = %s\n  %s\n}\n",
			a.name, a.space, rolePrincipalHCL(a.principal), a.role)
	}
	return b.String()
}

func roleName(name string) string { return fmt.Sprintf("role_name = %q", name) }

// expectRole checks the role Confluence holds for p in the space ("" for none).
func (s *site) expectRole(space string, p confluencesim.RolePrincipal, roleName string) func(*terraform.State) error {
	return func(*terraform.State) error {
		assignments, err := s.sim.RoleAssignments(space)
		if err != nil {
			return err
		}
		got := ""
		for _, a := range assignments {
			if a.Principal == p {
				for _, r := range s.sim.Roles() {
					if r.ID == a.RoleID {
						got = r.Name
					}
				}
			}
		}
		if got != roleName {
			return fmt.Errorf("%s holds role %q in %s, want %q", p, got, space, roleName)
		}
		return nil
	}
}

func (s *site) assignRole(space string, p confluencesim.RolePrincipal, role string) {
	s.t.Helper()
	r, ok := s.sim.RoleNamed(role)
	if !ok {
		s.t.Fatalf("no role %q", role)
	}
	if err := s.sim.AssignRole(space, p, r.ID); err != nil {
		s.t.Fatal(err)
	}
}

func planAction(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}}
}

func TestAccSpaceRoleAssignment_lifecycle(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesTransition)
	bob := s.roleHolder(confluencesim.RoleUser, "bob")
	const addr = "confluence_space_role_assignment.bob"
	config := func(role string) string {
		return s.providerBlock() + assignmentsHCL(assignmentConfig{"bob", "HR", bob, roleName(role)})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             s.expectRole("HR", bob, ""),
		Steps: []resource.TestStep{
			{
				Config: config("Viewer"),
				Check:  s.expectRole("HR", bob, "Viewer"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("role_id"), knownvalue.StringExact(confluencesim.ViewerRoleID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("HR/user/"+bob.ID)),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateId: "HR/user/" + bob.ID, ImportStateVerify: true},
			{
				// Another role is an update in place, not a replacement.
				Config:           config("Collaborator"),
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check:            s.expectRole("HR", bob, "Collaborator"),
			},
			{
				// A role changed by hand shows as a change and is set back.
				PreConfig:        func() { s.assignRole("HR", bob, "Manager") },
				Config:           config("Collaborator"),
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check:            s.expectRole("HR", bob, "Collaborator"),
			},
			{
				// An assignment removed by hand is made again.
				PreConfig: func() {
					if err := s.sim.UnassignRole("HR", bob); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config("Collaborator"),
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionCreate),
				Check:            s.expectRole("HR", bob, "Collaborator"),
			},
			{Config: config("Collaborator"), PlanOnly: true},
		},
	})
}

// Users, groups and access classes, by role name or by role id, on a site
// with roles only; other principals' roles are left alone.
func TestAccSpaceRoleAssignment_principals(t *testing.T) {
	t.Parallel()
	s := rolesSite(t, confluencesim.RolesOnly)
	carol := s.roleHolder(confluencesim.RoleUser, "carol")
	engineering := s.roleHolder(confluencesim.RoleGroup, "engineering")
	anonymous := s.roleHolder(confluencesim.RoleAccessClass, "anonymous-users")
	licensed := s.roleHolder(confluencesim.RoleAccessClass, "all-licensed-users")
	s.assignRole("DOCS", licensed, "Viewer") // not Terraform's
	config := s.providerBlock() + `
data "confluence_space_roles" "all" {}
` + assignmentsHCL(
		assignmentConfig{"carol", "DOCS", carol, roleName("manager")}, // names match without case
		assignmentConfig{"engineering", "DOCS", engineering, `role_id = data.confluence_space_roles.all.role_ids["Collaborator"]`},
		assignmentConfig{"anonymous", "DOCS", anonymous, roleName("Viewer")},
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(st *terraform.State) error {
			for _, p := range []confluencesim.RolePrincipal{carol, engineering, anonymous} {
				if err := s.expectRole("DOCS", p, "")(st); err != nil {
					return err
				}
			}
			return s.expectRole("DOCS", licensed, "Viewer")(st)
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					s.expectRole("DOCS", carol, "Manager"),
					s.expectRole("DOCS", engineering, "Collaborator"),
					s.expectRole("DOCS", anonymous, "Viewer"),
					s.expectRole("DOCS", licensed, "Viewer"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("confluence_space_role_assignment.engineering", tfjsonpath.New("role_name"), knownvalue.StringExact("Collaborator")),
					statecheck.ExpectKnownValue("confluence_space_role_assignment.carol", tfjsonpath.New("role_name"), knownvalue.StringExact("manager")),
				},
			},
			{
				ResourceName: "confluence_space_role_assignment.anonymous", ImportState: true,
				ImportStateId: "DOCS/access_class/anonymous-users", ImportStateVerify: true,
			},
			{
				ResourceName: "confluence_space_role_assignment.engineering", ImportState: true,
				ImportStateId: "DOCS/group/" + engineering.ID, ImportStateVerify: true,
			},
			{Config: config, PlanOnly: true},
		},
	})
}

func TestAccSpaceRoleAssignment_badInput(t *testing.T) {
	t.Parallel()
	bob := func(s *site) confluencesim.RolePrincipal { return s.roleHolder(confluencesim.RoleUser, "bob") }
	cases := []struct {
		name   string
		mode   confluencesim.RoleMode
		config func(s *site) string
		want   string
	}{
		{"unknown role name", confluencesim.RolesTransition,
			func(s *site) string { return assignmentsHCL(assignmentConfig{"x", "HR", bob(s), roleName("Owner")}) },
			`Unknown space role … in space HR: no space role is named "Owner"; the site's roles are: Admin (system, id ` + confluencesim.AdminRoleID +
				`), Manager (system, … Collaborator (system, … Viewer (system, id ` + confluencesim.ViewerRoleID + `)`},
		{"unknown role id", confluencesim.RolesTransition,
			func(s *site) string { return assignmentsHCL(assignmentConfig{"x", "HR", bob(s), `role_id = "nope"`}) },
			`no space role has the id "nope"; the site's roles are: Admin`},
		{"site without roles", confluencesim.PreRoles,
			func(s *site) string { return assignmentsHCL(assignmentConfig{"x", "HR", bob(s), roleName("Viewer")}) },
			`Space roles are not enabled on this site … space role mode is PRE_ROLES … Manage the site's permissions with confluence_space_permission, ` +
				`confluence_space_permission_set or confluence_space_permissions instead`},
		{"unknown access class", confluencesim.RolesTransition,
			func(s *site) string {
				return assignmentsHCL(assignmentConfig{"x", "HR", confluencesim.RolePrincipal{Type: confluencesim.RoleAccessClass, ID: "everyone"}, roleName("Viewer")})
			},
			`access_class everyone in space HR: "everyone" is not an access class; the access classes are anonymous-users, jsm-project-admins, ` +
				`authenticated-users, all-licensed-users, all-product-admins`},
		{"both role_id and role_name", confluencesim.RolesTransition,
			func(s *site) string {
				return assignmentsHCL(assignmentConfig{"x", "HR", bob(s), `role_name = "Viewer"` + "\n  " + `role_id = "` + confluencesim.ViewerRoleID + `"`})
			},
			`Invalid Attribute Combination`},
		{"unknown user", confluencesim.RolesTransition,
			func(s *site) string {
				return assignmentsHCL(assignmentConfig{"x", "HR", confluencesim.RolePrincipal{Type: confluencesim.RoleUser, ID: "ffffffffffffffffffffffff"}, roleName("Viewer")})
			},
			`Cannot assign role Viewer to user ffffffffffffffffffffffff in space HR … No user with id "ffffffffffffffffffffffff" exists on this site`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := rolesSite(t, tc.mode)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: s.providerBlock() + tc.config(s), ExpectError: errorText(tc.want)}},
			})
		})
	}
}
