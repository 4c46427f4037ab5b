package confluencesim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

type assignmentPage = cloud.V2Page[cloud.V2Assignment]

const (
	badRequest = "com.atlassian.confluence.api.service.exceptions.BadRequestException: "
	notFound   = "com.atlassian.confluence.api.service.exceptions.NotFoundException: "
	forbidden  = "com.atlassian.confluence.api.service.exceptions.PermissionException: "
)

func permissionsPath(h *harness, key string) string {
	return "/wiki/api/v2/spaces/" + h.spaceID(key) + "/permissions"
}

func TestGetSpacePermissionsShape(t *testing.T) {
	h := newHarness(t)
	r := h.get(asAlice, permissionsPath(h, "DOCS")).expect(t, http.StatusOK)
	p := decode[assignmentPage](t, r)
	grants := h.grants("DOCS")
	if len(p.Results) != len(grants) || len(grants) != 8 {
		t.Fatalf("%d results for %d grants", len(p.Results), len(grants))
	}
	for i, g := range grants {
		want := cloud.V2Assignment{
			ID:        strconv.FormatInt(g.ID, 10),
			Principal: cloud.V2Principal{Type: string(g.Principal.Type), ID: g.Principal.ID},
			Operation: cloud.V2Operation{Key: g.Operation.Key, TargetType: g.Operation.Target},
		}
		if g.Principal.Type == "anonymous" {
			want.Principal = cloud.V2Principal{Type: "role", ID: "ANONYMOUS"} // as recorded on a real site
		}
		if p.Results[i] != want {
			t.Errorf("result %d = %+v, want %+v", i, p.Results[i], want)
		}
	}
	if p.Links.Next != "" || p.Links.Base != h.url+"/wiki" {
		t.Errorf("links %+v", p.Links)
	}
	if r.header.Get("Link") != "" {
		t.Errorf("Link header %q: the spec documents none for this operation", r.header.Get("Link"))
	}
}

