package confluencesim

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

type roleAssignmentPage = cloud.V2Page[cloud.V2RoleAssignment]

func roleAssignmentsPath(h *harness, key string) string {
	return "/wiki/api/v2/spaces/" + h.spaceID(key) + "/role-assignments"
}

func assignEntry(typ RolePrincipalType, id, roleID string) map[string]any {
	e := map[string]any{"principal": map[string]string{"principalType": string(typ), "principalId": id}}
	if roleID != "" {
		e["roleId"] = roleID
	}
	return e
}

// assignmentsOf renders a space's assignments as "TYPE id=role".
func assignmentsOf(t *testing.T, h *harness, key string) []string {
	t.Helper()
	list, err := h.sim.RoleAssignments(key)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range list {
		out = append(out, string(a.Principal.Type)+" "+a.Principal.ID+"="+a.RoleID)
	}
	return out
}

func TestGetRoleAssignments(t *testing.T) {
	h := newRolesHarness(t, 0)
	path := roleAssignmentsPath(h, "DOCS")
	all := decode[roleAssignmentPage](t, h.get(asBob, path).expect(t, http.StatusOK))
	want := []cloud.V2RoleAssignment{
		{Principal: cloud.V2RolePrincipal{PrincipalType: RoleUser, PrincipalID: bobID}, RoleID: ViewerRoleID},
		{Principal: cloud.V2RolePrincipal{PrincipalType: RoleGroup, PrincipalID: engGroupID}, RoleID: reviewerID},
	}
	if !slices.Equal(all.Results, want) {
		t.Errorf("assignments %+v, want %+v", all.Results, want)
	}
	first := decode[roleAssignmentPage](t, h.get(asBob, path+"?limit=1").expect(t, http.StatusOK))
	second := decode[roleAssignmentPage](t, h.get(asBob, first.Links.Next).expect(t, http.StatusOK))
	if len(first.Results) != 1 || !slices.Equal(append(first.Results, second.Results...), want) || second.Links.Next != "" {
		t.Errorf("pages %+v then %+v", first, second)
	}
	for query, wantIdx := range map[string][]int{
		"role-id=" + reviewerID:                                      {1},
		"role-type=SYSTEM":                                           {0},
		"principal-type=USER&principal-id=" + bobID:                  {0},
		"principal-type=USER&principal-id=" + aliceID:                nil,
		"role-type=CUSTOM&role-id=" + ViewerRoleID:                   nil,
		"principal-type=ACCESS_CLASS&principal-id=" + AnonymousUsers: nil,
	} {
		got := decode[roleAssignmentPage](t, h.get(asBob, path+"?"+query).expect(t, http.StatusOK)).Results
		var expected []cloud.V2RoleAssignment
		for _, i := range wantIdx {
			expected = append(expected, want[i])
		}
		if !slices.Equal(got, expected) {
			t.Errorf("%s: %+v, want %+v", query, got, expected)
		}
	}
	h.get(asBob, path+"?principal-type=GROUP").expect(t, http.StatusBadRequest)
	h.get(asBob, roleAssignmentsPath(h, "HR")).expect(t, http.StatusNotFound) // bob cannot view HR
	h.get(asBob, "/wiki/api/v2/spaces/x/role-assignments").expect(t, http.StatusBadRequest)
}

func TestSetRoleAssignmentsUpsertsPerPrincipal(t *testing.T) {
	h := newRolesHarness(t, 0)
	path := roleAssignmentsPath(h, "DOCS")
	r := h.do(asAlice, http.MethodPost, path, []any{
		assignEntry(RoleUser, bobID, CollaboratorRoleID), // changes bob's role
		assignEntry(RoleUser, carolID, ManagerRoleID),    // adds carol
		assignEntry(RoleAccessClass, AnonymousUsers, ""), // removes nothing: anonymous has no role
		assignEntry(RoleAccessClass, AllLicensedUsers, ViewerRoleID),
	}).expect(t, http.StatusOK)
	set := decode[roleAssignmentPage](t, r).Results
	if len(set) != 3 || set[0].RoleID != CollaboratorRoleID {
		t.Errorf("answer %+v", set)
	}
	// The engineering group was not named: it keeps its role.
	want := []string{
		"USER " + bobID + "=" + CollaboratorRoleID,
		"GROUP " + engGroupID + "=" + reviewerID,
		"USER " + carolID + "=" + ManagerRoleID,
		"ACCESS_CLASS all-licensed-users=" + ViewerRoleID,
	}
	if got := assignmentsOf(t, h, "DOCS"); !slices.Equal(got, want) {
		t.Errorf("assignments %v, want %v", got, want)
	}

	h.do(asAlice, http.MethodPost, path, []any{assignEntry(RoleUser, bobID, "")}).expect(t, http.StatusOK)
	if got := assignmentsOf(t, h, "DOCS"); slices.Contains(got, want[0]) || len(got) != 3 {
		t.Errorf("after removing bob: %v", got)
	}
}

