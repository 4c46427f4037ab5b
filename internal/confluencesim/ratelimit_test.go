package confluencesim

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// useClock makes the server's rate limit keep the fake clock's time.
func useClock(t *testing.T, s *Server, start time.Time) *fakeClock {
	t.Helper()
	if s.limiter == nil {
		t.Fatal("no rate limit")
	}
	c := &fakeClock{t: start}
	s.limiter.mu.Lock()
	s.limiter.now, s.limiter.last = c.now, start
	s.limiter.mu.Unlock()
	return c
}

func TestTokenBucket(t *testing.T) {
	start := time.Date(2026, 3, 26, 15, 59, 30, 0, time.UTC)
	clock := &fakeClock{t: start}
	b := newTokenBucket(RateLimit{PerSecond: 2, Burst: 3})
	b.now, b.last = clock.now, start
	steps := []struct {
		advance time.Duration
		ok      bool
		wait    time.Duration
	}{
		{0, true, 0}, {0, true, 0}, {0, true, 0}, // the burst
		{0, false, 500 * time.Millisecond},                      // empty: a token every half second
		{0, false, 500 * time.Millisecond},                      // a refusal costs nothing
		{200 * time.Millisecond, false, 300 * time.Millisecond}, // part of a token
		{300 * time.Millisecond, true, 0},
		{time.Hour, true, 0}, {0, true, 0}, {0, true, 0}, // refilled up to the burst, no more
		{0, false, 500 * time.Millisecond},
	}
	for i, s := range steps {
		clock.advance(s.advance)
		ok, now, wait := b.take()
		if ok != s.ok || now != clock.now() || (wait-s.wait).Abs() > time.Microsecond {
			t.Errorf("step %d: take() = %v, %v, %v; want %v, %v", i, ok, now, wait, s.ok, s.wait)
		}
	}
	for wait, want := range map[time.Duration]int64{0: 1, time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 59500 * time.Millisecond: 60} {
		if got := retryAfterSeconds(wait); got != want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", wait, got, want)
		}
	}
	if got := (RateLimit{PerSecond: 2.5}).burst(); got != 3 {
		t.Errorf("default burst of 2.5/s = %d, want 3", got)
	}
	if got := (RateLimit{PerSecond: 0.2}).burst(); got != 1 {
		t.Errorf("default burst of 0.2/s = %d, want 1", got)
	}
}

// An empty bucket answers 429 in the path's envelope with Cloud's burst
// limit headers: Retry-After in whole seconds, rounded up, and
// X-RateLimit-Reset, the request's time plus the Retry-After, to the minute
// (contributing/confluence-api.md#rate-limits). Answers that pass carry no
// rate limit headers. Throttled counts the 429s.
func TestRateLimitCloud(t *testing.T) {
	h := newHarness(t, withOptions(Options{RateLimit: RateLimit{PerSecond: 0.4, Burst: 2}}))
	clock := useClock(t, h.sim, time.Date(2026, 3, 26, 15, 59, 58, 0, time.UTC))
	for range 2 {
		r := h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusOK)
		for _, name := range []string{"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit-Reason"} {
			if v := r.header.Get(name); v != "" {
				t.Errorf("a passing answer carries %s: %s", name, v)
			}
		}
	}
	r := h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusTooManyRequests)
	if e := r.v2Error(t); e.Code != "TOO_MANY_REQUESTS" {
		t.Errorf("error %+v", e)
	}
	for name, want := range map[string]string{
		"Retry-After":           "3", // 2.5 seconds until the next token
		"X-RateLimit-Limit":     "2",
		"X-RateLimit-Remaining": "0",
		"X-RateLimit-Reset":     "2026-03-26T16:01Z", // 16:00:01, rounded up to the minute
		"RateLimit-Reason":      BurstReason,
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// v1 paths answer in their own envelope; every request draws, whatever
	// its credentials.
	v1 := h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space"))
	if msg := v1.expect(t, http.StatusTooManyRequests).v1Message(t); msg != "Too Many Requests" {
		t.Errorf("v1 message %q", msg)
	}
	h.get("", "/wiki/api/v2/spaces").expect(t, http.StatusTooManyRequests)
	if got := h.operationsOf("HR", state.UserPrincipal(bobID)); got != nil {
		t.Errorf("a throttled write was applied: %v", got)
	}

	clock.advance(2500 * time.Millisecond)
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusOK)
	h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusTooManyRequests)
	if h.sim.Throttled() != 4 || h.sim.RequestCount("GET /wiki/api/v2/spaces") != 6 {
		t.Errorf("throttled %d, spaces requests %d", h.sim.Throttled(), h.sim.RequestCount("GET /wiki/api/v2/spaces"))
	}
	// The Go API does not draw from the bucket.
	if _, err := h.sim.AddGrant("HR", state.UserPrincipal(bobID), op("read/space")); err != nil {
		t.Errorf("out of band: %v", err)
	}
	h.sim.ResetRequestCounts()
	if h.sim.Throttled() != 0 {
		t.Errorf("throttled %d after the reset", h.sim.Throttled())
	}
}