func TestGetSpacePermissionsPagination(t *testing.T) {
	h := newHarness(t)
	for i := range 30 {
		id := fmt.Sprintf("70121:%08d-0000-4000-8000-000000000000", i)
		if err := h.sim.AddUser(SeedUser{AccountID: id, DisplayName: "User " + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.sim.AddGrant("ENG", state.UserPrincipal(id), op("read/space")); err != nil {
			t.Fatal(err)
		}
	}
	all := h.grants("ENG") // 11 + 30 = 41
	walk := func(t *testing.T, first string) (ids []string, pages int) {
		next := first
		for next != "" {
			p := decode[assignmentPage](t, h.get(asBob, next).expect(t, http.StatusOK))
			for _, a := range p.Results {
				ids = append(ids, a.ID)
			}
			pages++
			if next = p.Links.Next; next != "" && !strings.HasPrefix(next, permissionsPath(h, "ENG")+"?cursor=") {
				t.Fatalf("next %q", next)
			}
		}
		return ids, pages
	}
	var want []string
	for _, g := range all {
		want = append(want, strconv.FormatInt(g.ID, 10))
	}
	for _, tc := range []struct {
		query string
		pages int
	}{{"", 2}, {"?limit=1", 41}, {"?limit=10", 5}, {"?limit=41", 1}, {"?limit=250", 1}} {
		t.Run("limit"+tc.query, func(t *testing.T) {
			ids, pages := walk(t, permissionsPath(h, "ENG")+tc.query)
			if !slices.Equal(ids, want) || pages != tc.pages {
				t.Errorf("%d pages, ids %v\nwant %d pages, ids %v", pages, ids, tc.pages, want)
			}
		})
	}
	t.Run("removed cursor grant", func(t *testing.T) {
		p := decode[assignmentPage](t, h.get(asBob, permissionsPath(h, "ENG")+"?limit=12"))
		if _, err := h.sim.RemoveGrant("ENG", all[11].ID); err != nil {
			t.Fatal(err)
		}
		next := decode[assignmentPage](t, h.get(asBob, p.Links.Next).expect(t, http.StatusOK))
		if next.Results[0].ID != want[12] {
			t.Errorf("resumed at %s, want %s", next.Results[0].ID, want[12])
		}
	})
	for _, q := range []string{"limit=0", "limit=251", "limit=x", "cursor=not*base64", "cursor=eyJpZCI6ImFiYyJ9"} {
		t.Run("bad "+q, func(t *testing.T) {
			h.get(asBob, permissionsPath(h, "ENG")+"?"+q).expect(t, http.StatusBadRequest).v2Error(t)
		})
	}
}

func TestGetSpacePermissionsNotFound(t *testing.T) {
	h := newHarness(t)
	h.get(asTerraform, "/wiki/api/v2/spaces/12345/permissions").expect(t, http.StatusNotFound).v2Error(t)
	h.get(asAlice, permissionsPath(h, "HR")).expect(t, http.StatusNotFound).v2Error(t) // cannot view
	h.get(asTerraform, "/wiki/api/v2/spaces/HR/permissions").expect(t, http.StatusBadRequest).v2Error(t)
}

func TestAddPermission(t *testing.T) {
	tests := []struct {
		name        string
		auth, space string
		body        any
		status      int
		message     string // exact v1 message for errors
	}{
		{name: "user read", auth: asTerraform, space: "HR", body: permissionBody("user", bobID, "read", "space"), status: 200},
		{name: "group by id", auth: asCarol, space: "HR", body: permissionBody("group", engGroupID, "read", "space"), status: 200},
		{name: "anonymous", auth: asTerraform, space: "HR", body: permissionBody("user", "anonymous", "read", "space"), status: 200},
		{name: "admin through site admin flag", auth: asTerraform, space: "ENG", body: permissionBody("user", aliceID, "export", "space"), status: 400,
			message: badRequest + "'read space' permission doesn't exist for the given user or group."},
		{name: "invalid pair", auth: asTerraform, space: "DOCS", body: permissionBody("user", aliceID, "administer", "page"), status: 400,
			message: badRequest + "Operation not supported for target OperationCheckResult{operation=administer, targetType=page}"},
		{name: "key outside the enum", auth: asTerraform, space: "DOCS", body: permissionBody("user", aliceID, "launch", "space"), status: 400,
			message: badRequest + "Operation not supported for target OperationCheckResult{operation=launch, targetType=space}"},
		{name: "Data Center only operation", auth: asTerraform, space: "DOCS", body: permissionBody("user", aliceID, "delete_mail", "space"), status: 400,
			message: badRequest + "Operation not supported for target OperationCheckResult{operation=delete_mail, targetType=space}"},
		{name: "duplicate", auth: asAlice, space: "DOCS", body: permissionBody("user", aliceID, "export", "space"), status: 400,
			message: badRequest + "Permission already exists for the given user or group."},
		{name: "duplicate read", auth: asAlice, space: "DOCS", body: permissionBody("group", usersGroupID, "read", "space"), status: 400,
			message: badRequest + "Permission already exists for the given user or group."},
		{name: "read/space missing", auth: asCarol, space: "HR", body: permissionBody("user", bobID, "create", "page"), status: 400,
			message: badRequest + "'read space' permission doesn't exist for the given user or group."},
		{name: "unknown group", auth: asTerraform, space: "HR", body: permissionBody("group", "no-such-group", "read", "space"), status: 400,
			message: badRequest + "No group found with the given groupName or groupId: no-such-group"},
		{name: "unknown user", auth: asTerraform, space: "HR", body: permissionBody("user", "557058:nobody", "read", "space"), status: 400,
			message: badRequest + "No user found with the given accountId: 557058:nobody"},
		{name: "anonymous admin", auth: asAlice, space: "DOCS", body: permissionBody("user", "anonymous", "administer", "space"), status: 400,
			message: badRequest + "Anonymous users cannot be given the administer/space permission."},
		{name: "unknown space", auth: asTerraform, space: "NOPE", body: permissionBody("user", bobID, "read", "space"), status: 404,
			message: notFound + "No space with key : NOPE"},
		{name: "space the caller cannot view", auth: asAlice, space: "HR", body: permissionBody("user", bobID, "read", "space"), status: 404,
			message: notFound + "No space with key : HR"},
		{name: "caller is not a space admin", auth: asAlice, space: "ENG", body: permissionBody("user", carolID, "read", "space"), status: 403,
			message: forbidden + "User isn't authorized to modify permissions."},
		{name: "not JSON", auth: asTerraform, space: "HR", body: "{subject", status: 400},
		{name: "no subject", auth: asTerraform, space: "HR", body: map[string]any{"operation": map[string]string{"key": "read", "target": "space"}}, status: 400,
			message: badRequest + "The request body needs a subject and an operation."},
		{name: "subject type role", auth: asTerraform, space: "HR", body: permissionBody("role", "x", "read", "space"), status: 400,
			message: badRequest + `Subject type must be user or group, got "role"`},
		{name: "empty identifier", auth: asTerraform, space: "HR", body: permissionBody("user", "", "read", "space"), status: 400,
			message: badRequest + "The subject needs an identifier."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			before := fmt.Sprint(h.sim.Snapshot())
			r := h.do(tt.auth, http.MethodPost, "/wiki/rest/api/space/"+tt.space+"/permission", tt.body).expect(t, tt.status)
			if tt.status != http.StatusOK {
				msg := r.v1Message(t)
				if tt.message != "" && msg != tt.message {
					t.Errorf("message %q\nwant    %q", msg, tt.message)
				}
				if !strings.HasPrefix(msg, "com.atlassian.confluence.api.service.exceptions.") {
					t.Errorf("message %q lacks the exception class", msg)
				}
				if after := fmt.Sprint(h.sim.Snapshot()); before != after {
					t.Errorf("a refused request changed the grants")
				}
			}
		})
	}
}

func TestAddPermissionResponse(t *testing.T) {
	h := newHarness(t)
	r := h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("group", "Engineering", "read", "space"))
	got := decode[cloud.V1Permission](t, r.expect(t, http.StatusOK))
	want := cloud.V1Permission{
		ID:        got.ID,
		Subject:   cloud.V1Subject{Type: "group", Identifier: engGroupID}, // the name resolved to the id
		Operation: cloud.V1Operation{Key: "read", Target: "space"},
		Links:     map[string]string{"base": h.url + "/wiki", "context": "/wiki"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("response %+v\nwant     %+v", got, want)
	}
	// The v2 list reports the same id as a string
	// (contributing/confluence-api.md#v1-and-v2-permission-ids).
	p := decode[assignmentPage](t, h.get(asTerraform, permissionsPath(h, "HR")))
	last := p.Results[len(p.Results)-1]
	if last.ID != strconv.FormatInt(got.ID, 10) || last.Principal != (cloud.V2Principal{Type: "group", ID: engGroupID}) {
		t.Errorf("v2 lists %+v after creating %d", last, got.ID)
	}
	// A grant of the same principal's next permission is now allowed.
	h.do(asCarol, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("group", engGroupID, "create", "page")).expect(t, http.StatusOK)
}

func TestAdminThroughGroupMayManage(t *testing.T) {
	h := newHarness(t)
	body := permissionBody("user", carolID, "read", "space")
	h.do(asBob, http.MethodPost, "/wiki/rest/api/space/OPS/permission", body).expect(t, http.StatusForbidden)
	if _, err := h.sim.AddGrant("OPS", state.GroupPrincipal(engGroupID), op("administer/space")); err != nil {
		t.Fatal(err)
	}
	h.do(asBob, http.MethodPost, "/wiki/rest/api/space/OPS/permission", body).expect(t, http.StatusOK)
}

func deletePath(key string, id int64) string {
	return "/wiki/rest/api/space/" + key + "/permission/" + strconv.FormatInt(id, 10)
}

func grantID(t *testing.T, h *harness, key string, p string, operation string) int64 {
	t.Helper()
	for _, g := range h.grants(key) {
		if g.Principal.ID == p && g.Operation.String() == operation {
			return g.ID
		}
	}
	t.Fatalf("no grant %s %s in %s", p, operation, key)
	return 0
}

func TestRemovePermission(t *testing.T) {
	t.Run("one grant", func(t *testing.T) {
		h := newHarness(t)
		id := grantID(t, h, "DOCS", usersGroupID, "create/page")
		r := h.do(asAlice, http.MethodDelete, deletePath("DOCS", id), nil).expect(t, http.StatusNoContent)
		if len(r.body) != 0 {
			t.Errorf("204 with body %s", r.body)
		}
		if got := strings.Join(h.operationsOf("DOCS", state.GroupPrincipal(usersGroupID)), ","); got != "read/space,create/comment,create/attachment" {
			t.Errorf("left %s", got)
		}
		h.do(asAlice, http.MethodDelete, deletePath("DOCS", id), nil).expect(t, http.StatusNotFound) // already gone
	})
	t.Run("read/space cascades to the principal's other grants", func(t *testing.T) {
		h := newHarness(t)
		id := grantID(t, h, "DOCS", usersGroupID, "read/space")
		h.do(asAlice, http.MethodDelete, deletePath("DOCS", id), nil).expect(t, http.StatusNoContent)
		if got := h.operationsOf("DOCS", state.GroupPrincipal(usersGroupID)); len(got) != 0 {
			t.Errorf("left %v", got)
		}
		if got := len(h.grants("DOCS")); got != 4 {
			t.Errorf("%d grants left, want alice's 3 and anonymous read", got)
		}
	})
	tests := []struct {
		name    string
		auth    string
		path    func(h *harness) string
		status  int
		message string
	}{
		{"unknown id", asTerraform, func(h *harness) string { return deletePath("DOCS", 1) }, 404, notFound + "No space permission with id : 1"},
		{"id of another space", asTerraform, func(h *harness) string { return deletePath("DOCS", grantID(t, h, "ENG", bobID, "read/space")) }, 404, ""},
		{"id not a number", asTerraform, func(h *harness) string { return "/wiki/rest/api/space/DOCS/permission/abc" }, 404, ""},
		{"unknown space", asTerraform, func(h *harness) string { return deletePath("NOPE", 7405569) }, 404, notFound + "No space with key : NOPE"},
		{"space the caller cannot view", asAlice, func(h *harness) string { return deletePath("HR", grantID(t, h, "HR", hrGroupID, "create/page")) }, 404, notFound + "No space with key : HR"},
		{"caller is not admin", asAlice, func(h *harness) string { return deletePath("ENG", grantID(t, h, "ENG", engGroupID, "create/page")) }, 403, forbidden + "User isn't authorized to modify permissions."},
		{"last admin", asCarol, func(h *harness) string { return deletePath("HR", grantID(t, h, "HR", carolID, "administer/space")) }, 400,
			badRequest + "All of the admin permissions cannot be removed from a space."},
		{"cascade would remove the last admin", asCarol, func(h *harness) string { return deletePath("HR", grantID(t, h, "HR", carolID, "read/space")) }, 400,
			badRequest + "All of the admin permissions cannot be removed from a space."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			snapshot := h.sim.Snapshot()
			r := h.do(tt.auth, http.MethodDelete, tt.path(h), nil).expect(t, tt.status)
			if msg := r.v1Message(t); tt.message != "" && msg != tt.message {
				t.Errorf("message %q\nwant    %q", msg, tt.message)
			}
			if fmt.Sprint(h.sim.Snapshot()) != fmt.Sprint(snapshot) {
				t.Errorf("a refused removal changed the site")
			}
		})
	}
}

