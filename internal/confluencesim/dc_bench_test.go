package confluencesim

import (
	"net/http"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
)

// BenchmarkDCReads measures the simulator's cost of reading a space's 1000
// grants through the REST API and the remote API (no network).
func BenchmarkDCReads(b *testing.B) {
	sim := benchSite(b, Options{Flavour: DataCenter, RemoteAPI: true}, 500)
	for _, bc := range []struct{ name, method, path, body string }{
		{"REST", http.MethodGet, permissionsPathDC("ENG", ""), ""},
		{"JSON-RPC", http.MethodPost, datacenter.RPCPath, `{"jsonrpc":"2.0","method":"getSpacePermissionSets","params":["ENG"],"id":1}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serveOK(b, sim, dcAsBob, bc.method, bc.path, bc.body)
			}
		})
	}
}
