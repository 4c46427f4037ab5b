package confluencesim

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

const permissionsRoute = "GET /wiki/api/v2/spaces/{id}/permissions"

func TestRateLimitFault(t *testing.T) {
	h := newHarness(t)
	f := RateLimited(permissionsRoute, 2, "2")
	f.Header = http.Header{"X-Ratelimit-Reset": {"2026-03-02T10:00:00Z"}}
	if err := h.sim.InjectFault(f); err != nil {
		t.Fatal(err)
	}
	path := permissionsPath(h, "DOCS")
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusOK) // other routes are not affected
	for range 2 {
		r := h.get(asTerraform, path).expect(t, http.StatusTooManyRequests)
		if e := r.v2Error(t); e.Code != "TOO_MANY_REQUESTS" {
			t.Errorf("error %+v", e)
		}
		if r.header.Get("Retry-After") != "2" || r.header.Get("X-RateLimit-Reset") == "" {
			t.Errorf("headers %v", r.header)
		}
	}
	if h.sim.PendingFaults() != 0 {
		t.Errorf("%d faults pending", h.sim.PendingFaults())
	}
	h.get(asTerraform, path).expect(t, http.StatusOK)
}

func TestServerErrorFaultUsesThePathsEnvelope(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.InjectFault(ServerError("* /wiki/rest/api/space/{spaceKey}/permission", 1, http.StatusServiceUnavailable)); err != nil {
		t.Fatal(err)
	}
	// The absurd Retry-After seen in the wild
	// (contributing/confluence-api.md#rate-limits) goes out verbatim.
	if err := h.sim.InjectFault(Fault{Route: "GET /wiki/api/v2/spaces", Times: 1, Status: 500, RetryAfter: "9223372036854775807"}); err != nil {
		t.Fatal(err)
	}
	r := h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space"))
	if msg := r.expect(t, http.StatusServiceUnavailable).v1Message(t); msg != "Service Unavailable" {
		t.Errorf("message %q", msg)
	}
	r = h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusInternalServerError)
	if e := r.v2Error(t); e.Code != "INTERNAL_SERVER_ERROR" || r.header.Get("Retry-After") != "9223372036854775807" {
		t.Errorf("error %+v, Retry-After %q", e, r.header.Get("Retry-After"))
	}
	if got := h.operationsOf("HR", state.UserPrincipal(bobID)); len(got) != 0 {
		t.Errorf("a request failed before applying changed the site: %v", got)
	}
}

func TestDroppedConnection(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.InjectFault(DroppedConnection("", 1)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(h.url + "/wiki/api/v2/spaces")
	if err == nil {
		resp.Body.Close()
		t.Fatal("the request succeeded")
	}
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusOK)
}

// A fault after the change leaves the client unsure whether its POST worked; a
// blind retry then meets the duplicate rule
// (contributing/confluence-api.md#permission-writes-v1).
func TestFaultAfterApply(t *testing.T) {
	h := newHarness(t)
	post := ServerError("POST /wiki/rest/api/space/{spaceKey}/permission", 1, http.StatusGatewayTimeout)
	post.AfterApply = true
	if err := h.sim.InjectFault(post); err != nil {
		t.Fatal(err)
	}
	body := permissionBody("user", bobID, "read", "space")
	h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", body).expect(t, http.StatusGatewayTimeout)
	if got := h.operationsOf("HR", state.UserPrincipal(bobID)); len(got) != 1 {
		t.Fatalf("the change was not applied: %v", got)
	}
	h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", body).expect(t, http.StatusBadRequest)

	drop := DroppedConnection("DELETE /wiki/rest/api/space/{spaceKey}/permission/{id}", 1)
	drop.AfterApply = true
	if err := h.sim.InjectFault(drop); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodDelete, h.url+deletePath("HR", grantID(t, h, "HR", bobID, "read/space")), nil)
	req.Header.Set("Authorization", asTerraform)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the connection was not dropped")
	}
	if got := h.operationsOf("HR", state.UserPrincipal(bobID)); len(got) != 0 {
		t.Errorf("the removal was not applied: %v", got)
	}
}

