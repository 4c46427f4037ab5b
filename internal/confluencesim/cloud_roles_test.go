package confluencesim

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

type rolePage = cloud.V2Page[cloud.V2SpaceRole]

// reviewerID is the id of the custom role of rolesSeed.
const reviewerID = "5e0b7c1d-3f2a-4b6c-9d8e-7f6a5b4c3d21"

// rolesSeed is the demo site in ROLES_TRANSITION mode with one custom role,
// Reviewer, and role assignments in DOCS: bob is a Viewer, the engineering
// group Reviewers.
func rolesSeed() Seed {
	s := DemoSeed()
	s.RoleMode = RolesTransition
	s.Roles = []SeedRole{{ID: reviewerID, Name: "Reviewer", Description: "Reads and comments.", Permissions: []string{"create/comment", "read/space"}}}
	for i := range s.Spaces {
		if s.Spaces[i].Key == "DOCS" {
			s.Spaces[i].RoleAssignments = []SeedRoleAssignment{
				{Principal: SeedRolePrincipal{Type: RoleUser, ID: bobID}, Role: "Viewer"},
				{Principal: SeedRolePrincipal{Type: RoleGroup, ID: engGroupID}, Role: reviewerID},
			}
		}
	}
	return s
}

// newRolesHarness serves rolesSeed with role changes applied after delay.
func newRolesHarness(t *testing.T, delay time.Duration) *harness {
	return newHarness(t, withSeed(rolesSeed()), withOptions(Options{RoleTaskDelay: delay}))
}

func roleNames(roles []cloud.V2SpaceRole) []string {
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	return names
}

func roleBody(name string, permissionIDs ...string) map[string]any {
	return map[string]any{"name": name, "description": name + " role", "spacePermissions": append([]string{}, permissionIDs...)}
}

// eventually polls check until it succeeds or a second has passed.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); !check(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within a second", what)
		}
	}
}

func TestDefaultRolesAreNestedAndAdminAdministers(t *testing.T) {
	byName := map[string]Role{}
	for _, r := range state.SystemRoles() {
		byName[r.Name] = r
	}
	chain := []string{"Viewer", "Collaborator", "Manager", "Admin"}
	for i := 1; i < len(chain); i++ {
		smaller, larger := byName[chain[i-1]], byName[chain[i]]
		if len(smaller.Permissions) >= len(larger.Permissions) {
			t.Errorf("%s is not larger than %s", larger.Name, smaller.Name)
		}
		for _, id := range smaller.Permissions {
			if !slices.Contains(larger.Permissions, id) {
				t.Errorf("%s lacks %s, which %s has", larger.Name, id, smaller.Name)
			}
		}
	}
	if !byName["Admin"].Grants(op("administer/space")) || byName["Manager"].Grants(op("administer/space")) {
		t.Error("only Admin may administer the space")
	}
}

