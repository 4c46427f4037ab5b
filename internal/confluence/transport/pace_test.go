package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// The tests of the shared pace run in a synctest bubble: time there moves
// only when every goroutine waits, so "sent when the pause ended" is an
// equality of instants, not a measure of elapsed time.

// memTransport serves requests with a handler in memory: a real listener
// would keep the bubble from ever idling.
type memTransport http.HandlerFunc

func (h memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	h(rec, r)
	res := rec.Result()
	// Header names as net/http reads them off the wire (Data Center sends
	// retry-after in lower case).
	canonical := http.Header{}
	for name, values := range res.Header {
		key := http.CanonicalHeaderKey(name)
		canonical[key] = append(canonical[key], values...)
	}
	res.Header, res.Request = canonical, r
	return res, nil
}

// bubbleAPI is an API on handler, to be made inside the bubble.
func bubbleAPI(t *testing.T, handler http.HandlerFunc, configure ...func(*Config)) *API {
	t.Helper()
	cfg := Config{BaseURL: "http://127.0.0.1", HTTPClient: &http.Client{Transport: memTransport(handler)}}
	for _, f := range configure {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// arrivals records when each request reached the server.
type arrivals struct {
	mu sync.Mutex
	at []arrival
}

type arrival struct {
	path string
	at   time.Time
}

func (a *arrivals) add(r *http.Request) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at = append(a.at, arrival{r.URL.Path, time.Now()})
	return len(a.at)
}

func (a *arrivals) all() []arrival {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]arrival(nil), a.at...)
}

// wakeups is a Config.Sleep that records the instant each wait ends at,
// then waits (in the bubble's time).
type wakeups struct {
	mu   sync.Mutex
	ends []time.Time
}

func (w *wakeups) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.ends = append(w.ends, time.Now().Add(d))
	w.mu.Unlock()
	return SleepContext(ctx, d)
}

func (w *wakeups) all() []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Time(nil), w.ends...)
}

// callers runs Do for each path in its own goroutine; wait returns their
// errors.
type callers struct {
	errs chan error
	n    int
}

func (cs *callers) start(ctx context.Context, c *API, paths ...string) {
	if cs.errs == nil {
		cs.errs = make(chan error, 100)
	}
	for _, p := range paths {
		cs.n++
		go func() {
			_, err := c.Do(ctx, Request{Path: p})
			cs.errs <- err
		}()
	}
}

func (cs *callers) wait(t *testing.T) {
	t.Helper()
	for ; cs.n > 0; cs.n-- {
		if err := <-cs.errs; err != nil {
			t.Error(err)
		}
	}
}

func limitOf(c *API) int {
	c.pace.mu.Lock()
	defer c.pace.mu.Unlock()
	return c.pace.limit
}

func paths(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s/%d", prefix, i)
	}
	return out
}

// Callers that come while one request waits out a 429 wait for the same
// Retry-After, and none of them is sent before it has passed: more of them
// than the halved limit, so that some also wait for a slot.
func TestA429PausesEveryCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var got arrivals
		wake := &wakeups{}
		c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
			if got.add(r) == 1 {
				w.Header().Set("Retry-After", "7")
				writeJSON(w, http.StatusTooManyRequests, `{}`)
				return
			}
			writeJSON(w, http.StatusOK, `{}`)
		}, func(cfg *Config) { cfg.Sleep = wake.sleep })

		var cs callers
		cs.start(context.Background(), c, "/throttled")
		synctest.Wait() // it met the 429 and waits
		cs.start(context.Background(), c, paths("/other", 7)...)
		cs.wait(t)

		resume := start.Add(7 * time.Second)
		sent := got.all()
		if len(sent) != 9 || sent[0].path != "/throttled" || !sent[0].at.Equal(start) {
			t.Fatalf("requests %v, want the throttled one at the start and 8 more", sent)
		}
		for _, a := range sent[1:] {
			if !a.at.Equal(resume) {
				t.Errorf("%s sent at +%s, want +7s, when the pause ends", a.path, a.at.Sub(start))
			}
		}
		ends := wake.all()
		if len(ends) == 0 {
			t.Fatal("nobody waited")
		}
		for _, end := range ends {
			if !end.Equal(resume) {
				t.Errorf("a wait ends at +%s, want every wait to end at +7s", end.Sub(start))
			}
		}
	})
}

