package confluencesim

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Custom roles of grantSeed.
const (
	accessManagerID = "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
	liteAdminID     = "8b2d3f4a-5c6e-4f7a-9b0c-1d2e3f4a5b6c"
)

// grantSeed is the demo site in mode with two custom roles assigned in
// DOCS: bob is an Access manager (view, add pages, Manage access to space),
// carol a Lite admin (the same, add comments, and Manage space features,
// automation). Everyone also holds the legacy grants of confluence-users in
// DOCS (view, add pages, comments and attachments); alice holds the legacy
// space admin there.
func grantSeed(mode RoleMode) Seed {
	s := DemoSeed()
	s.RoleMode = mode
	s.Roles = []SeedRole{
		{ID: accessManagerID, Name: "Access manager", Permissions: []string{"read/space", "create/page", string(ManageAccessPermission)}},
		{ID: liteAdminID, Name: "Lite admin", Permissions: []string{"read/space", "create/page", "create/comment", string(ManageAccessPermission), string(ManageFeaturesPermission)}},
	}
	for i := range s.Spaces {
		if s.Spaces[i].Key == "DOCS" {
			s.Spaces[i].RoleAssignments = []SeedRoleAssignment{
				{Principal: SeedRolePrincipal{Type: RoleUser, ID: bobID}, Role: accessManagerID},
				{Principal: SeedRolePrincipal{Type: RoleUser, ID: carolID}, Role: liteAdminID},
			}
		}
	}
	return s
}

func TestManageAccessIsInTheCatalogueAndAdminHoldsIt(t *testing.T) {
	e, ok := state.CatalogueEntryOf(ManageAccessPermission)
	if !ok || e.DisplayName != "Manage access to space" || !slices.Equal(e.Requires, []PermissionID{"read/space"}) {
		t.Errorf("catalogue entry %+v, %v", e, ok)
	}
	for _, r := range state.SystemRoles() {
		if holds := slices.Contains(r.Permissions, ManageAccessPermission); holds != (r.ID == AdminRoleID) {
			t.Errorf("%s holds Manage access to space: %v", r.Name, holds)
		}
	}
}

// On a roles-only site a caller gives or takes away only roles whose
// permissions it holds in the space; product admins are exempt
// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
// On a site in transition, the holders of administer/space or of both
// Manage access to space and Manage space features, automation manage all
// access; a holder of Manage access alone grants what it holds there too.
func TestGrantWhatYouHave(t *testing.T) {
	hr := func(role string) any { return assignEntry(RoleGroup, hrGroupID, role) }
	tests := []struct {
		name   string
		mode   RoleMode
		opts   Options
		caller string
		entry  any
		status int
		detail string // of the refusal
	}{
		{"roles: what one holds", RolesOnly, Options{}, asBob, hr(ViewerRoleID), 200, ""},
		{"roles: one's own role", RolesOnly, Options{}, asBob, hr(accessManagerID), 200, ""},
		{"roles: a role with more", RolesOnly, Options{}, asBob, hr(CollaboratorRoleID), 404,
			`You cannot give the role "Collaborator" in space DOCS: it includes the permission "Delete own content" (delete/space), which you do not hold there.`},
		{"roles: taking a larger role away", RolesOnly, Options{}, asBob, assignEntry(RoleUser, carolID, ""), 404,
			`You cannot take away the role "Lite admin" in space DOCS: it includes the permission "Manage space features, automation" (space.features.manage)`},
		{"roles: replacing a larger role", RolesOnly, Options{}, asBob, assignEntry(RoleUser, carolID, ViewerRoleID), 404,
			`You cannot take away the role "Lite admin"`},
		{"roles: a legacy admin", RolesOnly, Options{}, asAlice, hr(AdminRoleID), 404,
			`it includes the permission "Add/Delete restrictions" (restrict_content/space)`},
		{"roles: the features permission changes nothing", RolesOnly, Options{}, asCarol, hr(ManagerRoleID), 404, `"Manager"`},
		{"roles: a product admin", RolesOnly, Options{}, asTerraform, hr(AdminRoleID), 200, ""},
		{"roles: 403 when asked", RolesOnly, Options{GrantRefusalStatus: 403}, asBob, hr(CollaboratorRoleID), 403, `"Delete own content" (delete/space)`},
		{"roles: any role", RolesOnly, Options{GrantPolicy: GrantAnyRole}, asBob, hr(AdminRoleID), 200, ""},
		{"transition: both permissions", RolesTransition, Options{}, asCarol, hr(AdminRoleID), 200, ""},
		{"transition: a legacy admin", RolesTransition, Options{}, asAlice, hr(AdminRoleID), 200, ""},
		{"transition: manage access alone", RolesTransition, Options{}, asBob, hr(CollaboratorRoleID), 404, `"Collaborator"`},
		{"transition: any role", RolesTransition, Options{GrantPolicy: GrantAnyRole}, asBob, hr(CollaboratorRoleID), 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			options := []harnessOption{withSeed(grantSeed(tc.mode)), withOptions(tc.opts)}
			if tc.status == http.StatusForbidden {
				// 403 is not a status of the operation: the variant is
				// outside the document on purpose.
				options = append(options, unchecked)
			}
			h := newHarness(t, options...)
			before := assignmentsOf(t, h, "DOCS")
			r := h.do(tc.caller, http.MethodPost, roleAssignmentsPath(h, "DOCS"), []any{tc.entry}).expect(t, tc.status)
			if tc.status == http.StatusOK {
				if got := assignmentsOf(t, h, "DOCS"); slices.Equal(got, before) {
					t.Errorf("nothing changed: %v", got)
				}
				return
			}
			e := r.v2Error(t)
			if e.Detail == nil || !strings.Contains(*e.Detail, tc.detail) {
				t.Errorf("detail %v, want %q", e.Detail, tc.detail)
			}
			if got := assignmentsOf(t, h, "DOCS"); !slices.Equal(got, before) {
				t.Errorf("a refused request changed the assignments: %v, want %v", got, before)
			}
		})
	}
}

// Who may set roles at all: holding Manage access to space is enough to be
// heard; without it or the legacy space admin, the space's roles answer
// 404 as before.
func TestManagingRolesNeedsManageAccess(t *testing.T) {
	h := newHarness(t, withSeed(grantSeed(RolesOnly)))
	path := roleAssignmentsPath(h, "DOCS")
	if err := h.sim.AssignRole("DOCS", RolePrincipal{Type: RoleUser, ID: bobID}, ViewerRoleID); err != nil {
		t.Fatal(err)
	}
	e := h.do(asBob, http.MethodPost, path, []any{assignEntry(RoleGroup, hrGroupID, ViewerRoleID)}).expect(t, http.StatusNotFound).v2Error(t)
	if e.Detail == nil || !strings.Contains(*e.Detail, "not allowed to manage roles in space DOCS") {
		t.Errorf("detail %v", e.Detail)
	}
}

// On a site in transition, both permissions manage all access, legacy
// grants included (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
func TestManageAccessAndFeaturesManageLegacyGrants(t *testing.T) {
	h := newHarness(t, withSeed(grantSeed(RolesTransition)))
	h.do(asCarol, http.MethodPost, "/wiki/rest/api/space/DOCS/permission", permissionBody("group", hrGroupID, "read", "space")).expect(t, http.StatusOK)
	// Manage access alone does not.
	h.do(asBob, http.MethodPost, "/wiki/rest/api/space/DOCS/permission", permissionBody("group", engGroupID, "read", "space")).expect(t, http.StatusForbidden)
}
