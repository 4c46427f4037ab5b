package route

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The Router's comment says why it is not http.ServeMux. This test pins
// each fact it gives, against the same paths the Router answers in
// router_test.go, so that the comment cannot go stale: if a Go release
// changes one of them, the choice is worth making again.
func TestServeMuxDiffersFromTheRouter(t *testing.T) {
	mux := http.NewServeMux()
	for _, p := range []string{
		"PUT /rest/api/space/{spaceKey}/permissions/group/{groupName}/grant",
		"GET /wiki/api/v2/spaces",
		"GET /a/{x}",
		"GET /a/b",
	} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Pattern", r.Pattern)
			w.Header().Set("Group", r.PathValue("groupName"))
		})
	}
	serve := func(method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec
	}

	// What it would keep: the encoded slash and literal precedence.
	r := serve(http.MethodPut, "/rest/api/space/HR/permissions/group/team%2Fplatform/grant")
	if r.Header().Get("Group") != "team/platform" {
		t.Errorf("encoded slash: group %q, pattern %q", r.Header().Get("Group"), r.Header().Get("Pattern"))
	}
	if p := serve(http.MethodGet, "/a/b").Header().Get("Pattern"); p != "GET /a/b" {
		t.Errorf("literal precedence: pattern %q", p)
	}

	// What it would change.
	if p := serve(http.MethodGet, "/wiki/api/v2/spac%65s").Header().Get("Pattern"); p != "GET /wiki/api/v2/spaces" {
		t.Errorf("an escaped literal: pattern %q; the Router answers it as unmatched", p)
	}
	for _, path := range []string{"//wiki/api/v2/spaces", "/a/./b"} {
		if r := serve(http.MethodGet, path); r.Code < 300 || r.Code > 399 || r.Header().Get("Location") == "" {
			t.Errorf("%s: status %d; the Router answers it as unmatched", path, r.Code)
		}
	}
	if p := serve(http.MethodHead, "/wiki/api/v2/spaces").Header().Get("Pattern"); p != "GET /wiki/api/v2/spaces" {
		t.Errorf("HEAD: pattern %q; the Router finds no HEAD handler", p)
	}
	if r := serve(http.MethodPost, "/wiki/api/v2/spaces"); r.Code != http.StatusMethodNotAllowed || r.Header().Get("Allow") == "" {
		t.Errorf("wrong method: status %d, Allow %q; the Router leaves the answer to the flavour", r.Code, r.Header().Get("Allow"))
	}
}