func TestListSpaceRoles(t *testing.T) {
	h := newRolesHarness(t, 0)
	all := decode[rolePage](t, h.get(asBob, "/wiki/api/v2/space-roles").expect(t, http.StatusOK))
	if got, want := roleNames(all.Results), []string{"Admin", "Manager", "Collaborator", "Viewer", "Reviewer"}; !slices.Equal(got, want) {
		t.Errorf("roles %v, want %v", got, want)
	}
	viewer := all.Results[3]
	if viewer.ID != ViewerRoleID || viewer.Type != SystemRole || !slices.Equal(viewer.SpacePermissions, []string{"read/space"}) {
		t.Errorf("Viewer = %+v", viewer)
	}
	if all.Results[4].ID != reviewerID || all.Results[4].Type != CustomRole {
		t.Errorf("Reviewer = %+v", all.Results[4])
	}

	// Pages of two follow _links.next, which repeats the filters.
	var paged []cloud.V2SpaceRole
	for path := "/wiki/api/v2/space-roles?limit=2"; path != ""; {
		r := h.get(asBob, path).expect(t, http.StatusOK)
		p := decode[rolePage](t, r)
		paged = append(paged, p.Results...)
		if p.Links.Next != "" && !strings.Contains(r.header.Get("Link"), `rel="next"`) {
			t.Errorf("Link header %q lacks the next page", r.header.Get("Link"))
		}
		path = p.Links.Next
	}
	if !slices.Equal(roleNames(paged), roleNames(all.Results)) {
		t.Errorf("paged roles %v", roleNames(paged))
	}

	filters := map[string][]string{
		"role-type=CUSTOM": {"Reviewer"},
		"role-type=SYSTEM&limit=1&cursor=" + cloud.EncodeCursor(cloud.CursorPosition{ID: "1"}): {"Manager"},
		"principal-type=USER&principal-id=" + bobID:                                            {"Viewer"},
		"principal-type=GROUP&principal-id=" + engGroupID + "&space-id=" + h.spaceID("DOCS"):   {"Reviewer"},
		"principal-type=GROUP&principal-id=" + engGroupID + "&space-id=" + h.spaceID("ENG"):    nil,
		"principal-type=ACCESS_CLASS&principal-id=" + AuthenticatedUsers:                       nil,
		"space-id=" + h.spaceID("DOCS"):                                                        roleNames(all.Results),
	}
	for query, want := range filters {
		p := decode[rolePage](t, h.get(asBob, "/wiki/api/v2/space-roles?"+query).expect(t, http.StatusOK))
		if got := roleNames(p.Results); !slices.Equal(got, want) {
			t.Errorf("%s: roles %v, want %v", query, got, want)
		}
	}
	for _, query := range []string{"role-type=OTHER", "principal-id=" + bobID, "principal-type=USER", "principal-type=ROLE&principal-id=x",
		"principal-type=ACCESS_CLASS&principal-id=everyone", "space-id=DOCS", "limit=251", "cursor=bad*"} {
		h.get(asBob, "/wiki/api/v2/space-roles?"+query).expect(t, http.StatusBadRequest)
	}
	// HR is not visible to bob.
	h.get(asBob, "/wiki/api/v2/space-roles?space-id="+h.spaceID("HR")).expect(t, http.StatusNotFound)
}

func TestGetSpaceRole(t *testing.T) {
	h := newRolesHarness(t, 0)
	r := decode[cloud.V2SpaceRole](t, h.get(asBob, "/wiki/api/v2/space-roles/"+AdminRoleID).expect(t, http.StatusOK))
	if r.Name != "Admin" || r.Links == nil || r.Links.Base != h.url+"/wiki" || !slices.Contains(r.SpacePermissions, "administer/space") {
		t.Errorf("Admin = %+v", r)
	}
	e := h.get(asBob, "/wiki/api/v2/space-roles/0c5d1f3e-0000-4000-8000-000000000000").expect(t, http.StatusNotFound).v2Error(t)
	if e.Code != "NOT_FOUND" {
		t.Errorf("error %+v", e)
	}
}