// The last-admin rule counts user and group admins alike
// (contributing/confluence-api.md#removing-a-grant-v1).
func TestLastAdminCountsGroups(t *testing.T) {
	h := newHarness(t)
	if _, err := h.sim.AddGrant("HR", state.GroupPrincipal(hrGroupID), op("administer/space")); err != nil {
		t.Fatal(err)
	}
	h.do(asCarol, http.MethodDelete, deletePath("HR", grantID(t, h, "HR", carolID, "administer/space")), nil).expect(t, http.StatusNoContent)
	// Carol still manages HR through hr-team, which is now the last admin.
	msg := h.do(asCarol, http.MethodDelete, deletePath("HR", grantID(t, h, "HR", hrGroupID, "administer/space")), nil).
		expect(t, http.StatusBadRequest).v1Message(t)
	if !strings.Contains(msg, "All of the admin permissions cannot be removed") {
		t.Errorf("message %q", msg)
	}
	// Removing hr-team's read/space would cascade to its admin grant: refused.
	h.do(asCarol, http.MethodDelete, deletePath("HR", grantID(t, h, "HR", hrGroupID, "read/space")), nil).expect(t, http.StatusBadRequest)
	// Carol's own read/space now goes with her restrict_content, nothing else.
	h.do(asCarol, http.MethodDelete, deletePath("HR", grantID(t, h, "HR", carolID, "read/space")), nil).expect(t, http.StatusNoContent)
	if got := h.operationsOf("HR", state.UserPrincipal(carolID)); len(got) != 0 {
		t.Errorf("carol still holds %v", got)
	}
}