// A shorter Retry-After met while a longer pause is in force does not
// shorten it, and only the pause that started is logged.
func TestAPauseIsNeverShortened(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var got arrivals
		logs := &logRecorder{}
		release := map[string]chan struct{}{"/long": make(chan struct{}), "/short": make(chan struct{})}
		retryAfter := map[string]string{"/long": "30", "/short": "5"}
		var mu sync.Mutex
		answered := map[string]bool{}
		c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
			got.add(r)
			mu.Lock()
			again := answered[r.URL.Path]
			answered[r.URL.Path] = true
			mu.Unlock()
			if again || release[r.URL.Path] == nil {
				writeJSON(w, http.StatusOK, `{}`)
				return
			}
			<-release[r.URL.Path]
			w.Header().Set("Retry-After", retryAfter[r.URL.Path])
			writeJSON(w, http.StatusTooManyRequests, `{}`)
		}, func(cfg *Config) { cfg.Logger = logs })

		var cs callers
		cs.start(context.Background(), c, "/long", "/short")
		synctest.Wait() // both in flight
		close(release["/long"])
		synctest.Wait() // the 30s pause has started
		close(release["/short"])
		synctest.Wait()
		cs.start(context.Background(), c, "/later")
		cs.wait(t)

		for _, a := range got.all()[2:] {
			if !a.at.Equal(start.Add(30 * time.Second)) {
				t.Errorf("%s sent at +%s, want +30s", a.path, a.at.Sub(start))
			}
		}
		var pauses []map[string]any
		for _, l := range logs.all() {
			if _, ok := l.fields["pause_all_ms"]; ok {
				pauses = append(pauses, l.fields)
			}
		}
		if len(pauses) != 1 || pauses[0]["path"] != "/long" || pauses[0]["pause_all_ms"] != int64(30000) ||
			pauses[0]["pause_reason"] != "429 Too Many Requests" {
			t.Errorf("pauses logged: %v, want the 30s one of /long only", pauses)
		}
	})
}

// The pause lasts what the server says, in each of the forms it says it.
func TestThePauseFollowsTheServer(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header func(start time.Time) (http.Header, time.Time) // and when the pause ends
	}{
		{"X-RateLimit-Reset to the minute", 429, func(start time.Time) (http.Header, time.Time) {
			reset := start.Add(2 * time.Minute).Truncate(time.Minute)
			return http.Header{"X-Ratelimit-Reset": {reset.UTC().Format("2006-01-02T15:04Z")}}, reset
		}},
		{"X-RateLimit-Reset to the second", 429, func(start time.Time) (http.Header, time.Time) {
			return http.Header{"X-Ratelimit-Reset": {start.Add(90 * time.Second).UTC().Format(time.RFC3339)}}, start.Add(90 * time.Second)
		}},
		{"Data Center's lower-case retry-after", 429, func(start time.Time) (http.Header, time.Time) {
			return http.Header{"retry-after": {"3"}}, start.Add(3 * time.Second)
		}},
		{"503 with Retry-After", 503, func(start time.Time) (http.Header, time.Time) {
			return http.Header{"Retry-After": {"4"}}, start.Add(4 * time.Second)
		}},
		{"clamped to MaxRetryWait", 429, func(start time.Time) (http.Header, time.Time) {
			return http.Header{"Retry-After": {"9223372036854775807"}}, start.Add(5 * time.Minute)
		}},
		{"an hourly quota that resets within MaxRetryWait", 429, func(start time.Time) (http.Header, time.Time) {
			return http.Header{"Ratelimit-Reason": {"confluence-quota-global-based"}, "Retry-After": {"20"}}, start.Add(20 * time.Second)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				header, resume := tt.header(start)
				var got arrivals
				c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
					if got.add(r) == 1 {
						for k, v := range header {
							w.Header()[k] = v
						}
						writeJSON(w, tt.status, `{}`)
						return
					}
					writeJSON(w, http.StatusOK, `{}`)
				}, func(cfg *Config) { cfg.MaxRetryWait = 5 * time.Minute })
				var cs callers
				cs.start(context.Background(), c, "/first")
				synctest.Wait()
				cs.start(context.Background(), c, "/second")
				cs.wait(t)
				for _, a := range got.all()[1:] {
					if !a.at.Equal(resume) {
						t.Errorf("%s sent at +%s, want +%s", a.path, a.at.Sub(start), resume.Sub(start))
					}
				}
			})
		})
	}
}

