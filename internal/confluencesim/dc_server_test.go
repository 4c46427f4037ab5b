package confluencesim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Data Center authenticates with Basic username:password or a personal access
// token as Bearer
// (contributing/confluence-api.md#data-center-authentication-and-xsrf);
// anything else is 401 with the status body.
func TestDCAuthentication(t *testing.T) {
	h := newDCHarness(t)
	tests := []struct {
		name, auth string
		ok         bool
	}{
		{"username and password", dcAsTerraform, true},
		{"username in another case", basicAuth("Terraform", "demo-token"), true},
		{"personal access token", dcPAT, true},
		{"bearer scheme in lower case", "bearer demo-oauth-token", true},
		{"email instead of username", basicAuth("terraform@example.com", "demo-token"), false},
		{"wrong password", basicAuth("terraform", "nope"), false},
		{"another user's password", basicAuth("alice", "demo-token"), false},
		{"password as a bearer token", "Bearer demo-token", false},
		{"no header", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest := h.get(tt.auth, "/rest/api/server-information")
			_, rpc := h.rpc(tt.auth, "getSpacePermissionSets", "HR")
			if tt.ok {
				rest.expect(t, http.StatusOK)
				if rpc.Error != nil || rpc.Result == nil {
					t.Errorf("RPC %+v", rpc)
				}
				return
			}
			if msg := rest.expect(t, http.StatusUnauthorized).dcXMLMessage(t); msg != "Client must be authenticated to access this resource." {
				t.Errorf("message %q", msg)
			}
			h.do(tt.auth, http.MethodPost, datacenter.RPCPath, "{}").expect(t, http.StatusUnauthorized).dcXMLMessage(t)
		})
	}
}

// Requests are counted by route template, and JSON-RPC calls by method, so
// that benchmarks can tell a read from a write.
func TestDCRequestCounts(t *testing.T) {
	h := newDCHarness(t)
	h.get(dcAsTerraform, permissionsPathDC("HR", ""))
	h.get(dcAsTerraform, permissionsPathDC("HR", "user/"+carolKey))
	h.do(dcAsTerraform, http.MethodPut, permissionsPathDC("HR", "group/hr-team/grant"), pairs("space/export"))
	h.do(dcAsTerraform, http.MethodPost, permissionsPathDC("HR", ""), []setEntry{anonymousEntry()})
	h.rpc(dcAsTerraform, "getSpacePermissionSets", "HR")
	h.rpc(dcAsTerraform, "getSpacePermissionSets", "DOCS")
	h.rpc(dcAsTerraform, "addPermissionToSpace", "VIEWSPACE", "bob", "HR")
	h.rpc(dcAsTerraform, "noSuchMethod")
	h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath, "not json")
	h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath+"/removePermissionFromSpace", []string{"VIEWSPACE", "bob", "HR"})
	want := map[string]int{
		"GET /rest/api/space/{spaceKey}/permissions":                                 1,
		"GET /rest/api/space/{spaceKey}/permissions/user/{userKey}":                  1,
		"PUT /rest/api/space/{spaceKey}/permissions/group/{groupName}/grant":         1,
		"POST /rest/api/space/{spaceKey}/permissions":                                1,
		"POST /rpc/json-rpc/confluenceservice-v2 getSpacePermissionSets":             2,
		"POST /rpc/json-rpc/confluenceservice-v2 addPermissionToSpace":               1,
		"POST /rpc/json-rpc/confluenceservice-v2":                                    2,
		"POST /rpc/json-rpc/confluenceservice-v2/{method} removePermissionFromSpace": 1,
	}
	got := h.sim.RequestCounts()
	for key, n := range want {
		if got[key] != n {
			t.Errorf("%s: %d, want %d", key, got[key], n)
		}
	}
	if len(got) != len(want) || h.sim.TotalRequests() != 10 {
		t.Errorf("counts %v, total %d", got, h.sim.TotalRequests())
	}
	if h.holds("HR", state.UserPrincipal(bobID)) != nil {
		t.Error("the light-mode removal after the add did not happen")
	}
}

