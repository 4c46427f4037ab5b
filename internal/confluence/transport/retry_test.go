package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// failThen answers the first `failures` requests with status (and header),
// then 200.
func failThen(n *counter, failures, status int, header http.Header) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if n.inc() <= failures {
			for k, v := range header {
				w.Header()[k] = v
			}
			writeJSON(w, status, `{}`)
			return
		}
		writeJSON(w, http.StatusOK, `{}`)
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	date := time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		min, max   time.Duration
	}{
		{"429 seconds", 429, "7", 7 * time.Second, 7 * time.Second},
		{"429 http date", 429, date, 18 * time.Second, 20 * time.Second},
		{"429 huge value clamped", 429, "9223372036854775807", time.Minute, time.Minute},
		{"429 beyond uint64 clamped", 429, "99999999999999999999999", time.Minute, time.Minute},
		{"503 seconds", 503, "3", 3 * time.Second, 3 * time.Second},
		{"503 without header backs off", 503, "", backoffBase / 2, backoffBase},
		{"429 zero backs off", 429, "0", backoffBase / 2, backoffBase},
		{"429 garbage backs off", 429, "soon", backoffBase / 2, backoffBase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := &counter{}
			header := http.Header{}
			if tt.retryAfter != "" {
				header.Set("Retry-After", tt.retryAfter)
			}
			c, sleeper := testServer(t, failThen(n, 1, tt.status, header))
			if _, err := c.Do(context.Background(), Request{Path: "/wiki/api/v2/spaces"}); err != nil {
				t.Fatalf("Do: %v", err)
			}
			waits := sleeper.recorded()
			if n.get() != 2 || len(waits) != 1 {
				t.Fatalf("requests = %d, waits = %v; want 2 requests and 1 wait", n.get(), waits)
			}
			if waits[0] < tt.min || waits[0] > tt.max {
				t.Errorf("wait = %s, want within [%s, %s]", waits[0], tt.min, tt.max)
			}
		})
	}
}

func TestRetryAfterFallsBackToRateLimitReset(t *testing.T) {
	n := &counter{}
	reset := time.Now().Add(10 * time.Second).UTC().Format(time.RFC3339)
	c, sleeper := testServer(t, failThen(n, 1, 429, http.Header{"X-Ratelimit-Reset": {reset}}))
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if w := sleeper.recorded(); len(w) != 1 || w[0] < 8*time.Second || w[0] > 10*time.Second {
		t.Errorf("waits = %v, want about 10s", w)
	}
}

func TestRetryAfterMinutePrecisionRateLimitReset(t *testing.T) {
	n := &counter{}
	now := time.Now().UTC()
	// The header names a minute, so the wait is until the start of that
	// minute: between one and two minutes from now.
	resetAt := now.Add(2 * time.Minute).Truncate(time.Minute)
	until := resetAt.Sub(now)
	c, sleeper := testServer(t, failThen(n, 1, 429, http.Header{"X-Ratelimit-Reset": {resetAt.Format("2006-01-02T15:04Z")}}),
		func(c *Config) { c.MaxRetryWait = 5 * time.Minute })
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if w := sleeper.recorded(); len(w) != 1 || w[0] > until || w[0] < until-10*time.Second {
		t.Errorf("waits = %v, want the minute-precision reset, %v from the start of the test", w, until)
	}
}

// An exhausted hourly quota refuses everything until it resets: one error
// that says so, not a series of clamped waits.
func TestRetryStopsWhenTheHourlyQuotaIsUsedUp(t *testing.T) {
	reset := time.Now().Add(40 * time.Minute).UTC()
	header := http.Header{
		"Ratelimit-Reason":  {"confluence-quota-tenant-based"},
		"X-Ratelimit-Reset": {reset.Format("2006-01-02T15:04Z")},
		"Retry-After":       {"2400"},
	}
	n := &counter{}
	c, sleeper := testServer(t, failThen(n, 100, 429, header))
	_, err := c.Do(context.Background(), Request{Path: "/wiki/api/v2/spaces"})
	if !confluence.IsQuotaExhausted(err) {
		t.Fatalf("err = %v, want a quota error", err)
	}
	if n.get() != 1 || len(sleeper.recorded()) != 0 {
		t.Errorf("requests = %d, waits = %v; want one request and no wait", n.get(), sleeper.recorded())
	}
	var e *confluence.Error
	errors.As(err, &e)
	if e.QuotaExhausted != "confluence-quota-tenant-based" || !e.QuotaResetsAt.Equal(reset.Truncate(time.Minute)) {
		t.Errorf("quota %q resetting at %s, want confluence-quota-tenant-based at %s", e.QuotaExhausted, e.QuotaResetsAt, reset.Truncate(time.Minute))
	}

	// A quota that resets within the longest wait is waited for, once.
	soon := http.Header{"Ratelimit-Reason": {"confluence-quota-global-based"}, "Retry-After": {"20"}}
	n = &counter{}
	c, sleeper = testServer(t, failThen(n, 1, 429, soon))
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if w := sleeper.recorded(); n.get() != 2 || len(w) != 1 || w[0] != 20*time.Second {
		t.Errorf("requests = %d, waits = %v; want one wait of 20s", n.get(), w)
	}

	// A burst limit is retried as before.
	burst := http.Header{"Ratelimit-Reason": {"confluence-burst-based"}, "Retry-After": {"2"}}
	n = &counter{}
	c, _ = testServer(t, failThen(n, 2, 429, burst))
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil || n.get() != 3 {
		t.Errorf("burst: err = %v after %d requests", err, n.get())
	}
}

