package confluencesim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
)

// With the remote API off its paths answer 401 by default, or 404 with
// RemoteAPIOffStatus; REST is not affected either way.
func TestRemoteAPIOffStatus(t *testing.T) {
	call := map[string]any{"jsonrpc": "2.0", "method": "getServerInfo", "params": []any{}, "id": 1}
	for _, tc := range []struct {
		status int
		want   int
	}{{0, http.StatusUnauthorized}, {http.StatusUnauthorized, http.StatusUnauthorized}, {http.StatusNotFound, http.StatusNotFound}} {
		h := newDCHarness(t, withDCOptions(Options{RemoteAPIOffStatus: tc.status}))
		for _, path := range []string{datacenter.RPCPath, datacenter.RPCPath + "/getServerInfo"} {
			msg := h.do(dcAsTerraform, http.MethodPost, path, call).expect(t, tc.want).dcXMLMessage(t)
			if tc.want == http.StatusNotFound && msg != "null for uri: "+path || tc.want == http.StatusUnauthorized && !strings.Contains(msg, "Remote API") {
				t.Errorf("%d, %s: message %q", tc.status, path, msg)
			}
		}
		h.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusOK)
	}
}

// getServerInfo answers under secure administrator sessions, which the
// permission methods do not.
func TestGetServerInfoUnderWebSudo(t *testing.T) {
	h := newDCHarness(t, withDCOptions(Options{DCVersion: "8.5.4", RemoteAPI: true, WebSudo: true}))
	if got := decode[datacenter.RPCServerInfo](t, h.rpcOKRaw(dcAsBob, "getServerInfo")); got.MajorVersion != 8 || got.MinorVersion != 5 {
		t.Errorf("getServerInfo %+v", got)
	}
	r, _ := h.rpc(dcAsTerraform, "getSpacePermissionSets", "HR")
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("getSpacePermissionSets under WebSudo: %s", r.body)
	}
	bad := h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath, "not json").expect(t, http.StatusOK)
	if !strings.HasPrefix(bad.header.Get("Content-Type"), "text/html") {
		t.Errorf("unreadable call under WebSudo: %s", bad.body)
	}
	if _, reply := h.rpc(dcAsBob, "getServerInfo", "extra"); reply.Error == nil || reply.Error.Code != datacenter.RPCInvalidParams {
		t.Errorf("getServerInfo with a parameter: %+v", reply)
	}
}

func (h *harness) rpcOKRaw(auth, method string) response {
	h.t.Helper()
	r := h.do(auth, http.MethodPost, datacenter.RPCPath+"/"+method, "[]")
	return r.expect(h.t, http.StatusOK)
}

// Errors of the REST resources are JSON envelopes, as recorded on a real
// server; unknown paths answer Jersey's XML.
func TestDCErrorBodies(t *testing.T) {
	h := newDCHarness(t)
	r := h.get(dcAsAlice, "/rest/api/space/NOPE").expect(t, http.StatusNotFound)
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"statusCode": float64(404),
		"data":       map[string]any{"authorized": false, "valid": true, "errors": []any{}, "successful": false},
		"message":    "No space with key : NOPE",
		"reason":     "Not Found",
	}
	if got, _ := json.Marshal(body); string(got) != mustJSON(t, want) {
		t.Errorf("envelope %s, want %s", got, mustJSON(t, want))
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/rest/api/user?username=nobody", http.StatusNotFound},
		{http.MethodGet, "/rest/api/group/nobody", http.StatusNotFound},
		{http.MethodGet, "/rest/api/space?limit=x", http.StatusBadRequest},
		{http.MethodPut, permissionsPathDC("HR", "user/"+bobKey+"/grant"), http.StatusBadRequest},
		{http.MethodGet, permissionsPathDC("DOCS", ""), http.StatusInternalServerError}, // as bob, CONFSERVER-99908
		{http.MethodDelete, permissionsPathDC("HR", ""), http.StatusMethodNotAllowed},
		{http.MethodPost, "/rest/api/server-information", http.StatusMethodNotAllowed},
	} {
		h.do(dcAsBob, tc.method, tc.path, "{").expect(t, tc.status).dcMessage(t)
	}
	for _, path := range []string{"/rest/api/space/HR/permission", "/rest/api/nothing", "/nothing"} {
		if msg := h.get(dcAsBob, path).expect(t, http.StatusNotFound).dcXMLMessage(t); msg != "null for uri: "+path {
			t.Errorf("%s: message %q", path, msg)
		}
	}
	h.do(dcAsBob, http.MethodGet, datacenter.RPCPath, nil).expect(t, http.StatusMethodNotAllowed).dcXMLMessage(t)

	// Faults answer in the body of their path.
	if err := h.sim.InjectFault(ServerError("", 3, http.StatusServiceUnavailable)); err != nil {
		t.Fatal(err)
	}
	h.get(dcAsBob, "/rest/api/space/DOCS").expect(t, http.StatusServiceUnavailable).dcMessage(t)
	h.get(dcAsBob, "/rest/api/nothing").expect(t, http.StatusServiceUnavailable).dcXMLMessage(t)
	h.do(dcAsBob, http.MethodPost, datacenter.RPCPath, "{}").expect(t, http.StatusServiceUnavailable).dcXMLMessage(t)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// DataCenterRateLimited sends the headers Data Center documents, with a
// bucket of 100 refilled by 20 a second.
func TestDCRateLimitedPreset(t *testing.T) {
	h := newDCHarness(t)
	if err := h.sim.InjectFault(DataCenterRateLimited("GET "+datacenter.RESTPrefix+"/space", 1)); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/rest/api/space", nil)
	req.Header.Set("Authorization", dcAsTerraform)
	rec := httptest.NewRecorder()
	h.sim.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d", rec.Code)
	}
	for name, value := range map[string]string{
		"retry-after": "1", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0",
		"X-RateLimit-Interval-Seconds": "1", "X-RateLimit-FillRate": "20",
	} {
		if got := rec.Header()[name]; len(got) != 1 || got[0] != value {
			t.Errorf("header %s = %v, want %s", name, got, value)
		}
	}
}