func TestCreateSpaceRole(t *testing.T) {
	h := newRolesHarness(t, 0)
	const path = "/wiki/api/v2/space-roles"
	created := decode[cloud.V2SpaceRole](t, h.do(asTerraform, http.MethodPost, path, roleBody("Editor", "create/page", "read/space", "create/page")).expect(t, http.StatusCreated))
	if created.Type != CustomRole || created.Name != "Editor" || !slices.Equal(created.SpacePermissions, []string{"read/space", "create/page"}) || len(created.ID) != 36 {
		t.Errorf("created %+v", created)
	}
	if got, ok := h.sim.RoleNamed("editor"); !ok || got.ID != created.ID {
		t.Errorf("RoleNamed = %+v, %v", got, ok)
	}

	refusals := []struct {
		name   string
		auth   string
		body   any
		status int
		detail string
	}{
		{"duplicate name", asTerraform, roleBody("viewer", "read/space"), 400, `A space role named "Viewer" already exists.`},
		{"unknown permission", asTerraform, roleBody("X", "read/space", "write/page"), 400, `"write/page" is not a space permission id of this site`},
		{"Data Center permission", asTerraform, roleBody("X", "read/space", "delete_mail/space"), 400, `"delete_mail/space" is not a space permission id`},
		{"no permissions", asTerraform, roleBody("X"), 400, "needs at least one permission"},
		{"no name", asTerraform, roleBody(" ", "read/space"), 400, "needs a name"},
		{"missing description", asTerraform, map[string]any{"name": "X", "spacePermissions": []string{"read/space"}}, 400, "are required"},
		{"not JSON", asTerraform, "{", 400, "Could not read the request body"},
		{"not a site admin", asAlice, roleBody("X", "read/space"), 404, "Only organization and site admins"},
	}
	for _, tc := range refusals {
		e := h.do(tc.auth, http.MethodPost, path, tc.body).expect(t, tc.status).v2Error(t)
		if e.Detail == nil || !strings.Contains(*e.Detail, tc.detail) {
			t.Errorf("%s: detail %v, want %q", tc.name, e.Detail, tc.detail)
		}
	}

	// Two custom roles exist; eight more fit, the eleventh does not.
	for i := range 8 {
		h.do(asTerraform, http.MethodPost, path, roleBody("Role "+string(rune('A'+i)), "read/space")).expect(t, http.StatusCreated)
	}
	e := h.do(asTerraform, http.MethodPost, path, roleBody("One too many", "read/space")).expect(t, http.StatusBadRequest).v2Error(t)
	if !strings.Contains(*e.Detail, "at most 10 custom space roles") {
		t.Errorf("detail %q", *e.Detail)
	}
}

func TestUpdateSpaceRoleAppliesLater(t *testing.T) {
	h := newRolesHarness(t, 50*time.Millisecond)
	path := "/wiki/api/v2/space-roles/" + reviewerID
	accepted := decode[cloud.V2UpdateRoleAccepted](t, h.do(asTerraform, http.MethodPut, path,
		roleBody("Commenter", "read/space", "create/comment", "delete/comment")).expect(t, http.StatusAccepted))
	if accepted.ID != reviewerID || accepted.Name != "Reviewer" || accepted.Type != CustomRole || accepted.TaskID == "" {
		t.Errorf("202 body %+v: want the role as it still is, and a task", accepted)
	}
	if r := decode[cloud.V2SpaceRole](t, h.get(asTerraform, path).expect(t, http.StatusOK)); r.Name != "Reviewer" {
		t.Errorf("right after the 202 the role reads %q, want the old name", r.Name)
	}
	eventually(t, "the update", func() bool {
		r := decode[cloud.V2SpaceRole](t, h.get(asTerraform, path).expect(t, http.StatusOK))
		return r.Name == "Commenter" && slices.Equal(r.SpacePermissions, []string{"read/space", "create/comment", "delete/comment"})
	})

	h.do(asTerraform, http.MethodPut, "/wiki/api/v2/space-roles/"+ViewerRoleID, roleBody("Reader", "read/space")).expect(t, http.StatusBadRequest)
	h.do(asTerraform, http.MethodPut, "/wiki/api/v2/space-roles/nope", roleBody("Reader", "read/space")).expect(t, http.StatusNotFound)
	h.do(asTerraform, http.MethodPut, path, roleBody("Admin", "read/space")).expect(t, http.StatusBadRequest)
	h.do(asAlice, http.MethodPut, path, roleBody("Reader", "read/space")).expect(t, http.StatusNotFound)
}