func TestFaultRulesAreCheckedAndOrdered(t *testing.T) {
	h := newHarness(t)
	for _, bad := range []Fault{
		{Route: "GET /wiki/api/v2/spaces", Times: 0, Status: 429},
		{Route: "GET /wiki/api/v2/spaces", Times: 1, Status: 200},
		{Route: "GET /wiki/api/v2/nope", Times: 1, Status: 500},
		{Route: "/wiki/api/v2/spaces", Times: 1, Status: 500},
	} {
		if err := h.sim.InjectFault(bad); err == nil {
			t.Errorf("fault %+v was accepted", bad)
		}
	}
	_ = h.sim.InjectFault(RateLimited("GET /wiki/api/v2/spaces", 1, "1"))
	_ = h.sim.InjectFault(ServerError("", 5, 502))
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusTooManyRequests)
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusBadGateway)
	if h.sim.PendingFaults() != 4 {
		t.Errorf("%d pending, want 4", h.sim.PendingFaults())
	}
	h.sim.ClearFaults()
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusOK)
}

func TestLatency(t *testing.T) {
	h := newHarness(t, withOptions(Options{Latency: 40 * time.Millisecond}))
	start := time.Now()
	h.get(asTerraform, "/wiki/api/v2/space-role-mode").expect(t, http.StatusOK)
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("answered after %v", d)
	}
	// Latency set later applies from the next request. (Only lower bounds
	// are checked: how fast a loaded machine answers is not the point.)
	h.sim.SetLatency(60 * time.Millisecond)
	start = time.Now()
	h.get(asTerraform, "/wiki/api/v2/space-role-mode").expect(t, http.StatusOK)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("answered after %v with 60ms of latency", d)
	}
}

func TestRequestCounts(t *testing.T) {
	h := newHarness(t, unchecked)
	for range 3 {
		h.get(asTerraform, "/wiki/api/v2/spaces")
	}
	h.get(asTerraform, permissionsPath(h, "DOCS"))
	h.get(asTerraform, permissionsPath(h, "ENG"))
	h.get("", permissionsPath(h, "ENG"))                            // 401s count too
	h.get(asTerraform, "/wiki/rest/api/space/DOCS/permission")      // 405
	h.do(asTerraform, http.MethodPost, "/wiki/api/v2/nothing", nil) // 404
	_ = h.sim.InjectFault(RateLimited(permissionsRoute, 1, "1"))
	h.get(asTerraform, permissionsPath(h, "HR")) // faulted requests count too

	want := map[string]int{
		"GET /wiki/api/v2/spaces":                        3,
		permissionsRoute:                                 4,
		"GET /wiki/rest/api/space/{spaceKey}/permission": 1,
		"POST " + UnmatchedRoute:                         1,
	}
	got := h.sim.RequestCounts()
	for k, n := range want {
		if got[k] != n || h.sim.RequestCount(k) != n {
			t.Errorf("count %q = %d, want %d", k, got[k], n)
		}
	}
	if len(got) != len(want) || h.sim.TotalRequests() != 9 {
		t.Errorf("counts %v, total %d", got, h.sim.TotalRequests())
	}
	h.sim.ResetRequestCounts()
	if h.sim.TotalRequests() != 0 || len(h.sim.RequestCounts()) != 0 || h.sim.MaxInFlight() != 0 {
		t.Errorf("after reset: %v, total %d, max in flight %d", h.sim.RequestCounts(), h.sim.TotalRequests(), h.sim.MaxInFlight())
	}
}

func TestMaxInFlight(t *testing.T) {
	h := newHarness(t, withOptions(Options{Latency: 100 * time.Millisecond}))
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			resp, err := http.Get(h.url + "/wiki/api/v2/space-role-mode")
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	if n := h.sim.MaxInFlight(); n < 2 || n > 5 {
		t.Errorf("max in flight %d for 5 parallel requests", n)
	}
}
