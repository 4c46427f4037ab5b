package confluencesim

import (
	"net/http"
	"strings"
	"testing"
)

// A wrong method on a served path answers 405 with the v2-style list, even on
// v1 paths, and without an Allow header
// (contributing/confluence-api.md#cloud-error-bodies): GET on the v1
// permission path is the measured case
// (contributing/confluence-api.md#permission-writes-v1).
func TestWrongMethodAnswers405(t *testing.T) {
	h := newHarness(t, unchecked)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/wiki/rest/api/space/DOCS/permission"},
		{http.MethodPut, "/wiki/rest/api/space/DOCS/permission/7405569"},
		{http.MethodDelete, "/wiki/api/v2/spaces"},
		{http.MethodPost, "/wiki/api/v2/spaces/98305/permissions"},
		{http.MethodGet, "/wiki/api/v2/users-bulk"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := h.do(asTerraform, tc.method, tc.path, nil).expect(t, http.StatusMethodNotAllowed)
			e := r.v2Error(t)
			if e.Code != "METHOD_NOT_ALLOWED" || !strings.Contains(e.Title, "Request method '"+tc.method+"' is not supported") {
				t.Errorf("error %+v", e)
			}
			if a := r.header.Get("Allow"); a != "" {
				t.Errorf("Allow %q: Confluence sends none", a)
			}
		})
	}
}

func TestUnknownPathsAnswer404(t *testing.T) {
	h := newHarness(t, unchecked)
	h.get(asTerraform, "/wiki/api/v2/pages").expect(t, http.StatusNotFound).v2Error(t)
	h.get(asTerraform, "/wiki/api/v2/spaces/").expect(t, http.StatusNotFound).v2Error(t)
	h.get(asTerraform, "/wiki/rest/api/space").expect(t, http.StatusNotFound).v1Message(t) // removed from the 2026 spec (contributing/confluence-api.md#spaces-and-key-lookups)
	h.get(asTerraform, "/").expect(t, http.StatusNotFound)
}

// Under the API gateway prefix the site answers only with the prefix, and its
// links keep the site-relative /wiki form
// (contributing/confluence-api.md#cursor-paging).
func TestGatewayPrefix(t *testing.T) {
	const prefix = "/ex/confluence/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	h := newHarness(t, withOptions(Options{PathPrefix: prefix}))
	p := decode[spacePage](t, h.get("Bearer demo-oauth-token", prefix+"/wiki/api/v2/spaces?limit=1").expect(t, http.StatusOK))
	if !strings.HasPrefix(p.Links.Next, "/wiki/api/v2/spaces?cursor=") {
		t.Errorf("next %q should be site-relative", p.Links.Next)
	}
	h.get("Bearer demo-oauth-token", prefix+p.Links.Next).expect(t, http.StatusOK)
	h.do(asTerraform, http.MethodPost, prefix+"/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).expect(t, http.StatusOK)

	h.checker.Reset() // the next request leaves the spec on purpose
	h.get("Bearer demo-oauth-token", p.Links.Next).expect(t, http.StatusNotFound)
	if h.sim.RequestCount("GET "+UnmatchedRoute) != 1 {
		t.Errorf("counts %v", h.sim.RequestCounts())
	}
	h.checker.Reset()
}