// An hourly quota that resets beyond MaxRetryWait is still not retried, and
// pauses nobody: the next caller is sent at once and has its own answer.
func TestAnExhaustedQuotaPausesNobody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var got arrivals
		wake := &wakeups{}
		c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
			got.add(r)
			w.Header().Set("RateLimit-Reason", "confluence-quota-tenant-based")
			w.Header().Set("Retry-After", "2400")
			writeJSON(w, http.StatusTooManyRequests, `{}`)
		}, func(cfg *Config) { cfg.Sleep = wake.sleep })
		for range 2 {
			if _, err := c.Do(context.Background(), Request{Path: "/x"}); !confluence.IsQuotaExhausted(err) {
				t.Fatalf("err = %v, want a quota error", err)
			}
		}
		sent := got.all()
		if len(sent) != 2 || !sent[1].at.Equal(start) || len(wake.all()) != 0 {
			t.Errorf("requests %v, waits %v; want two requests at once and no wait", sent, wake.all())
		}
	})
}

// A caller waiting for the pause or for a slot gives up on its own context
// at once, without sending, and the others are not disturbed.
func TestAWaitingCallerGivesUpOnItsOwnContext(t *testing.T) {
	t.Run("waiting for the pause", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var got arrivals
			c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
				got.add(r)
				w.Header().Set("Retry-After", "30")
				writeJSON(w, http.StatusTooManyRequests, `{}`)
			}, func(cfg *Config) { cfg.MaxRetries = -1 }) // the pause outlives the request that met it
			if _, err := c.Do(context.Background(), Request{Path: "/throttled"}); !confluence.IsRateLimited(err) {
				t.Fatalf("err = %v", err)
			}
			start := time.Now()
			cancelWhileWaiting(t, c, Request{Method: http.MethodPost, Path: "/waiting"}, &got)

			// A deadline before the pause ends gives up at once too.
			dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer dcancel()
			if _, err := c.Do(dctx, Request{Path: "/deadline"}); !errors.Is(err, context.DeadlineExceeded) ||
				!time.Now().Equal(start) || len(got.all()) != 1 {
				t.Errorf("err = %v; want DeadlineExceeded at once and nothing sent", err)
			}
		})
	})
	t.Run("waiting for a slot", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var got arrivals
			hold := make(chan struct{})
			c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
				got.add(r)
				<-hold
				writeJSON(w, http.StatusOK, `{}`)
			}, func(cfg *Config) { cfg.MaxConcurrency = 1 })
			var cs callers
			cs.start(context.Background(), c, "/in-flight")
			synctest.Wait()
			cancelWhileWaiting(t, c, Request{Path: "/waiting"}, &got)
			close(hold)
			cs.wait(t)
		})
	})
}

// cancelWhileWaiting sends req, cancels its context once it waits, and
// wants it back at once with the context's error, the server having had one
// request only (the one that made it wait).
func cancelWhileWaiting(t *testing.T, c *API, req Request, got *arrivals) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	done := make(chan error)
	go func() {
		_, err := c.Do(ctx, req)
		done <- err
	}()
	synctest.Wait()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || !time.Now().Equal(start) || len(got.all()) != 1 {
		t.Errorf("err = %v after %s, %d requests; want context.Canceled at once and nothing sent",
			err, time.Since(start), len(got.all()))
	}
}

