package confluencesim

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The whole-space read is a bare array of flat rows whose subjects have the
// real shape of CONFSERVER-100505, not the documented one
// (contributing/confluence-api.md#rest-space-permissions).
func TestDCGetAllPermissions(t *testing.T) {
	h := newDCHarness(t)
	r := h.get(dcAsTerraform, permissionsPathDC("DOCS", "")).expect(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	want := []string{
		"user:" + aliceKey + " space/read", "user:" + aliceKey + " space/administer", "user:" + aliceKey + " space/export",
		"group:confluence-users space/read", "group:confluence-users page/create", "group:confluence-users comment/create",
		"group:confluence-users attachment/create",
		"anonymous space/read",
	}
	if got := rowKeys(t, r); !slices.Equal(got, want) {
		t.Errorf("rows\n%v\nwant\n%v", got, want)
	}
	var raw []struct{ Subject map[string]string }
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	subjectFields := map[string]string{"user": "type,userKey", "group": "name,type", "anonymous": "type"}
	for _, row := range raw {
		fields := slices.Sorted(maps.Keys(row.Subject))
		if typ := row.Subject["type"]; strings.Join(fields, ",") != subjectFields[typ] {
			t.Errorf("a %s subject has fields %v", typ, fields)
		}
	}
	first := decode[[]datacenter.PermissionRow](t, r)[0]
	if sp, _ := h.sim.Space("DOCS"); first.SpaceKey != "DOCS" || first.SpaceID != sp.ID {
		t.Errorf("row %+v", first)
	}
}

func TestDCPermissionReads(t *testing.T) {
	h := newDCHarness(t)
	// carol administers ENG through her group only.
	for _, o := range []string{"read/space", "administer/space"} {
		if _, err := h.sim.AddGrant("ENG", state.GroupPrincipal(hrGroupID), op(o)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, auth, path string
		status           int
		rows             []string // when 200
		message          string   // part of the error message otherwise
	}{
		{"user by key", dcAsTerraform, permissionsPathDC("DOCS", "user/"+aliceKey), 200,
			[]string{"user:" + aliceKey + " space/read", "user:" + aliceKey + " space/administer", "user:" + aliceKey + " space/export"}, ""},
		{"user without grants", dcAsTerraform, permissionsPathDC("DOCS", "user/"+bobKey), 200, nil, ""},
		{"group in another case", dcAsTerraform, permissionsPathDC("HR", "group/HR-Team"), 200,
			[]string{"group:hr-team space/read", "group:hr-team page/create", "group:hr-team page/delete", "group:hr-team attachment/create"}, ""},
		{"anonymous", dcAsTerraform, permissionsPathDC("DOCS", "anonymous"), 200, []string{"anonymous space/read"}, ""},
		{"space admin reads her space", dcAsAlice, permissionsPathDC("DOCS", ""), 200, nil, ""},
		{"space admin through a group", dcAsCarol, permissionsPathDC("ENG", "group/hr-team"), 200,
			[]string{"group:hr-team space/read", "group:hr-team space/administer"}, ""},
		{"personal access token", dcPAT, permissionsPathDC("HR", "anonymous"), 200, nil, ""},
		{"unknown user key", dcAsTerraform, permissionsPathDC("DOCS", "user/alice"), 404, nil, "No user found with key: alice"},
		{"unknown group", dcAsTerraform, permissionsPathDC("DOCS", "group/nobody"), 404, nil, "No group found with name: nobody"},
		{"unknown space", dcAsTerraform, permissionsPathDC("NOPE", ""), 404, nil, "No space with key : NOPE"},
		{"space the caller cannot view", dcAsBob, permissionsPathDC("HR", ""), 404, nil, "No space with key : HR"},
		// CONFSERVER-99908: a viewer who is not an admin gets 500, not 403.
		{"viewer, whole space", dcAsBob, permissionsPathDC("DOCS", ""), 500, nil, ""},
		{"viewer, anonymous", dcAsBob, permissionsPathDC("DOCS", "anonymous"), 500, nil, ""},
		{"viewer, user", dcAsBob, permissionsPathDC("DOCS", "user/"+aliceKey), 500, nil, ""},
		{"viewer, group", dcAsBob, permissionsPathDC("DOCS", "group/confluence-users"), 500, nil, ""},
		{"no credentials", "", permissionsPathDC("DOCS", ""), 401, nil, "Client must be authenticated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.get(tt.auth, tt.path).expect(t, tt.status)
			if tt.status != http.StatusOK {
				// A resource's errors are JSON; the 401 of a request
				// without credentials comes before any resource, in XML.
				msg := r.dcXMLMessage
				if tt.status != http.StatusUnauthorized {
					msg = r.dcMessage
				}
				if msg := msg(t); !strings.Contains(msg, tt.message) {
					t.Errorf("message %q does not contain %q", msg, tt.message)
				}
				return
			}
			if got := rowKeys(t, r); tt.rows != nil && !slices.Equal(got, tt.rows) {
				t.Errorf("rows %v, want %v", got, tt.rows)
			}
			if string(r.body) == "null\n" {
				t.Error("an empty read must be [], not null")
			}
		})
	}
}

// Grant and revoke take a bare array of pairs and answer 204; grant is
// additive and idempotent, revoke skips what is not held
// (contributing/confluence-api.md#rest-space-permissions), and Data Center
// enforces neither read/space first, nor the cascade, nor last admin
// (contributing/confluence-api.md#data-center-ordering-and-the-last-admin).
func TestDCGrantAndRevoke(t *testing.T) {
	bob, hrTeam := state.UserPrincipal(bobID), state.GroupPrincipal(hrGroupID)
	tests := []struct {
		name, auth, path string
		body             any
		status           int
		message          string
		space            string
		who              permissions.Principal
		holds            []string
	}{
		{name: "grant", path: "HR/permissions/user/" + bobKey + "/grant", body: pairs("space/read", "page/create"), status: 204,
			space: "HR", who: bob, holds: sorted("read/space", "create/page")},
		{name: "grant without read/space first", path: "HR/permissions/user/" + bobKey + "/grant", body: pairs("page/create"), status: 204,
			space: "HR", who: bob, holds: []string{"create/page"}},
		{name: "grant what is held", path: "HR/permissions/group/hr-team/grant", body: pairs("space/read", "page/create", "page/create"), status: 204,
			space: "HR", who: hrTeam, holds: sorted("read/space", "create/page", "delete/page", "create/attachment")},
		{name: "group name in another case", path: "HR/permissions/group/HR-TEAM/grant", body: pairs("space/delete_mail"), status: 204,
			space: "HR", who: hrTeam, holds: sorted("read/space", "create/page", "delete/page", "create/attachment", "delete_mail/space")},
		{name: "group name escaped", path: "HR/permissions/group/hr%2Dteam/grant", body: pairs("space/export"), status: 204,
			space: "HR", who: hrTeam, holds: sorted("read/space", "create/page", "delete/page", "create/attachment", "export/space")},
		{name: "every Data Center pair", path: "HR/permissions/user/" + bobKey + "/grant", status: 204,
			body: pairs("space/read", "space/administer", "space/export", "space/restrict", "space/delete_own", "space/delete_mail",
				"page/create", "page/delete", "blogpost/create", "blogpost/delete", "comment/create", "comment/delete",
				"attachment/create", "attachment/delete"),
			space: "HR", who: bob, holds: sorted(permissions.OperationNames(permissions.DataCenter)...)},
		{name: "empty list", path: "HR/permissions/user/" + bobKey + "/grant", body: pairs(), status: 204, space: "HR", who: bob},
		{name: "anonymous", path: "HR/permissions/anonymous/grant", body: pairs("space/read", "blogpost/create"), status: 204,
			space: "HR", who: permissions.AnonymousPrincipal, holds: sorted("read/space", "create/blogpost")},
		{name: "anonymous cannot administer", path: "DOCS/permissions/anonymous/grant", body: pairs("space/administer"), status: 400,
			message: "This permission can't be granted to anonymous users", space: "DOCS", who: permissions.AnonymousPrincipal, holds: []string{"read/space"}},
		{name: "Cloud-only pair", path: "HR/permissions/user/" + bobKey + "/grant", body: pairs("space/read", "page/archive"), status: 400,
			message: "(targetType=page, operationKey=archive) is not a space permission", space: "HR", who: bob},
		{name: "Cloud spelling of delete own", path: "HR/permissions/user/" + bobKey + "/grant", body: pairs("space/delete"), status: 400,
			space: "HR", who: bob},
		{name: "global permission", path: "HR/permissions/user/" + bobKey + "/grant", body: pairs("application/use"), status: 400,
			space: "HR", who: bob},
		{name: "revoke", path: "HR/permissions/group/hr-team/revoke", body: pairs("page/create", "page/delete"), status: 204,
			space: "HR", who: hrTeam, holds: sorted("read/space", "create/attachment")},
		{name: "revoke read/space does not cascade", path: "HR/permissions/group/hr-team/revoke", body: pairs("space/read"), status: 204,
			space: "HR", who: hrTeam, holds: sorted("create/page", "delete/page", "create/attachment")},
		{name: "revoke the last admin", path: "HR/permissions/user/" + carolKey + "/revoke", body: pairs("space/administer"), status: 204,
			space: "HR", who: state.UserPrincipal(carolID), holds: sorted("read/space", "restrict_content/space")},
		{name: "revoke what is not held", path: "HR/permissions/user/" + bobKey + "/revoke", body: pairs("space/read", "space/administer"), status: 204,
			space: "HR", who: bob},
		{name: "revoke administer from anonymous", path: "DOCS/permissions/anonymous/revoke", body: pairs("space/administer"), status: 204,
			space: "DOCS", who: permissions.AnonymousPrincipal, holds: []string{"read/space"}},
		{name: "revoke an invalid pair", path: "DOCS/permissions/anonymous/revoke", body: pairs("space/read", "page/archive"), status: 400,
			space: "DOCS", who: permissions.AnonymousPrincipal, holds: []string{"read/space"}},
		{name: "unknown user key", path: "HR/permissions/user/bob/grant", body: pairs("space/read"), status: 404, message: "No user found with key: bob"},
		{name: "unknown group", path: "HR/permissions/group/nobody/revoke", body: pairs("space/read"), status: 404, message: "No group found with name: nobody"},
		{name: "unknown space", path: "NOPE/permissions/anonymous/grant", body: pairs("space/read"), status: 404, message: "No space with key : NOPE"},
		{name: "caller is not a space admin", auth: dcAsAlice, path: "ENG/permissions/user/" + carolKey + "/grant", body: pairs("space/read"), status: 403,
			space: "ENG", who: state.UserPrincipal(carolID)},
		{name: "space admin may", auth: dcAsCarol, path: "HR/permissions/user/" + bobKey + "/grant", body: pairs("space/read"), status: 204,
			space: "HR", who: bob, holds: []string{"read/space"}},
		{name: "Cloud-shaped body", path: "HR/permissions/user/" + bobKey + "/grant", body: map[string]any{"operations": pairs("space/read")}, status: 400,
			space: "HR", who: bob},
		{name: "misspelt member", path: "HR/permissions/user/" + bobKey + "/grant", body: `[{"target":"space","key":"read"}]`, status: 400,
			message: "unknown field", space: "HR", who: bob},
		{name: "null body", path: "HR/permissions/user/" + bobKey + "/grant", body: "null", status: 400, space: "HR", who: bob},
		{name: "not JSON", path: "HR/permissions/user/" + bobKey + "/grant", body: "[", status: 400, space: "HR", who: bob},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newDCHarness(t)
			auth := cmp.Or(tt.auth, dcAsTerraform)
			r := h.do(auth, http.MethodPut, "/rest/api/space/"+tt.path, tt.body).expect(t, tt.status)
			switch {
			case tt.status == http.StatusNoContent && len(r.body) > 0:
				t.Errorf("a 204 with body %s", r.body)
			case tt.status >= 400:
				if msg := r.dcMessage(t); !strings.Contains(msg, tt.message) {
					t.Errorf("message %q does not contain %q", msg, tt.message)
				}
			}
			if tt.space != "" {
				if got := h.holds(tt.space, tt.who); !slices.Equal(got, tt.holds) {
					t.Errorf("%s holds %v in %s, want %v", tt.who, got, tt.space, tt.holds)
				}
			}
		})
	}
}

// Writes accept X-Atlassian-Token: no-check and do not need it
// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
func TestDCWritesIgnoreXSRFToken(t *testing.T) {
	h := newDCHarness(t)
	for _, token := range []string{"no-check", ""} {
		req, _ := http.NewRequest(http.MethodPut, h.url+permissionsPathDC("HR", "user/"+bobKey+"/grant"), strings.NewReader(`[{"targetType":"space","operationKey":"read"}]`))
		req.Header.Set("Authorization", dcAsTerraform)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("X-Atlassian-Token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("X-Atlassian-Token %q: status %d", token, resp.StatusCode)
		}
	}
}

// A wrong method on a permission path is 405 with the status body.
func TestDCWrongMethod(t *testing.T) {
	h := newDCHarness(t)
	r := h.do(dcAsTerraform, http.MethodDelete, permissionsPathDC("HR", "user/"+bobKey), nil).expect(t, http.StatusMethodNotAllowed)
	r.dcMessage(t)
	h.get(dcAsTerraform, permissionsPathDC("HR", "anonymous/grant")).expect(t, http.StatusMethodNotAllowed).dcMessage(t)
}