// A fault can target one JSON-RPC method or all of them; the handler still
// reads the body the count peeked at.
func TestDCFaultsOnRPCMethods(t *testing.T) {
	h := newDCHarness(t)
	if err := h.sim.InjectFault(ServerError("POST "+datacenter.RPCPath+" addPermissionToSpace", 1, http.StatusServiceUnavailable)); err != nil {
		t.Fatal(err)
	}
	h.rpcOK(dcAsTerraform, "getSpacePermissionSets", "HR") // another method is not affected
	r, _ := h.rpc(dcAsTerraform, "addPermissionToSpace", "VIEWSPACE", "bob", "HR")
	if msg := r.expect(t, http.StatusServiceUnavailable).dcXMLMessage(t); msg != "Service Unavailable" {
		t.Errorf("message %q", msg)
	}
	h.rpcOK(dcAsTerraform, "addPermissionToSpace", "VIEWSPACE", "bob", "HR")

	if err := h.sim.InjectFault(Fault{Route: "POST " + datacenter.RPCPath, Times: 2, Status: http.StatusBadGateway, AfterApply: true}); err != nil {
		t.Fatal(err)
	}
	h.rpc(dcAsTerraform, "addPermissionToSpace", "EDITSPACE", "bob", "HR")
	r, _ = h.rpc(dcAsTerraform, "getSpacePermissionSets", "HR")
	r.expect(t, http.StatusBadGateway)
	if got := h.holds("HR", state.UserPrincipal(bobID)); len(got) != 2 {
		t.Errorf("AfterApply: bob holds %v, want read/space and create/page", got)
	}
	for _, route := range []string{"POST " + datacenter.RPCPath + " noSuchMethod", "POST " + datacenter.RPCPath + "/{method} addPermissionToSpace x", "GET /rest/api/space/{spaceKey}/permission"} {
		if err := h.sim.InjectFault(ServerError(route, 1, 500)); err == nil {
			t.Errorf("fault route %q was accepted", route)
		}
	}
	if err := h.sim.InjectFault(ServerError("POST "+datacenter.RPCPath+"/{method} getSpacePermissionSets", 1, 500)); err != nil {
		t.Error(err)
	}
}

// DataCenterRateLimited answers like Data Center's rate limiter: 429 with a
// lowercase retry-after and the X-RateLimit-* headers
// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
func TestDCRateLimit(t *testing.T) {
	h := newDCHarness(t)
	route := "GET " + datacenter.PermissionsPath
	if err := h.sim.InjectFault(DataCenterRateLimitedWith(route, 2, 3, 20, 5)); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, permissionsPathDC("HR", ""), nil)
	req.Header.Set("Authorization", dcAsTerraform)
	rec := httptest.NewRecorder()
	h.sim.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d", rec.Code)
	}
	sent := rec.Header() // as written on the wire, not canonicalised
	for name, value := range map[string]string{
		"retry-after": "3", "X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0",
		"X-RateLimit-Interval-Seconds": "1", "X-RateLimit-FillRate": "5",
	} {
		if got := sent[name]; len(got) != 1 || got[0] != value {
			t.Errorf("header %s = %v, want %s", name, got, value)
		}
	}
	if _, canonical := sent["Retry-After"]; canonical {
		t.Error("Retry-After sent in canonical case too")
	}
	r := h.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "3" || !strings.Contains(r.dcMessage(t), "Too Many Requests") {
		t.Errorf("client sees %v", r.header)
	}
	h.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusOK)
}

func TestDCOptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Flavour: DataCenter, DCVersion: "nine"}, `data center version "nine"`},
		{Options{Flavour: DataCenter, DCVersion: "9"}, "MAJOR.MINOR"},
		{Options{Flavour: DataCenter, DCVersion: "9.1.2.3"}, "MAJOR.MINOR"},
		{Options{Flavour: DataCenter, PathPrefix: "confluence"}, "path prefix"},
		{Options{DCVersion: "9.2.1"}, "for the datacenter flavour only"},
		{Options{Flavour: Cloud, RemoteAPI: true}, "for the datacenter flavour only"},
	} {
		if _, err := New(DemoSeed(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.opts, err, tc.want)
		}
	}
	if DataCenter.Title() != "Confluence Data Center" {
		t.Errorf("title %q", DataCenter.Title())
	}
}