// In real time: after waiting what Retry-After says, a request passes.
func TestRateLimitRetryAfterIsEnough(t *testing.T) {
	h := newHarness(t, withOptions(Options{RateLimit: RateLimit{PerSecond: 2, Burst: 1}}))
	h.get(asTerraform, "/wiki/api/v2/space-role-mode").expect(t, http.StatusOK)
	r := h.get(asTerraform, "/wiki/api/v2/space-role-mode").expect(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q, want 1", r.header.Get("Retry-After"))
	}
	time.Sleep(time.Second)
	h.get(asTerraform, "/wiki/api/v2/space-role-mode").expect(t, http.StatusOK)
}

// Concurrent requests never get more than the burst through at once: of
// many requests sent together to a bucket that refills slowly, exactly the
// burst pass.
func TestRateLimitIsSafeForConcurrentRequests(t *testing.T) {
	sim, ts := Start(t, DemoSeed(), Options{RateLimit: RateLimit{PerSecond: 0.01, Burst: 5}})
	var passed, throttled atomic.Int64
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/wiki/api/v2/space-role-mode", nil)
			req.Header.Set("Authorization", asTerraform)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusOK:
				passed.Add(1)
			case http.StatusTooManyRequests:
				throttled.Add(1)
			}
		})
	}
	wg.Wait()
	if passed.Load() != 5 || throttled.Load() != 35 || sim.Throttled() != 35 {
		t.Errorf("passed %d, throttled %d (counted %d)", passed.Load(), throttled.Load(), sim.Throttled())
	}
}

// Data Center's limiter answers with a lowercase retry-after and the
// documented X-RateLimit-* headers, the rate in whole tokens per whole
// seconds (contributing/confluence-api.md#data-center-rate-limiting).
func TestRateLimitDataCenter(t *testing.T) {
	for _, tc := range []struct {
		limit              RateLimit
		retry, fill, every string
	}{
		{RateLimit{PerSecond: 0.5, Burst: 1}, "2", "1", "2"},
		{RateLimit{PerSecond: 4}, "1", "4", "1"},
	} {
		h := newDCHarness(t, withDCOptions(Options{RemoteAPI: true, RateLimit: tc.limit}))
		useClock(t, h.sim, time.Now())
		burst := tc.limit.burst()
		for range burst {
			h.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusOK)
		}
		req := httptest.NewRequest(http.MethodGet, permissionsPathDC("HR", ""), nil)
		req.Header.Set("Authorization", dcAsTerraform)
		rec := httptest.NewRecorder()
		h.sim.ServeHTTP(rec, req)
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("%+v: status %d", tc.limit, rec.Code)
		}
		sent := rec.Header() // as written on the wire
		for name, value := range map[string]string{
			"retry-after": tc.retry, "X-RateLimit-Limit": strconv.Itoa(burst), "X-RateLimit-Remaining": "0",
			"X-RateLimit-Interval-Seconds": tc.every, "X-RateLimit-FillRate": tc.fill,
		} {
			if got := sent[name]; len(got) != 1 || got[0] != value {
				t.Errorf("%+v: header %s = %v, want %s", tc.limit, name, got, value)
			}
		}
		// The remote API draws from the same bucket.
		r := h.do(dcAsTerraform, http.MethodPost, datacenter.RPCPath, `{"jsonrpc":"2.0","method":"getServerInfo","params":[],"id":1}`)
		if r.status != http.StatusTooManyRequests || h.sim.RequestCount("POST "+datacenter.RPCPath+" getServerInfo") != 1 {
			t.Errorf("%+v: remote API answered %d, counted %v", tc.limit, r.status, h.sim.RequestCounts())
		}
		if r := h.get(dcAsTerraform, permissionsPathDC("HR", "")).expect(t, http.StatusTooManyRequests); !strings.Contains(r.dcMessage(t), "Too Many Requests") {
			t.Errorf("%+v: body %s", tc.limit, r.body)
		}
	}
}

func TestRateLimitOptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{RateLimit: RateLimit{PerSecond: -1}}, "option RateLimit.PerSecond -1"},
		{Options{RateLimit: RateLimit{PerSecond: 1, Burst: -1}}, "option RateLimit.Burst -1 is negative"},
		{Options{RateLimit: RateLimit{Burst: 3}}, "option RateLimit.Burst 3 needs RateLimit.PerSecond"},
		{Options{Flavour: DataCenter, DCVersion: "7.4.18", RateLimit: RateLimit{PerSecond: 1}}, "Data Center 7.4.18 has no rate limiting"},
	} {
		if _, err := New(DemoSeed(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.opts, err, tc.want)
		}
	}
	for _, opts := range []Options{
		{RateLimit: RateLimit{PerSecond: 50, Burst: 10}},
		{Flavour: DataCenter, DCVersion: "7.5.0", RateLimit: RateLimit{PerSecond: 0.5}},
	} {
		if _, err := New(DemoSeed(), opts); err != nil {
			t.Errorf("%+v: %v", opts, err)
		}
	}
}