// A refused entry answers its refusal. What the request leaves applied is
// the site's RoleAssignmentFailure: by default the entries before the
// refused one, with AssignmentsAllOrNothing none; the entries after it
// never.
func TestSetRoleAssignmentsRefusals(t *testing.T) {
	valid := assignEntry(RoleUser, carolID, ViewerRoleID)
	later := assignEntry(RoleUser, aliceID, CollaboratorRoleID)
	refusals := map[string]struct {
		entry  any
		detail string
	}{
		"unknown user":         {assignEntry(RoleUser, "nobody", ViewerRoleID), "No user found with the given accountId: nobody"},
		"unknown group":        {assignEntry(RoleGroup, "nobody", ViewerRoleID), "No group found with the given groupId: nobody"},
		"unknown access class": {assignEntry(RoleAccessClass, "everyone", ViewerRoleID), `"everyone" is not an access class`},
		"unknown type":         {assignEntry("ROLE", "x", ViewerRoleID), `Principal type "ROLE"`},
		"unknown role":         {assignEntry(RoleUser, bobID, "nope"), `No space role with id "nope"`},
		"anonymous admin":      {assignEntry(RoleAccessClass, AnonymousUsers, AdminRoleID), `Anonymous users cannot be given the role "Admin"`},
		"named twice":          {valid, "is named more than once"},
	}
	for _, mode := range []AssignmentFailure{"", AssignmentsUpToFailure, AssignmentsAllOrNothing} {
		t.Run(string(mode), func(t *testing.T) {
			for name, tc := range refusals {
				h := newHarness(t, withSeed(rolesSeed()), withOptions(Options{RoleAssignmentFailure: mode}))
				path := roleAssignmentsPath(h, "DOCS")
				before := assignmentsOf(t, h, "DOCS")
				e := h.do(asAlice, http.MethodPost, path, []any{valid, tc.entry, later}).expect(t, http.StatusBadRequest).v2Error(t)
				if e.Detail == nil || !strings.Contains(*e.Detail, tc.detail) {
					t.Errorf("%s: detail %v, want %q", name, e.Detail, tc.detail)
				}
				want := before
				if mode != AssignmentsAllOrNothing {
					want = append(slices.Clone(before), "USER "+carolID+"="+ViewerRoleID)
				}
				if got := assignmentsOf(t, h, "DOCS"); !slices.Equal(got, want) {
					t.Errorf("%s: assignments after the refusal %v, want %v", name, got, want)
				}
			}
		})
	}
}

// Refusals of the request as a whole change nothing in either mode: a body
// that is not an array of entries, an entry without a principal or with an
// empty roleId, a body over 5 MB (413), a caller who may not set roles.
func TestSetRoleAssignmentsRequestRefusals(t *testing.T) {
	for _, mode := range []AssignmentFailure{AssignmentsUpToFailure, AssignmentsAllOrNothing} {
		t.Run(string(mode), func(t *testing.T) {
			h := newHarness(t, withSeed(rolesSeed()), withOptions(Options{RoleAssignmentFailure: mode}))
			path := roleAssignmentsPath(h, "DOCS")
			before := assignmentsOf(t, h, "DOCS")
			valid := assignEntry(RoleUser, carolID, ViewerRoleID)
			for name, tc := range map[string]struct {
				body   any
				detail string
			}{
				"empty roleId": {[]any{valid, map[string]any{"principal": map[string]string{"principalType": "USER", "principalId": aliceID}, "roleId": ""}}, "empty roleId"},
				"no principal": {[]any{valid, map[string]any{"roleId": ViewerRoleID}}, "needs a principal"},
				"not an array": {map[string]any{"principal": "x"}, "Could not read the request body"},
			} {
				e := h.do(asAlice, http.MethodPost, path, tc.body).expect(t, http.StatusBadRequest).v2Error(t)
				if e.Detail == nil || !strings.Contains(*e.Detail, tc.detail) {
					t.Errorf("%s: detail %v, want %q", name, e.Detail, tc.detail)
				}
			}
			// Over 5 MB, whether the size is declared or not, and even when
			// the JSON value itself is small.
			h.do(asAlice, http.MethodPost, path, strings.Repeat(" ", cloud.MaxRoleBodyBytes+1)).expect(t, http.StatusRequestEntityTooLarge)
			padded := `[{"principal":{"principalType":"USER","principalId":"` + carolID + `"},"roleId":"` + ViewerRoleID + `"}]` + strings.Repeat(" ", cloud.MaxRoleBodyBytes)
			if status := postChunked(t, h, path, padded); status != http.StatusRequestEntityTooLarge {
				t.Errorf("a chunked body over 5 MB answered %d", status)
			}
			// bob views DOCS but cannot manage it; HR he cannot even see.
			h.do(asBob, http.MethodPost, path, []any{valid}).expect(t, http.StatusNotFound)
			h.do(asBob, http.MethodPost, roleAssignmentsPath(h, "HR"), []any{valid}).expect(t, http.StatusNotFound)
			if got := assignmentsOf(t, h, "DOCS"); !slices.Equal(got, before) {
				t.Errorf("a refused request changed the assignments: %v, want %v", got, before)
			}
		})
	}
}

