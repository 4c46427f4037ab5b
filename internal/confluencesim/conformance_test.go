package confluencesim

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/openapicheck"
)

// TestConformance drives every route the simulator serves, with successes
// and refusals, through the OpenAPI checker (newHarness fails the test on
// any violation), and proves each route is an operation of Atlassian's
// documents with the same method and path.
func TestConformance(t *testing.T) {
	h := newHarness(t)
	docs, hr := h.spaceID("DOCS"), h.spaceID("HR")
	post := func(auth, key string, body any) response {
		return h.do(auth, http.MethodPost, "/wiki/rest/api/space/"+key+"/permission", body)
	}
	created := decode[cloud.V1Permission](t, post(asTerraform, "HR", permissionBody("user", bobID, "read", "space")).expect(t, 200))

	requests := []response{
		h.get(asTerraform, "/wiki/api/v2/spaces"),
		h.get(asTerraform, "/wiki/api/v2/spaces?limit=1&sort=-name&keys=DOCS,ENG&labels=docs&labels=engineering&type=global&status=current"),
		h.get(asTerraform, "/wiki/api/v2/spaces?ids="+docs+"&ids="+hr+"&include-icon=true&description-format=plain"),
		h.get(asTerraform, "/wiki/api/v2/spaces?limit=0"),
		h.get("", "/wiki/api/v2/spaces"),
		h.get(asAlice, "/wiki/api/v2/spaces/"+docs),
		h.get(asAlice, "/wiki/api/v2/spaces/"+hr),
		h.get(asAlice, "/wiki/api/v2/spaces/x"),
		h.get(asAlice, "/wiki/api/v2/spaces/"+docs+"/permissions?limit=2"),
		h.get(asAlice, "/wiki/api/v2/spaces/"+docs+"/permissions?cursor=bad*"),
		h.get(asAlice, "/wiki/api/v2/spaces/"+hr+"/permissions"),
		h.get(asAlice, "/wiki/api/v2/space-role-mode"),
		h.do(asAlice, http.MethodPost, "/wiki/api/v2/users-bulk", map[string]any{"accountIds": []string{aliceID, bobID}}),
		h.do(asAlice, http.MethodPost, "/wiki/api/v2/users-bulk", map[string]any{"accountIds": []string{}}),
		post(asTerraform, "HR", permissionBody("user", bobID, "create", "page")),
		post(asTerraform, "HR", permissionBody("user", bobID, "read", "space")),
		post(asTerraform, "HR", permissionBody("user", carolID, "administer", "page")),
		post(asAlice, "ENG", permissionBody("user", carolID, "read", "space")),
		post(asTerraform, "NOPE", permissionBody("user", carolID, "read", "space")),
		post("", "HR", permissionBody("user", carolID, "read", "space")),
		post(asTerraform, "HR", "{"),
		h.do(asTerraform, http.MethodDelete, deletePath("HR", created.ID), nil),
		h.do(asTerraform, http.MethodDelete, deletePath("HR", created.ID), nil),
		h.do(asCarol, http.MethodDelete, deletePath("HR", grantID(t, h, "HR", carolID, "administer/space")), nil),
		h.do(asAlice, http.MethodDelete, deletePath("ENG", grantID(t, h, "ENG", bobID, "read/space")), nil),
		h.get(asBob, "/wiki/rest/api/user?accountId="+carolID),
		h.get(asBob, "/wiki/rest/api/user?accountId=nobody"),
		h.get(asBob, "/wiki/rest/api/group/by-id?id="+engGroupID),
		h.get(asBob, "/wiki/rest/api/group/by-id?id=nobody"),
		h.get(asBob, "/wiki/rest/api/group/picker?query=team&limit=1&shouldReturnTotalSize=true"),
		h.get("", "/wiki/rest/api/group/picker?query=team"),
	}
	requests = append(requests, roleConformanceRequests(t, h)...)
	if err := h.sim.SetRoleMode(RolesOnly); err != nil {
		t.Fatal(err)
	}
	requests = append(requests, post(asTerraform, "HR", permissionBody("user", carolID, "export", "space")))

	statuses := map[int]bool{}
	for _, r := range requests {
		statuses[r.status] = true
	}
	for _, s := range []int{200, 201, 202, 204, 400, 401, 403, 404} {
		if !statuses[s] {
			t.Errorf("no exchange answered %d", s)
		}
	}
	coverage := h.checker.Coverage()
	for _, r := range (&cloud.API{}).Routes() {
		if coverage[r.Method+" "+r.Template] == 0 {
			t.Errorf("route %s %s is not an operation of the documents, or was not exercised", r.Method, r.Template)
		}
	}
	if n := h.checker.Exchanges(); n < len(requests) {
		t.Errorf("%d exchanges checked for %d requests", n, len(requests))
	}
}

