package confluencesim

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Many clients grant, revoke, set and read one space at once through both
// Data Center APIs; every pair stays unique. Run with -race.
func TestDCConcurrentChanges(t *testing.T) {
	h := newDCHarness(t)
	const workers = 12
	var wg sync.WaitGroup
	for i := range workers {
		id := fmt.Sprintf("5e%022d", i)
		name := fmt.Sprintf("worker%d", i)
		if err := h.sim.AddUser(SeedUser{AccountID: id, DisplayName: id, Username: name}); err != nil {
			t.Fatal(err)
		}
		u, _ := h.sim.User(id)
		wg.Go(func() {
			grant := permissionsPathDC("ENG", "user/"+u.UserKey+"/grant")
			for range 3 {
				checkStatus(t, h.do(dcAsBob, http.MethodPut, grant, pairs("space/read", "page/create")), http.StatusNoContent)
			}
			checkStatus(t, h.do(dcAsBob, http.MethodPost, permissionsPathDC("ENG", ""), []setEntry{userEntry(u.UserKey, "comment/create")}), http.StatusOK)
			_, reply := h.rpc(dcAsBob, "addPermissionsToSpace", []string{"VIEWSPACE", "COMMENT"}, name, "ENG")
			if reply.Error != nil {
				t.Errorf("RPC: %+v", reply.Error)
			}
			checkStatus(t, h.get(dcAsBob, permissionsPathDC("ENG", "")), http.StatusOK)
			checkStatus(t, h.do(dcAsBob, http.MethodPut, permissionsPathDC("ENG", "user/"+u.UserKey+"/revoke"), pairs("space/read")), http.StatusNoContent)
		})
		wg.Go(func() {
			h.rpc(dcAsTerraform, "getSpacePermissionSets", "ENG")
			_ = h.sim.Snapshot()
		})
	}
	wg.Wait()
	seen := map[permissions.Grant]bool{}
	for _, g := range h.grants("ENG") {
		if seen[g.Pair()] {
			t.Errorf("%s is held twice", g.Pair())
		}
		seen[g.Pair()] = true
	}
	for i := range workers {
		if got := h.holds("ENG", state.UserPrincipal(fmt.Sprintf("5e%022d", i))); len(got) != 1 || got[0] != "create/comment" {
			t.Errorf("worker %d holds %v", i, got)
		}
	}
}