func TestScopeMismatchIsKept(t *testing.T) {
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Failure-Category", "FAILURE_CLIENT_SCOPE_CHECK")
		writeJSON(w, http.StatusUnauthorized, `{"code":401,"message":"Unauthorized; scope does not match"}`)
	})
	_, err := c.Do(context.Background(), Request{Path: "/wiki/api/v2/space-role-mode"})
	if !confluence.IsScopeMismatch(err) || !confluence.IsUnauthorized(err) || !strings.Contains(err.Error(), "FAILURE_CLIENT_SCOPE_CHECK") {
		t.Errorf("err = %v", err)
	}
}

func TestRetryGivesUpAfterMaxRetries(t *testing.T) {
	n := &counter{}
	c, sleeper := testServer(t, failThen(n, 100, 429, http.Header{"Retry-After": {"9223372036854775807"}}),
		func(c *Config) { c.MaxRetries = 3; c.MaxRetryWait = 5 * time.Second })
	_, err := c.Do(context.Background(), Request{Path: "/x"})
	if !confluence.IsRateLimited(err) {
		t.Fatalf("err = %v, want a rate-limit error", err)
	}
	var apiErr *confluence.Error
	errors.As(err, &apiErr)
	if apiErr.RetryAfter != 5*time.Second {
		t.Errorf("RetryAfter = %s, want the clamped 5s", apiErr.RetryAfter)
	}
	if n.get() != 4 || len(sleeper.recorded()) != 3 {
		t.Errorf("requests = %d, waits = %d; want 1+3 and 3", n.get(), len(sleeper.recorded()))
	}
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	n := &counter{}
	c, _ := testServer(t, failThen(n, 100, 503, nil), func(c *Config) { c.MaxRetries = -1 })
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err == nil || n.get() != 1 {
		t.Errorf("err = %v after %d requests, want one failed request", err, n.get())
	}
}

func TestRetryByMethodAndStatus(t *testing.T) {
	tests := []struct {
		method     string
		idempotent bool
		status     int
		want       int // requests made when every answer fails
	}{
		{http.MethodGet, false, 500, 3},
		{http.MethodGet, false, 502, 3},
		{http.MethodGet, false, 503, 3},
		{http.MethodGet, false, 504, 3},
		{http.MethodGet, false, 501, 1},
		{http.MethodGet, false, 400, 1},
		{http.MethodGet, false, 404, 1},
		{http.MethodPut, false, 500, 3},
		{http.MethodDelete, false, 500, 3},
		{http.MethodPost, false, 429, 3},
		{http.MethodPost, false, 500, 1},
		{http.MethodPost, false, 503, 1},
		{http.MethodPost, true, 500, 3},
	}
	for _, tt := range tests {
		n := &counter{}
		c, _ := testServer(t, failThen(n, 100, tt.status, nil), func(c *Config) { c.MaxRetries = 2 })
		_, err := c.Do(context.Background(), Request{Method: tt.method, Path: "/x", Idempotent: tt.idempotent})
		var apiErr *confluence.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
			t.Errorf("%s (idempotent=%v) %d: err = %v", tt.method, tt.idempotent, tt.status, err)
		}
		if n.get() != tt.want {
			t.Errorf("%s (idempotent=%v) %d: %d requests, want %d", tt.method, tt.idempotent, tt.status, n.get(), tt.want)
		}
	}
}

// dropConnection closes the connection without answering.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

