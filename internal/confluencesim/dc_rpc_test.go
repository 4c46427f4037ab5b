package confluencesim

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

type permissionSets = []datacenter.RPCPermissionSet

// holders renders one set's rows as user:NAME, group:NAME or anonymous.
func holders(sets permissionSets, typ string) []string {
	var out []string
	for _, set := range sets {
		if set.Type != typ {
			continue
		}
		for _, p := range set.SpacePermissions {
			switch {
			case p.Type != typ:
				out = append(out, "row of type "+p.Type)
			case p.UserName != nil:
				out = append(out, "user:"+*p.UserName)
			case p.GroupName != nil:
				out = append(out, "group:"+*p.GroupName)
			default:
				out = append(out, "anonymous")
			}
		}
	}
	return out
}

// getSpacePermissionSets answers one set per type with usernames and group
// names, anonymous as both null, and legacy EXPORTPAGE rows
// (contributing/confluence-api.md#the-json-rpc-remote-api).
func TestRPCGetSpacePermissionSets(t *testing.T) {
	h := newDCHarness(t)
	var sets permissionSets
	if err := json.Unmarshal(h.rpcOK(dcAsTerraform, "getSpacePermissionSets", "DOCS"), &sets); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, s := range sets {
		types = append(types, s.Type)
	}
	want := []string{"VIEWSPACE", "SETSPACEPERMISSIONS", "EXPORTSPACE", "SETPAGEPERMISSIONS", "REMOVEOWNCONTENT", "EDITSPACE", "REMOVEPAGE",
		"EDITBLOG", "REMOVEBLOG", "COMMENT", "REMOVECOMMENT", "CREATEATTACHMENT", "REMOVEATTACHMENT", "REMOVEMAIL", "EXPORTPAGE"}
	if !slices.Equal(types, want) {
		t.Errorf("types %v", types)
	}
	for typ, who := range map[string][]string{
		"VIEWSPACE":           {"user:alice", "group:confluence-users", "anonymous"},
		"EXPORTPAGE":          {"user:alice", "group:confluence-users", "anonymous"},
		"SETSPACEPERMISSIONS": {"user:alice"},
		"EDITSPACE":           {"group:confluence-users"},
		"REMOVEMAIL":          nil,
	} {
		if got := holders(sets, typ); !slices.Equal(got, who) {
			t.Errorf("%s held by %v, want %v", typ, got, who)
		}
	}
	r, _ := h.rpc(dcAsTerraform, "getSpacePermissionSets", "DOCS")
	if !strings.Contains(string(r.body), `{"type":"VIEWSPACE","userName":null,"groupName":null}`) {
		t.Errorf("anonymous must have both names null: %s", r.body)
	}
	if !strings.Contains(string(r.body), `{"type":"REMOVEMAIL","spacePermissions":[]}`) {
		t.Errorf("empty sets must be [] : %s", r.body)
	}
}