// The limit bounds the requests in flight, is halved by a 429 and grows back
// to the maximum, never above it.
func TestTheLimitBoundsRequestsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu               sync.Mutex
			inFlight, most   int
			hold             = make(chan struct{})
			throttleNextOnce = false
		)
		c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			throttle := throttleNextOnce
			throttleNextOnce = false
			wait := hold
			inFlight++
			most = max(most, inFlight)
			mu.Unlock()
			defer func() {
				mu.Lock()
				inFlight--
				mu.Unlock()
			}()
			if throttle {
				w.Header().Set("Retry-After", "1")
				writeJSON(w, http.StatusTooManyRequests, `{}`)
				return
			}
			<-wait
			writeJSON(w, http.StatusOK, `{}`)
		}, func(cfg *Config) { cfg.MaxConcurrency = 4 })
		peak := func() int {
			mu.Lock()
			defer mu.Unlock()
			p := most
			most = 0
			return p
		}

		var cs callers
		cs.start(context.Background(), c, paths("/full", 6)...)
		synctest.Wait()
		if p := peak(); p != 4 {
			t.Errorf("%d requests in flight, want MaxConcurrency 4", p)
		}
		close(hold)
		cs.wait(t)

		mu.Lock()
		hold = make(chan struct{})
		throttleNextOnce = true
		most = 0 // forget the drain of the first round
		mu.Unlock()
		cs.start(context.Background(), c, "/throttled")
		synctest.Wait()
		if l := limitOf(c); l != 2 {
			t.Fatalf("limit %d after a 429, want 4/2 = 2", l)
		}
		cs.start(context.Background(), c, paths("/halved", 6)...)
		time.Sleep(2 * time.Second) // past the pause
		synctest.Wait()
		if p := peak(); p != 2 {
			t.Errorf("%d requests in flight after a 429, want the halved limit 2", p)
		}
		close(hold)
		cs.wait(t)
		// 7 answers under the limit 2: 2 make it 3, 3 more make it 4.
		if l := limitOf(c); l != 4 {
			t.Errorf("limit %d after 7 answers, want it back at MaxConcurrency 4", l)
		}
	})
}

// The arithmetic of the limit, one slot at a time.
func TestTheLimitHalvesOnceForRequestsThrottledTogether(t *testing.T) {
	logs := &logRecorder{}
	p := newPace(8, SleepContext, logs)
	ctx := context.Background()
	take := func() slot {
		s, err := p.admit(ctx, new(uint64))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	answer := func(status int) {
		p.release(ctx, take(), outcome{status: status})
	}

	var together []slot
	for range 8 {
		together = append(together, take())
	}
	for _, s := range together {
		p.release(ctx, s, outcome{status: http.StatusTooManyRequests})
	}
	if p.limit != 4 {
		t.Fatalf("limit %d after 8 requests throttled together, want 8/2 = 4 (one cut)", p.limit)
	}
	answer(http.StatusTooManyRequests)
	answer(http.StatusTooManyRequests)
	answer(http.StatusTooManyRequests)
	if p.limit != 1 {
		t.Fatalf("limit %d after three more cuts, want 1, never less", p.limit)
	}
	p.release(ctx, take(), outcome{err: errors.New("connection reset")})
	answer(http.StatusBadGateway)
	if p.limit != 1 {
		t.Fatalf("limit %d after failures without an answer, want them ignored", p.limit)
	}
	for want := 2; want <= 8; want++ {
		for range want - 1 { // a window is as many answers as the limit
			answer(http.StatusOK)
		}
		if p.limit != want {
			t.Fatalf("limit %d, want %d", p.limit, want)
		}
	}
	for range 20 {
		answer(http.StatusNotFound) // an answer all the same
	}
	if p.limit != 8 || p.inFlight != 0 {
		t.Errorf("limit %d with %d in flight, want the maximum 8 and none", p.limit, p.inFlight)
	}

	first := logs.all()[0]
	if first.msg != "Confluence API concurrency limit changed" || first.fields["limit"] != 4 ||
		first.fields["previous_limit"] != 8 || first.fields["reason"] != "429 Too Many Requests" {
		t.Errorf("first limit line %+v", first)
	}
	if n := len(logs.all()); n != 3+7 {
		t.Errorf("%d limit lines, want 3 cuts and 7 increases", n)
	}
}

// With an instant fake Sleep, as tests and the probe inject, the pause is
// waited once per caller, not spun on until the real clock catches up.
func TestAPauseWithAnInstantSleep(t *testing.T) {
	n := &counter{}
	c, sleeper := testServer(t, failThen(n, 1, http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}}))
	for range 2 {
		if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil {
			t.Fatal(err)
		}
	}
	waits := sleeper.recorded()
	if len(waits) != 2 || waits[0] != 7*time.Second || waits[1] <= 0 || waits[1] > 7*time.Second {
		t.Errorf("waits = %v, want the retry's 7s and the rest of the pause for the second call", waits)
	}
	if n.get() != 3 {
		t.Errorf("%d requests, want 3", n.get())
	}
}

