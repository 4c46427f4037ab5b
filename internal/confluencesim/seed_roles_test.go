package confluencesim

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestSeedRoleValidation(t *testing.T) {
	docs := func(s *Seed) *SeedSpace { return &s.Spaces[0] }
	tests := []struct {
		name string
		edit func(*Seed)
		want string
	}{
		{"roles on a PRE_ROLES site", func(s *Seed) { s.RoleMode = PreRoles }, "roles and roleAssignments need roleMode ROLES_TRANSITION or ROLES"},
		{"role without name", func(s *Seed) { s.Roles[0].Name = "" }, "roles[0] (): name is required"},
		{"role named like a default role", func(s *Seed) { s.Roles[0].Name = "admin" }, `another role is named "admin"`},
		{"role without read/space", func(s *Seed) { s.Roles[0].Permissions = []string{"create/comment"} }, `must include "read/space", which "create/comment" requires`},
		{"role with a Data Center permission", func(s *Seed) { s.Roles[0].Permissions = []string{"read/space", "delete_mail/space"} }, `"delete_mail/space" is not a space permission id`},
		{"role with an unknown permission", func(s *Seed) { s.Roles[0].Permissions = []string{"read/space", "space.nope"} }, `"space.nope" is not a space permission id`},
		{"role id of a default role", func(s *Seed) { s.Roles[0].ID = ViewerRoleID }, "is used twice"},
		{"too many roles", func(s *Seed) {
			for i := range 10 {
				s.Roles = append(s.Roles, SeedRole{Name: "R" + string(rune('a'+i)), Permissions: []string{"read/space"}})
			}
		}, "11 custom roles, more than the 10"},
		{"unknown role", func(s *Seed) { docs(s).RoleAssignments[0].Role = "Owner" }, `role "Owner" is neither a default role nor a seeded one`},
		{"unknown user", func(s *Seed) { docs(s).RoleAssignments[0].Principal.ID = "nobody" }, `user "nobody" is not a seeded user`},
		{"unknown group", func(s *Seed) { docs(s).RoleAssignments[1].Principal.ID = "nobody" }, `group id "nobody" is not a seeded group`},
		{"unknown access class", func(s *Seed) {
			docs(s).RoleAssignments[0].Principal = SeedRolePrincipal{Type: RoleAccessClass, ID: "everyone"}
		}, `access class "everyone" is not one of`},
		{"lower-case principal type", func(s *Seed) { docs(s).RoleAssignments[0].Principal.Type = "user" }, "principal type must be USER, GROUP or ACCESS_CLASS"},
		{"principal twice", func(s *Seed) { docs(s).RoleAssignments[1] = docs(s).RoleAssignments[0] }, "the principal is listed twice"},
		{"anonymous admin", func(s *Seed) {
			docs(s).RoleAssignments[0] = SeedRoleAssignment{Principal: SeedRolePrincipal{Type: RoleAccessClass, ID: AnonymousUsers}, Role: "Admin"}
		}, `anonymous users cannot hold role "Admin"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := rolesSeed()
			tt.edit(&seed)
			err := seed.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, err := New(rolesSeed(), Options{Flavour: DataCenter}); err == nil || !strings.Contains(err.Error(), "space roles exist on Confluence Cloud only") {
		t.Errorf("a Data Center site took space roles: %v", err)
	}
}

func TestSnapshotKeepsRoles(t *testing.T) {
	sim, err := New(rolesSeed(), Options{RoleTaskDelay: state.ApplyNow})
	if err != nil {
		t.Fatal(err)
	}
	editor, err := sim.CreateRole(SeedRole{Name: "Editor", Permissions: []string{"read/space", "create/page"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.AssignRole("ENG", RolePrincipal{Type: RoleAccessClass, ID: AllLicensedUsers}, editor.ID); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := New(sim.Snapshot(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rebuilt.Roles(), sim.Roles()) {
		t.Errorf("roles after a round trip:\n%+v\nwant\n%+v", rebuilt.Roles(), sim.Roles())
	}
	for _, key := range []string{"DOCS", "ENG"} {
		got, _ := rebuilt.RoleAssignments(key)
		want, _ := sim.RoleAssignments(key)
		if !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("%s assignments after a round trip: %+v, want %+v", key, got, want)
		}
	}
}

func TestOutOfBandRoleChangesApplyAtOnce(t *testing.T) {
	sim, err := New(rolesSeed(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.UpdateRole(reviewerID, SeedRole{Name: "Critic", Permissions: []string{"read/space"}}); err != nil {
		t.Fatal(err)
	}
	if r, ok := sim.RoleNamed("critic"); !ok || r.ID != reviewerID || !reflect.DeepEqual(r.Permissions, []PermissionID{PermissionID(permissions.ReadSpace.String())}) {
		t.Errorf("after the update: %+v, %v", r, ok)
	}
	if err := sim.DeleteRole(reviewerID); err != nil {
		t.Fatal(err)
	}
	if _, ok := sim.RoleNamed("Critic"); ok {
		t.Error("the role is still there")
	}
	if err := sim.DeleteRole(AdminRoleID); !IsRule(err, RuleSystemRole) {
		t.Errorf("deleting Admin: %v", err)
	}
	if err := sim.AssignRole("DOCS", RolePrincipal{Type: RoleUser, ID: "nobody"}, ViewerRoleID); !IsRule(err, RuleInvalidAssignment) {
		t.Errorf("assigning to nobody: %v", err)
	}
	if err := sim.UnassignRole("NOPE", RolePrincipal{Type: RoleUser, ID: bobID}); !IsRule(err, RuleUnknownSpace) {
		t.Errorf("unassigning in NOPE: %v", err)
	}
}