func TestConnectionDropRetriesGetButNotPost(t *testing.T) {
	n := &counter{}
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.inc() == 1 || r.Method == http.MethodPost {
			dropConnection(t, w)
			return
		}
		writeJSON(w, http.StatusOK, `{}`)
	})
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil || n.get() != 2 {
		t.Errorf("GET after a dropped connection: err = %v after %d requests, want success after 2", err, n.get())
	}

	n = &counter{}
	_, err := c.Do(context.Background(), Request{Method: http.MethodPost, Path: "/wiki/rest/api/space/A/permission", Body: struct{}{}})
	if err == nil || n.get() != 1 {
		t.Fatalf("POST after a dropped connection: err = %v after %d requests, want an error after 1", err, n.get())
	}
	if !strings.Contains(err.Error(), "POST /wiki/rest/api/space/A/permission") {
		t.Errorf("error does not name the call: %v", err)
	}
}

func TestConnectionRefusedIsRetriedThenReported(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there any more
	sleeper := &fakeSleep{}
	c, err := New(Config{BaseURL: "http://" + addr, Sleep: sleeper.sleep, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), Request{Path: "/x"})
	var netErr *net.OpError
	if !errors.As(err, &netErr) {
		t.Errorf("err = %v, want the *net.OpError in the chain", err)
	}
	if len(sleeper.recorded()) != 2 {
		t.Errorf("waits = %v, want 2 retries", sleeper.recorded())
	}
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	n := &counter{}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.inc() == 1 {
			select { // hang until the client gives up on this attempt
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		writeJSON(w, http.StatusOK, `{}`)
	}, func(c *Config) { c.Timeout = 20 * time.Millisecond })
	if _, err := c.Do(context.Background(), Request{Path: "/x"}); err != nil || n.get() != 2 {
		t.Errorf("err = %v after %d requests, want success on the second attempt", err, n.get())
	}
}

func TestCancellationDuringWait(t *testing.T) {
	n := &counter{}
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := testServer(t, failThen(n, 100, 429, http.Header{"Retry-After": {"30"}}), func(c *Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			cancel() // the user presses Ctrl-C while the client waits
			return SleepContext(ctx, d)
		}
	})
	start := time.Now()
	_, err := c.Do(ctx, Request{Path: "/x"})
	if !errors.Is(err, context.Canceled) || !confluence.IsRateLimited(err) {
		t.Errorf("err = %v, want context.Canceled wrapping the 429", err)
	}
	if n.get() != 1 || time.Since(start) > time.Second {
		t.Errorf("%d requests in %s, want 1 and no real wait", n.get(), time.Since(start))
	}
}

func TestWaitBeyondDeadlineGivesUpAtOnce(t *testing.T) {
	n := &counter{}
	c, sleeper := testServer(t, failThen(n, 100, 429, http.Header{"Retry-After": {"30"}}))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := c.Do(ctx, Request{Path: "/x"})
	if !errors.Is(err, context.DeadlineExceeded) || !confluence.IsRateLimited(err) {
		t.Errorf("err = %v, want DeadlineExceeded wrapping the 429", err)
	}
	if len(sleeper.recorded()) != 0 {
		t.Errorf("slept %v although the deadline comes first", sleeper.recorded())
	}
}

func TestCancelledContextIsNotRetried(t *testing.T) {
	n := &counter{}
	ctx, cancel := context.WithCancel(context.Background())
	c, sleeper := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		cancel()
		<-r.Context().Done()
	})
	_, err := c.Do(ctx, Request{Path: "/x"})
	if !errors.Is(err, context.Canceled) || n.get() != 1 || len(sleeper.recorded()) != 0 {
		t.Errorf("err = %v, %d requests, waits %v", err, n.get(), sleeper.recorded())
	}
}

func TestSleepContextHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := SleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("SleepContext = %v", err)
	}
	if err := SleepContext(context.Background(), time.Microsecond); err != nil {
		t.Errorf("SleepContext = %v", err)
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	c, _ := New(Config{BaseURL: "https://x.atlassian.net"})
	for retry := 1; retry <= 64; retry++ {
		ceiling := min(backoffBase<<min(retry-1, 8), backoffCap)
		for range 50 {
			d := c.backoff(retry)
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", retry, d, ceiling/2, ceiling)
			}
		}
	}
	c.jitter = func(n int64) int64 { return n - 1 }
	if got := c.backoff(2); got != 500*time.Millisecond {
		t.Errorf("backoff(2) with maximal jitter = %s, want 500ms", got)
	}
}