// The permission methods take the permission first and the space last
// (contributing/confluence-api.md#the-json-rpc-remote-api), answer true, and
// follow Data Center's rules.
func TestRPCPermissionMethods(t *testing.T) {
	bob, engineering, carol := state.UserPrincipal(bobID), state.GroupPrincipal(engGroupID), state.UserPrincipal(carolID)
	anonymous := permissions.AnonymousPrincipal
	tests := []struct {
		name   string
		auth   string
		method string
		params []any
		// on success
		space string
		who   permissions.Principal
		holds []string
		// on failure
		code      int
		message   string
		exception string
	}{
		{name: "add without read first", method: "addPermissionToSpace", params: []any{"EDITSPACE", "bob", "HR"},
			space: "HR", who: bob, holds: []string{"create/page"}},
		{name: "add what is held", method: "addPermissionToSpace", params: []any{"VIEWSPACE", "carol", "HR"},
			space: "HR", who: carol, holds: sorted("read/space", "administer/space", "restrict_content/space")},
		{name: "add several to a group in another case", method: "addPermissionsToSpace", params: []any{[]string{"VIEWSPACE", "COMMENT", "REMOVEMAIL"}, "ENGINEERING", "HR"},
			space: "HR", who: engineering, holds: sorted("read/space", "create/comment", "delete_mail/space")},
		{name: "username in another case", method: "addPermissionToSpace", params: []any{"VIEWSPACE", "Bob", "HR"},
			space: "HR", who: bob, holds: []string{"read/space"}},
		{name: "remove VIEWSPACE does not cascade", method: "removePermissionFromSpace", params: []any{"VIEWSPACE", "carol", "HR"},
			space: "HR", who: carol, holds: sorted("administer/space", "restrict_content/space")},
		{name: "remove the last admin", method: "removePermissionFromSpace", params: []any{"SETSPACEPERMISSIONS", "carol", "HR"},
			space: "HR", who: carol, holds: sorted("read/space", "restrict_content/space")},
		{name: "remove what is not held", method: "removePermissionFromSpace", params: []any{"EDITSPACE", "bob", "HR"},
			space: "HR", who: bob},
		{name: "anonymous add", method: "addAnonymousPermissionToSpace", params: []any{"VIEWSPACE", "HR"},
			space: "HR", who: anonymous, holds: []string{"read/space"}},
		{name: "anonymous add several", method: "addAnonymousPermissionsToSpace", params: []any{[]string{"VIEWSPACE", "EDITBLOG"}, "HR"},
			space: "HR", who: anonymous, holds: sorted("read/space", "create/blogpost")},
		{name: "anonymous remove", method: "removeAnonymousPermissionFromSpace", params: []any{"VIEWSPACE", "DOCS"},
			space: "DOCS", who: anonymous},
		{name: "space admin may", auth: dcAsCarol, method: "addPermissionToSpace", params: []any{"VIEWSPACE", "bob", "HR"},
			space: "HR", who: bob, holds: []string{"read/space"}},
		{name: "PAT", auth: dcPAT, method: "addPermissionToSpace", params: []any{"VIEWSPACE", "bob", "HR"},
			space: "HR", who: bob, holds: []string{"read/space"}},

		{name: "anonymous admin", method: "addAnonymousPermissionsToSpace", params: []any{[]string{"VIEWSPACE", "SETSPACEPERMISSIONS"}, "DOCS"},
			code: datacenter.RPCRemoteException, message: "This permission can't be granted to anonymous users", exception: datacenter.RemoteException,
			space: "DOCS", who: anonymous, holds: []string{"read/space"}},
		{name: "unknown type", method: "addPermissionToSpace", params: []any{"VIEW", "bob", "HR"},
			code: datacenter.RPCRemoteException, message: "VIEW is not a space permission type", exception: datacenter.RemoteException, space: "HR", who: bob},
		{name: "global type", method: "addPermissionToSpace", params: []any{"CREATESPACE", "bob", "HR"},
			code: datacenter.RPCRemoteException, message: "CREATESPACE", exception: datacenter.RemoteException, space: "HR", who: bob},
		{name: "legacy EXPORTPAGE", method: "addPermissionsToSpace", params: []any{[]string{"VIEWSPACE", "EXPORTPAGE"}, "bob", "HR"},
			code: datacenter.RPCRemoteException, message: "EXPORTPAGE", exception: datacenter.RemoteException, space: "HR", who: bob},
		{name: "user key instead of username", method: "addPermissionToSpace", params: []any{"VIEWSPACE", bobKey, "HR"},
			code: datacenter.RPCRemoteException, message: "No user or group with the name: " + bobKey, exception: datacenter.RemoteException},
		{name: "unknown space", method: "addAnonymousPermissionToSpace", params: []any{"VIEWSPACE", "NOPE"},
			code: datacenter.RPCRemoteException, message: "No space with key : NOPE", exception: datacenter.RemoteException},
		{name: "not a space admin", auth: dcAsAlice, method: "removePermissionFromSpace", params: []any{"VIEWSPACE", "bob", "ENG"},
			code: datacenter.RPCRemoteException, exception: datacenter.NotPermittedException, space: "ENG", who: bob, holds: sorted("read/space", "administer/space")},
		{name: "not a space admin reading", auth: dcAsBob, method: "getSpacePermissionSets", params: []any{"DOCS"},
			code: datacenter.RPCRemoteException, exception: datacenter.NotPermittedException},
		{name: "space and permission swapped", method: "addPermissionToSpace", params: []any{"HR", "bob", "VIEWSPACE"},
			code: datacenter.RPCRemoteException, message: "No space with key : VIEWSPACE"},
		{name: "too few params", method: "addPermissionToSpace", params: []any{"VIEWSPACE", "HR"},
			code: datacenter.RPCInvalidParams, message: "expected 3 parameters, got 2"},
		{name: "token argument", method: "addAnonymousPermissionToSpace", params: []any{"token", "VIEWSPACE", "HR"},
			code: datacenter.RPCInvalidParams, message: "expected 2 parameters, got 3"},
		{name: "a string for an array", method: "addPermissionsToSpace", params: []any{"VIEWSPACE", "bob", "HR"},
			code: datacenter.RPCInvalidParams, message: "parameter 1"},
		{name: "unknown method", method: "getSpaces", params: []any{},
			code: datacenter.RPCMethodNotFound, message: "getSpaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newDCHarness(t)
			r, reply := h.rpc(cmp.Or(tt.auth, dcAsTerraform), tt.method, tt.params...)
			r.expect(t, http.StatusOK)
			if reply.JSONRPC != "2.0" || string(reply.ID) != "1" {
				t.Errorf("envelope %s", r.body)
			}
			switch {
			case tt.code == 0 && (reply.Error != nil || string(reply.Result) != "true"):
				t.Errorf("want result true, got %s", r.body)
			case tt.code != 0:
				e := reply.Error
				if e == nil || e.Code != tt.code || !strings.Contains(e.Message, tt.message) || reply.Result != nil {
					t.Fatalf("want error %d %q, got %s", tt.code, tt.message, r.body)
				}
				if tt.exception != "" && (e.Data == nil || e.Data.Exception != tt.exception) {
					t.Errorf("want exception %s in %s", tt.exception, r.body)
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

// Envelope errors follow JSON-RPC 2.0: the id is echoed when it was read,
// null otherwise.
func TestRPCEnvelopeErrors(t *testing.T) {
	h := newDCHarness(t)
	tests := []struct {
		name, body string
		code       int
		id         string
	}{
		{"not JSON", `{"jsonrpc":`, datacenter.RPCParseError, "null"},
		{"an array", `[1,2]`, datacenter.RPCParseError, "null"},
		{"JSON-RPC 1.0", `{"method":"getSpacePermissionSets","params":["HR"],"id":3}`, datacenter.RPCInvalidRequest, "3"},
		{"no method", `{"jsonrpc":"2.0","params":["HR"],"id":"a"}`, datacenter.RPCInvalidRequest, `"a"`},
		{"named params", `{"jsonrpc":"2.0","method":"getSpacePermissionSets","params":{"spaceKey":"HR"},"id":4}`, datacenter.RPCInvalidParams, "4"},
		{"no params", `{"jsonrpc":"2.0","method":"getSpacePermissionSets","id":5}`, datacenter.RPCInvalidParams, "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath, tt.body).expect(t, http.StatusOK)
			reply := decode[rpcReply](t, r)
			if reply.Error == nil || reply.Error.Code != tt.code || string(reply.ID) != tt.id || reply.Error.Message == "" {
				t.Errorf("reply %s", r.body)
			}
		})
	}
	r := h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath, `{"jsonrpc":"2.0","method":"getSpacePermissionSets","params":["HR"],"id":"req-9"}`)
	if reply := decode[rpcReply](t, r.expect(t, http.StatusOK)); string(reply.ID) != `"req-9"` || reply.Error != nil {
		t.Errorf("reply %s", r.body)
	}
}

// Light mode takes the method from the path and the bare params array, and
// answers the bare result (contributing/confluence-api.md#the-json-rpc-remote-api).
func TestRPCLightMode(t *testing.T) {
	h := newDCHarness(t)
	r := h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath+"/addPermissionToSpace", []string{"VIEWSPACE", "bob", "HR"}).expect(t, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != "true" {
		t.Errorf("body %s", r.body)
	}
	if got := h.holds("HR", state.UserPrincipal(bobID)); !slices.Equal(got, []string{"read/space"}) {
		t.Errorf("bob holds %v", got)
	}
	sets := decode[permissionSets](t, h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath+"/getSpacePermissionSets", []string{"HR"}))
	if got := holders(sets, "VIEWSPACE"); !slices.Equal(got, []string{"user:carol", "group:hr-team", "user:bob"}) {
		t.Errorf("VIEWSPACE %v", got)
	}
	for path, code := range map[string]int{
		datacenter.RPCPath + "/addAnonymousPermissionToSpace": datacenter.RPCRemoteException,
		datacenter.RPCPath + "/nope":                          datacenter.RPCMethodNotFound,
	} {
		reply := decode[rpcReply](t, h.do(dcAsTerraform, http.MethodPost, path, []string{"SETSPACEPERMISSIONS", "HR"}).expect(t, http.StatusOK))
		if reply.Error == nil || reply.Error.Code != code || string(reply.ID) != "null" {
			t.Errorf("%s: %+v", path, reply)
		}
	}
}

// Switched off, the remote API answers 401 while REST still works
// (contributing/confluence-api.md#remote-api-switched-off); with secure
// administrator sessions it answers 200 with an HTML page and changes nothing
// (contributing/confluence-api.md#websudo).
func TestRPCUnavailable(t *testing.T) {
	off := newDCHarness(t, withDCOptions(Options{RemoteAPI: false}))
	for _, path := range []string{datacenter.RPCPath, datacenter.RPCPath + "/getSpacePermissionSets"} {
		msg := off.do(dcAsTerraform, http.MethodPost, path, map[string]any{"jsonrpc": "2.0", "method": "getSpacePermissionSets", "params": []string{"HR"}, "id": 1}).
			expect(t, http.StatusUnauthorized).dcXMLMessage(t)
		if !strings.Contains(msg, "Remote API") {
			t.Errorf("message %q", msg)
		}
	}
	off.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusOK)

	sudo := newDCHarness(t, withDCOptions(Options{RemoteAPI: true, WebSudo: true}))
	r := sudo.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath, map[string]any{"jsonrpc": "2.0", "method": "addPermissionToSpace", "params": []string{"VIEWSPACE", "bob", "HR"}, "id": 1}).
		expect(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || json.Valid(r.body) || !strings.Contains(string(r.body), "<html") {
		t.Errorf("content type %q, body %s", ct, r.body)
	}
	if got := sudo.holds("HR", state.UserPrincipal(bobID)); got != nil {
		t.Errorf("a WebSudo page changed the site: bob holds %v", got)
	}
	sudo.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusOK) // REST is not WebSudo-gated (contributing/confluence-api.md#websudo)
}