func TestMaxConcurrencyDefault(t *testing.T) {
	for setting, want := range map[int]int{0: DefaultMaxConcurrency, -1: DefaultMaxConcurrency, 3: 3} {
		c, err := New(Config{BaseURL: "https://x.atlassian.net", MaxConcurrency: setting})
		if err != nil {
			t.Fatal(err)
		}
		if c.pace.max != want || limitOf(c) != want {
			t.Errorf("MaxConcurrency %d: maximum %d, limit %d; want %d", setting, c.pace.max, limitOf(c), want)
		}
	}
}

// Unpaced, the benchmarks' baseline: callers that come while one request
// waits out a 429 are sent at once, and nothing bounds the requests in
// flight.
func TestUnpacedCallersAreNotHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var got arrivals
		c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
			if got.add(r) == 1 {
				w.Header().Set("Retry-After", "7")
				writeJSON(w, http.StatusTooManyRequests, `{}`)
				return
			}
			writeJSON(w, http.StatusOK, `{}`)
		}, func(cfg *Config) { cfg.Unpaced, cfg.MaxConcurrency = true, 2 })

		var cs callers
		cs.start(context.Background(), c, "/throttled")
		synctest.Wait()
		cs.start(context.Background(), c, paths("/other", 7)...)
		synctest.Wait()
		if sent := got.all(); len(sent) != 8 {
			t.Errorf("%d requests sent before the throttled one's wait ended, want all 8 others at once", len(sent))
		}
		cs.wait(t)
		if sent := got.all(); len(sent) != 9 || !sent[8].at.Equal(start.Add(7*time.Second)) {
			t.Errorf("requests %v, want the throttled one retried alone at +7s", sent)
		}
	})
}

// After a 429 requests are spaced to a little under the rate that
// succeeded before it, so that a site limited by rate is not met with a
// burst again when the pause ends; and the rate grows back.
func TestA429SetsTheSendRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got arrivals
		c := bubbleAPI(t, func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(10 * time.Millisecond)
			if got.add(r) == 21 {
				w.Header().Set("Retry-After", "1")
				writeJSON(w, http.StatusTooManyRequests, `{}`)
				return
			}
			writeJSON(w, http.StatusOK, `{}`)
		})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 25 {
					if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()

		sent := got.all()
		// The 21st request met the 429, answered 10ms later with a pause of
		// a second. Between 20 and 23 answers had succeeded by then (the
		// requests in flight with it answer at the same instant), within the
		// first second: 90% of that a second from then on.
		answered := sent[20].at.Add(10 * time.Millisecond)
		resumed := answered.Add(time.Second)
		fastest, slowest := time.Second*10/(23*9), time.Second*10/(20*9)
		first := 0
		var last time.Time
		var gap time.Duration
		for _, a := range sent[21:] {
			since := a.at.Sub(resumed)
			switch {
			case !a.at.After(answered):
				continue // sent with the throttled one, or as it was answered
			case since < 0:
				t.Errorf("a request was sent %s before the pause ended", -since)
			}
			if !last.IsZero() {
				gap = a.at.Sub(last)
			}
			if since < time.Second {
				if first++; first > 1 && (gap < fastest-time.Millisecond || gap > slowest+time.Millisecond) {
					t.Errorf("a request sent %s after the one before, want between %s and %s", gap, fastest, slowest)
				}
			}
			last = a.at
		}
		// The rate grows back: the last requests are closer together.
		if first < 18 || first > 21 || gap >= fastest {
			t.Errorf("%d requests in the first second after the pause, want 18 to 21; the last two %s apart, want less than %s", first, gap, fastest)
		}
	})
}