func TestRolesOnlySiteRefusesLegacyWrites(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.SetRoleMode(RolesOnly); err != nil {
		t.Fatal(err)
	}
	const want = badRequest + "Space permission updates that are not from RBAC are not supported in roles-only mode"
	for _, r := range []response{
		h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")),
		h.do(asTerraform, http.MethodDelete, deletePath("HR", grantID(t, h, "HR", hrGroupID, "create/page")), nil),
	} {
		if msg := r.expect(t, http.StatusBadRequest).v1Message(t); msg != want {
			t.Errorf("message %q", msg)
		}
	}
	// Reads still work, and so does the Go API's view of the grants.
	h.get(asTerraform, permissionsPath(h, "HR")).expect(t, http.StatusOK)
	if _, err := h.sim.AddGrant("HR", state.UserPrincipal(bobID), op("read/space")); !IsRule(err, RuleRolesOnly) {
		t.Errorf("out-of-band add on a roles-only site: %v", err)
	}
	// Sites in transition take legacy writes.
	if err := h.sim.SetRoleMode(RolesTransition); err != nil {
		t.Fatal(err)
	}
	h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).expect(t, http.StatusOK)
}

func TestGroupMembershipGrantsAccess(t *testing.T) {
	h := newHarness(t)
	if keys := spaceKeys(decode[spacePage](t, h.get(asAlice, "/wiki/api/v2/spaces"))); keys != "DOCS,ENG" {
		t.Fatalf("alice sees %s", keys)
	}
	if err := h.sim.AddGroupMember(engGroupID, aliceID); err != nil {
		t.Fatal(err)
	}
	if keys := spaceKeys(decode[spacePage](t, h.get(asAlice, "/wiki/api/v2/spaces"))); keys != "DOCS,ENG,OPS" {
		t.Errorf("after joining engineering alice sees %s", keys)
	}
}
