package confluencesim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Many clients change and read one space at once; the rules hold and every
// grant id stays unique. Run with -race.
func TestConcurrentChanges(t *testing.T) {
	h := newHarness(t)
	const workers = 16
	initial := len(h.grants("ENG"))
	var wg sync.WaitGroup
	for i := range workers {
		id := fmt.Sprintf("5e%022d", i)
		if err := h.sim.AddUser(SeedUser{AccountID: id, DisplayName: id}); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			var read int64
			for _, o := range []string{"read/space", "create/page", "create/comment"} {
				r := h.do(asBob, http.MethodPost, "/wiki/rest/api/space/ENG/permission", permissionBody("user", id, op(o).Key, op(o).Target))
				checkStatus(t, r, http.StatusOK)
				if read == 0 {
					_ = json.Unmarshal(r.body, &struct{ ID *int64 }{&read})
				}
			}
			checkStatus(t, h.get(asBob, permissionsPath(h, "ENG")+"?limit=5"), http.StatusOK)
			checkStatus(t, h.do(asBob, http.MethodDelete, deletePath("ENG", read), nil), http.StatusNoContent) // cascades
		})
		wg.Go(func() {
			for range 5 {
				checkStatus(t, h.get(asBob, "/wiki/api/v2/spaces?keys=ENG,OPS"), http.StatusOK)
				_ = h.sim.Snapshot()
			}
		})
	}
	wg.Wait()
	grants := h.grants("ENG")
	if len(grants) != initial {
		t.Errorf("%d grants, want the %d we started with", len(grants), initial)
	}
	seen := map[int64]bool{}
	for _, g := range h.grants("DOCS") {
		seen[g.ID] = true
	}
	for _, g := range grants {
		if seen[g.ID] {
			t.Errorf("grant id %d is used twice", g.ID)
		}
		seen[g.ID] = true
	}
}

// checkStatus is expect for goroutines, which must not stop the test.
func checkStatus(t *testing.T, r response, status int) {
	if r.status != status {
		t.Errorf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// The same grant created by many clients at once exists once: one 200, the
// rest are duplicates.
func TestConcurrentDuplicates(t *testing.T) {
	h := newHarness(t)
	var ok, dup atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			r := h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space"))
			switch r.status {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusBadRequest:
				dup.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || dup.Load() != 19 {
		t.Errorf("%d created, %d duplicates", ok.Load(), dup.Load())
	}
}

// Two admins removing each other at once cannot leave the space without one.
func TestConcurrentLastAdmin(t *testing.T) {
	for range 20 {
		h := newHarness(t)
		if _, err := h.sim.AddGrant("HR", state.GroupPrincipal(hrGroupID), op("administer/space")); err != nil {
			t.Fatal(err)
		}
		ids := []int64{grantID(t, h, "HR", carolID, "administer/space"), grantID(t, h, "HR", hrGroupID, "administer/space")}
		var wg sync.WaitGroup
		var removed atomic.Int32
		for _, id := range ids {
			wg.Go(func() {
				if h.do(asTerraform, http.MethodDelete, deletePath("HR", id), nil).status == http.StatusNoContent {
					removed.Add(1)
				}
			})
		}
		wg.Wait()
		if removed.Load() != 1 {
			t.Fatalf("%d admin grants removed, want exactly 1", removed.Load())
		}
	}
}