func TestDeleteSpaceRoleRemovesItsAssignmentsLater(t *testing.T) {
	h := newRolesHarness(t, 50*time.Millisecond)
	path := "/wiki/api/v2/space-roles/" + reviewerID
	accepted := decode[cloud.V2DeleteRoleAccepted](t, h.do(asTerraform, http.MethodDelete, path, nil).expect(t, http.StatusAccepted))
	if accepted.TaskID == "" {
		t.Error("no taskId")
	}
	h.get(asTerraform, path).expect(t, http.StatusOK)
	eventually(t, "the deletion", func() bool { return h.get(asTerraform, path).status == http.StatusNotFound })
	assignments, err := h.sim.RoleAssignments("DOCS")
	if err != nil || len(assignments) != 1 || assignments[0].RoleID != ViewerRoleID {
		t.Errorf("assignments after the deletion: %+v, %v", assignments, err)
	}
	h.do(asTerraform, http.MethodDelete, "/wiki/api/v2/space-roles/"+AdminRoleID, nil).expect(t, http.StatusBadRequest)
	h.do(asAlice, http.MethodDelete, "/wiki/api/v2/space-roles/"+ViewerRoleID, nil).expect(t, http.StatusNotFound)
}

func TestSpacePermissionCatalogue(t *testing.T) {
	h := newRolesHarness(t, 0)
	var ids []string
	for path := "/wiki/api/v2/space-permissions?limit=5"; path != ""; {
		p := decode[cloud.V2Page[cloud.V2SpacePermission]](t, h.get(asBob, path).expect(t, http.StatusOK))
		for _, e := range p.Results {
			ids = append(ids, e.ID)
			wantRequired := []string{"read/space"}
			if e.ID == "read/space" {
				wantRequired = []string{}
			}
			if e.DisplayName == "" || e.Description == "" || !slices.Equal(e.RequiredPermissionIDs, wantRequired) {
				t.Errorf("catalogue entry %+v", e)
			}
		}
		path = p.Links.Next
	}
	if len(ids) != 20 || ids[0] != "read/space" || slices.Contains(ids, "delete_mail/space") {
		t.Fatalf("catalogue ids %v: want the 14 Cloud permissions, read/space first, then 6 granular ones", ids)
	}
	// The granular permissions announced in 2026 have ids that are not
	// key/target, so that clients cannot assume every id is a legacy pair.
	for i, id := range ids {
		if legacy := strings.Count(id, "/") == 1; legacy != (i < 14) {
			t.Errorf("catalogue id %d %q: legacy %v", i, id, legacy)
		}
	}
	var names []string
	for _, e := range decode[cloud.V2Page[cloud.V2SpacePermission]](t, h.get(asBob, "/wiki/api/v2/space-permissions?limit=250").expect(t, http.StatusOK)).Results[14:] {
		names = append(names, e.DisplayName)
	}
	want := []string{"Manage space features, automation", "Manage access to space", "Manage all content in space", "Create content templates", "Manage look and feel of space", "Delete own comments"}
	if !slices.Equal(names, want) {
		t.Errorf("granular permissions %v, want %v", names, want)
	}
}

func TestRoleEndpointsOnAPreRolesSite(t *testing.T) {
	h := newHarness(t) // the demo seed is PRE_ROLES
	docs := h.spaceID("DOCS")
	for _, r := range []response{
		h.get(asTerraform, "/wiki/api/v2/space-permissions"),
		h.get(asTerraform, "/wiki/api/v2/space-roles"),
		h.get(asTerraform, "/wiki/api/v2/space-roles/"+ViewerRoleID),
		h.do(asTerraform, http.MethodPost, "/wiki/api/v2/space-roles", roleBody("X", "read/space")),
		h.get(asTerraform, "/wiki/api/v2/spaces/"+docs+"/role-assignments"),
		h.do(asTerraform, http.MethodPost, "/wiki/api/v2/spaces/"+docs+"/role-assignments", []any{}),
	} {
		e := r.expect(t, http.StatusNotFound).v2Error(t)
		if e.Detail == nil || *e.Detail != "Space roles are not enabled on this site." {
			t.Errorf("detail %v", e.Detail)
		}
	}
	if len(h.sim.Roles()) != 0 {
		t.Error("a PRE_ROLES site lists roles")
	}
}