// postChunked sends body without a Content-Length, as alice, and returns
// the status.
func postChunked(t *testing.T, h *harness, path, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+path, io.MultiReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", asAlice)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if req.ContentLength != 0 {
		t.Fatalf("the request declared a length of %d", req.ContentLength)
	}
	return resp.StatusCode
}

// By default the permission list shows legacy grants only: role-derived
// rows are not on record.
func TestRolesAreNotInThePermissionListByDefault(t *testing.T) {
	h := newRolesHarness(t, 0)
	p := decode[assignmentPage](t, h.get(asAlice, permissionsPath(h, "DOCS")).expect(t, http.StatusOK))
	if len(p.Results) != len(h.grants("DOCS")) {
		t.Errorf("%d rows for %d grants", len(p.Results), len(h.grants("DOCS")))
	}
	for _, row := range p.Results {
		if row.Principal.Type == "role" && row.Principal.ID != cloud.AnonymousRoleID {
			t.Errorf("role row %+v", row)
		}
	}
}

// With RoleRowsInPermissionList the roles assigned in a space show as rows
// of type role after the grants, one per legacy permission, in either
// numbering of the grants.
func TestRoleRowsInPermissionList(t *testing.T) {
	for _, distinct := range []bool{false, true} {
		t.Run(fmt.Sprintf("distinct ids %v", distinct), func(t *testing.T) {
			h := newHarness(t, withSeed(rolesSeed()), withOptions(Options{RoleTaskDelay: state.ApplyNow, RoleRowsInPermissionList: true, DistinctPermissionIDs: distinct}))
			// Two principals hold Viewer: its permission is listed once.
			if err := h.sim.AssignRole("DOCS", RolePrincipal{Type: RoleUser, ID: carolID}, ViewerRoleID); err != nil {
				t.Fatal(err)
			}
			// A granular permission has no key/target, so gives no row.
			if err := h.sim.UpdateRole(reviewerID, SeedRole{Name: "Reviewer", Permissions: []string{"read/space", "create/comment", "comment.own.delete"}}); err != nil {
				t.Fatal(err)
			}
			grants := len(h.grants("DOCS"))
			var rows []cloud.V2Assignment
			for path := permissionsPath(h, "DOCS") + "?limit=3"; path != ""; {
				p := decode[assignmentPage](t, h.get(asAlice, path).expect(t, http.StatusOK))
				rows = append(rows, p.Results...)
				path = p.Links.Next
			}
			var roleRows []string
			for _, row := range rows[grants:] {
				roleRows = append(roleRows, row.Principal.Type+" "+row.Principal.ID+" "+row.Operation.Key+"/"+row.Operation.TargetType)
			}
			want := []string{"role " + ViewerRoleID + " read/space", "role " + reviewerID + " read/space", "role " + reviewerID + " create/comment"}
			if !slices.Equal(roleRows, want) {
				t.Errorf("role rows %v, want %v", roleRows, want)
			}
			for i := 1; i < len(rows); i++ {
				a, _ := strconv.ParseInt(rows[i-1].ID, 10, 64)
				b, _ := strconv.ParseInt(rows[i].ID, 10, 64)
				if a >= b {
					t.Errorf("row ids out of order: %s then %s", rows[i-1].ID, rows[i].ID)
				}
			}
		})
	}
}

// A role gives access like a grant: alice, with no grant in HR, views it
// and manages its permissions once she is an Admin there.
func TestRolesGiveAccess(t *testing.T) {
	h := newRolesHarness(t, 0)
	hr := "/wiki/api/v2/spaces/" + h.spaceID("HR")
	h.get(asAlice, hr).expect(t, http.StatusNotFound)
	if err := h.sim.AssignRole("HR", RolePrincipal{Type: RoleUser, ID: aliceID}, AdminRoleID); err != nil {
		t.Fatal(err)
	}
	h.get(asAlice, hr).expect(t, http.StatusOK)
	h.do(asAlice, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).expect(t, http.StatusOK)

	// An access class reaches every signed-in account.
	ops := "/wiki/api/v2/spaces/" + h.spaceID("OPS")
	h.get(asAlice, ops).expect(t, http.StatusNotFound)
	if err := h.sim.AssignRole("OPS", RolePrincipal{Type: RoleAccessClass, ID: AuthenticatedUsers}, ViewerRoleID); err != nil {
		t.Fatal(err)
	}
	h.get(asAlice, ops).expect(t, http.StatusOK)
}