// Before 9.1 the REST permission resource does not exist: its paths answer 404
// like any unknown path, the rest of /rest/api works, and the remote API is
// how permissions are managed
// (contributing/confluence-api.md#choosing-the-rest-api-or-the-remote-api,
// contributing/confluence-api.md#data-center-error-statuses).
func TestDCBefore91(t *testing.T) {
	h := newDCHarness(t, withDCOptions(Options{DCVersion: "8.5.4", RemoteAPI: true}))
	for _, req := range []struct{ method, path string }{
		{http.MethodGet, permissionsPathDC("HR", "")},
		{http.MethodPost, permissionsPathDC("HR", "")},
		{http.MethodGet, permissionsPathDC("HR", "anonymous")},
		{http.MethodPut, permissionsPathDC("HR", "user/"+bobKey+"/grant")},
		{http.MethodPut, permissionsPathDC("HR", "group/engineering/revoke")},
	} {
		msg := h.do(dcAsTerraform, req.method, req.path, "[]").expect(t, http.StatusNotFound).dcXMLMessage(t)
		if !strings.HasPrefix(msg, "null for uri: ") {
			t.Errorf("%s %s: message %q", req.method, req.path, msg)
		}
	}
	h.get(dcAsTerraform, "/rest/api/space/HR").expect(t, http.StatusOK)
	h.get(dcAsTerraform, "/rest/api/user?username=bob").expect(t, http.StatusOK)
	h.get(dcAsTerraform, "/rest/api/group/engineering").expect(t, http.StatusOK)
	h.rpcOK(dcAsTerraform, "addPermissionToSpace", "VIEWSPACE", "bob", "HR")
	if n := h.sim.RequestCount("GET " + UnmatchedRoute); n != 2 {
		t.Errorf("%d unmatched GETs, want 2", n)
	}
	if err := h.sim.InjectFault(ServerError("GET "+datacenter.PermissionsPath, 1, 500)); err == nil {
		t.Error("a fault on a route 8.5 does not serve was accepted")
	}

	for _, v := range []string{"9.1.0", "9.1", "10.1.2"} {
		on := newDCHarness(t, withDCOptions(Options{DCVersion: v}))
		on.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusOK)
	}
	for _, v := range []string{"9.0.3", "7.19.20"} {
		off := newDCHarness(t, withDCOptions(Options{DCVersion: v}))
		off.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusNotFound)
	}
}
