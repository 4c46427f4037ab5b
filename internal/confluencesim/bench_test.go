package confluencesim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// benchSite is the demo site, served with opts, with one space holding
// grants for n users.
func benchSite(b *testing.B, opts Options, n int) *Server {
	b.Helper()
	sim, err := New(DemoSeed(), opts)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		id := fmt.Sprintf("5f%022d", i)
		if err := sim.AddUser(SeedUser{AccountID: id, DisplayName: id}); err != nil {
			b.Fatal(err)
		}
		for _, o := range []string{"read/space", "create/page"} {
			if _, err := sim.AddGrant("ENG", state.UserPrincipal(id), op(o)); err != nil {
				b.Fatal(err)
			}
		}
	}
	return sim
}

// BenchmarkListPermissionsPage measures the simulator's cost of one page of
// the v2 permission list (no network).
func BenchmarkListPermissionsPage(b *testing.B) {
	sim := benchSite(b, Options{}, 500)
	path := "/wiki/api/v2/spaces/98306/permissions?limit=250"
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			serveOK(b, sim, asBob, http.MethodGet, path, "")
		}
	})
}

// serveOK serves one request in memory and fails unless it answers 200.
func serveOK(b *testing.B, sim *Server, auth, method, path, body string) {
	b.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", auth)
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d", rec.Code)
	}
}

// BenchmarkAddRemoveGrant measures a v1 add and delete over loopback HTTP.
func BenchmarkAddRemoveGrant(b *testing.B) {
	sim := benchSite(b, Options{}, 0)
	ts := httptest.NewServer(sim)
	defer ts.Close()
	body := `{"subject":{"type":"user","identifier":"` + aliceID + `"},"operation":{"key":"read","target":"space"}}`
	var id int64
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/wiki/rest/api/space/HR/permission", strings.NewReader(body))
		req.Header.Set("Authorization", asTerraform)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("add: %v %v", err, resp)
		}
		resp.Body.Close()
		grants, _ := sim.Grants("HR")
		id = grants[len(grants)-1].ID
		req, _ = http.NewRequest(http.MethodDelete, ts.URL+deletePath("HR", id), nil)
		req.Header.Set("Authorization", asTerraform)
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			b.Fatalf("delete: %v %v", err, resp)
		}
		resp.Body.Close()
	}
}