// rewrite alters the simulator's responses, standing in for a simulator
// bug, so that the checker is seen to catch it.
func rewrite(next http.Handler, change func(status int, body []byte) (int, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		status, body := change(rec.Code, rec.Body.Bytes())
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

func corrupt(next http.Handler, from, to string) http.Handler {
	return rewrite(next, func(status int, body []byte) (int, []byte) {
		return status, bytes.ReplaceAll(body, []byte(from), []byte(to))
	})
}

func withStatus(next http.Handler, from, to int) http.Handler {
	return rewrite(next, func(status int, body []byte) (int, []byte) {
		if status == from {
			status = to
		}
		return status, body
	})
}

// TestConformanceCheckerCatchesWrongShapes proves the wiring above would
// notice a simulator that strays from the documents.
func TestConformanceCheckerCatchesWrongShapes(t *testing.T) {
	sim, err := New(DemoSeed(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	invented := http.NewServeMux()
	invented.Handle("/", sim)
	invented.HandleFunc("GET /wiki/api/v2/spaces/{id}/permission-list", func(w http.ResponseWriter, r *http.Request) {
		route.WriteJSON(w, http.StatusOK, map[string]any{"results": []any{}})
	})
	tests := []struct {
		name    string
		handler http.Handler
		method  string
		path    string
		body    string
		want    string
	}{
		{"targetType as a number", corrupt(sim, `"targetType":"space"`, `"targetType":7`), "GET", "/wiki/api/v2/spaces/98305/permissions", "", "targetType"},
		{"principal type outside the enum", corrupt(sim, `"type":"group"`, `"type":"team"`), "GET", "/wiki/api/v2/spaces/98305/permissions", "", "principal/type"},
		{"invented member", corrupt(sim, `"key":"DOCS"`, `"key":"DOCS","spaceKey":"DOCS"`), "GET", "/wiki/api/v2/spaces", "", "body.results[0].spaceKey is not declared"},
		{"v1 id as a string", corrupt(sim, `{"id":7405600`, `{"id":"7405600"`), "POST", "/wiki/rest/api/space/HR/permission",
			`{"subject":{"type":"user","identifier":"` + bobID + `"},"operation":{"key":"read","target":"space"}}`, "id"},
		{"409 for a duplicate", withStatus(sim, 400, 409), "POST", "/wiki/rest/api/space/HR/permission",
			`{"subject":{"type":"user","identifier":"` + carolID + `"},"operation":{"key":"read","target":"space"}}`, "status 409 is not declared"},
		{"wrong method", sim, "GET", "/wiki/rest/api/space/HR/permission", "", "method GET is not declared"},
		{"invented path", invented, "GET", "/wiki/api/v2/spaces/98305/permission-list", "", "path is not declared"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checker := openapicheck.NewForTest(t, openapicheck.Options{})
			ts := httptest.NewServer(checker.Middleware(tt.handler))
			defer ts.Close()
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", asTerraform)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			vs := checker.Violations()
			if len(vs) == 0 {
				t.Fatalf("no violation for %s %s", tt.method, tt.path)
			}
			t.Log(vs[0])
			if !strings.Contains(vs[0].String(), tt.want) {
				t.Errorf("violation %q does not mention %q", vs[0], tt.want)
			}
		})
	}
}
