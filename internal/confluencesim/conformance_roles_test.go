package confluencesim

import (
	"net/http"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
)

// roleConformanceRequests drives every space role route, with successes
// and refusals, for TestConformance: first on the harness's PRE_ROLES site,
// then with space roles switched on. It leaves the site in ROLES_TRANSITION.
func roleConformanceRequests(t *testing.T, h *harness) []response {
	t.Helper()
	docs := h.spaceID("DOCS")
	assignments := "/wiki/api/v2/spaces/" + docs + "/role-assignments"
	requests := []response{h.get(asTerraform, "/wiki/api/v2/space-roles")} // 404: no roles yet
	if err := h.sim.SetRoleMode(RolesTransition); err != nil {
		t.Fatal(err)
	}
	create := h.do(asTerraform, http.MethodPost, "/wiki/api/v2/space-roles", roleBody("Reviewer", "read/space", "create/comment"))
	created := decode[cloud.V2SpaceRole](t, create.expect(t, http.StatusCreated))
	byID := "/wiki/api/v2/space-roles/" + created.ID
	requests = append(requests, create,
		h.get(asBob, "/wiki/api/v2/space-permissions"),
		h.get(asBob, "/wiki/api/v2/space-permissions?limit=3&cursor="+cloud.EncodeCursor(cloud.CursorPosition{ID: "3"})),
		h.get(asBob, "/wiki/api/v2/space-roles?limit=2"),
		h.get(asBob, "/wiki/api/v2/space-roles?role-type=CUSTOM&space-id="+docs+"&principal-type=ACCESS_CLASS&principal-id=all-licensed-users"),
		h.get(asBob, "/wiki/api/v2/space-roles?role-type=nope"),
		h.get(asBob, "/wiki/api/v2/space-roles/"+ViewerRoleID),
		h.get(asBob, "/wiki/api/v2/space-roles/nope"),
		h.do(asTerraform, http.MethodPost, "/wiki/api/v2/space-roles", roleBody("reviewer", "read/space")),
		h.do(asAlice, http.MethodPost, "/wiki/api/v2/space-roles", roleBody("Other", "read/space")),
		h.do(asTerraform, http.MethodPut, byID, roleBody("Commenter", "read/space", "create/comment", "delete/comment")),
		h.do(asTerraform, http.MethodPut, "/wiki/api/v2/space-roles/"+AdminRoleID, roleBody("Boss", "read/space")),
		h.do(asAlice, http.MethodPost, assignments, []any{
			assignEntry(RoleUser, bobID, created.ID),
			assignEntry(RoleGroup, engGroupID, ViewerRoleID),
			assignEntry(RoleAccessClass, AuthenticatedUsers, ViewerRoleID),
		}),
		h.do(asAlice, http.MethodPost, assignments, []any{assignEntry(RoleAccessClass, AuthenticatedUsers, "")}),
		h.do(asAlice, http.MethodPost, assignments, []any{assignEntry(RoleUser, "nobody", ViewerRoleID)}),
		h.do(asBob, http.MethodPost, assignments, []any{assignEntry(RoleUser, carolID, ViewerRoleID)}),
		h.get(asBob, assignments),
		h.get(asBob, assignments+"?limit=1&role-type=SYSTEM&role-id="+ViewerRoleID),
		h.get(asBob, assignments+"?principal-type=USER&principal-id="+bobID),
		h.get(asBob, "/wiki/api/v2/spaces/"+docs+"/permissions"),
		h.do(asTerraform, http.MethodDelete, byID, nil),
		h.do(asTerraform, http.MethodDelete, "/wiki/api/v2/space-roles/"+ViewerRoleID, nil),
	)
	generate := h.do(asTerraform, http.MethodPost, combinationsPath, nil)
	task := decode[cloud.V2TransitionTask](t, generate.expect(t, http.StatusAccepted))
	first := h.get(asTerraform, combinationsPath+"?limit=2")
	next := decode[cloud.V2CombinationsPage](t, first.expect(t, http.StatusOK)).Cursor
	if next == nil {
		t.Fatal("no cursor after the first page of two")
	}
	requests = append(requests, generate, first,
		h.get(asTerraform, combinationsPath+"?limit=2&cursor="+*next),
		h.get(asTerraform, combinationsPath+"?limit=0"),
		h.get(asAlice, combinationsPath),
		h.do(asAlice, http.MethodPost, combinationsPath, nil),
		h.get(asTerraform, transitionTasks+task.TaskID),
		h.get(asTerraform, transitionTasks+"nope"),
	)
	eventually(t, "the deletion of "+created.Name, func() bool { return h.get(asTerraform, byID).status == http.StatusNotFound })
	return requests
}
