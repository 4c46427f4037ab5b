package confluencesim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// dcBenchSite is the demo site on Data Center with one space holding grants
// for n users.
func dcBenchSite(b *testing.B, n int) *Server {
	b.Helper()
	sim, err := New(DemoSeed(), Options{Flavour: DataCenter, RemoteAPI: true})
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

// BenchmarkDCReads measures the simulator's cost of reading a space's 1000
// grants through the REST API and the remote API (no network).
func BenchmarkDCReads(b *testing.B) {
	sim := dcBenchSite(b, 500)
	for _, bc := range []struct{ name, method, path, body string }{
		{"REST", http.MethodGet, permissionsPathDC("ENG", ""), ""},
		{"JSON-RPC", http.MethodPost, datacenter.RPCPath, `{"jsonrpc":"2.0","method":"getSpacePermissionSets","params":["ENG"],"id":1}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(bc.method, bc.path, strings.NewReader(bc.body))
				req.Header.Set("Authorization", dcAsBob)
				rec := httptest.NewRecorder()
				sim.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
