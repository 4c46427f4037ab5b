package confluencesim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Fault makes the next Times requests matching Route fail. Rules are tried in
// the order they were injected; each matching request uses up one of the
// first rule that still has some left.
type Fault struct {
	// Route selects requests by their count key: "METHOD TEMPLATE" (for
	// example "POST /wiki/rest/api/space/{spaceKey}/permission"), "* TEMPLATE"
	// for any method, or "" for every request. On routes that serve several
	// operations (JSON-RPC) the template may name one ("POST
	// /rpc/json-rpc/confluenceservice-v2 addPermissionToSpace"); without a
	// name it selects them all.
	Route string
	// Times is how many requests fail; at least 1.
	Times int

	// Status is the answer (429, 500, 503, ...), with the flavour's error
	// envelope. Ignored when Drop is set.
	Status int
	// RetryAfter is sent verbatim as the Retry-After header when not empty:
	// seconds ("2"), or the absurd "9223372036854775807" seen in the wild
	// (contributing/confluence-api.md#rate-limits).
	RetryAfter string
	// Header holds more response headers (X-RateLimit-Reset, ...).
	Header http.Header
	// Body, when not empty, is sent as the JSON answer instead of the
	// flavour's error envelope: the answer of something in front of the
	// application, such as Cloud's API gateway.
	Body string
	// Drop closes the connection without answering.
	Drop bool
	// AfterApply lets the request take effect before it fails, as when a
	// gateway times out after the backend committed: the client sees an
	// error although the grant was created or removed.
	AfterApply bool
}

// RateLimited answers 429 Too Many Requests with Retry-After
// (contributing/confluence-api.md#rate-limits).
func RateLimited(route string, times int, retryAfter string) Fault {
	return Fault{Route: route, Times: times, Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// ServerError answers a 5xx status (500, 502, 503, 504).
func ServerError(route string, times, status int) Fault {
	return Fault{Route: route, Times: times, Status: status}
}

// DroppedConnection closes the connection without an answer.
func DroppedConnection(route string, times int) Fault {
	return Fault{Route: route, Times: times, Drop: true}
}

// Cloud's 429 answers (contributing/confluence-api.md#rate-limits): the
// rate-limiting page (https://developer.atlassian.com/cloud/confluence/rate-limiting/)
// names Retry-After and X-RateLimit-Reset, and JRACLOUD-69262 gives
// X-RateLimit-Reset in minute precision, yyyy-MM-ddTHH:mmZ, and
// RateLimit-Reason naming the limit hit (confluence-quota-global-based,
// confluence-quota-tenant-based). API-token traffic meets burst limits;
// points-based hourly quotas apply to Forge, Connect and OAuth 2.0 apps.
const rateLimitResetLayout = "2006-01-02T15:04Z"

// Reasons a Cloud 429 gives in RateLimit-Reason.
const (
	// UNVERIFIED (contributing/confluence-api.md#rate-limit-reset-times):
	// only the two quota reasons are on record, and the rate-limiting page
	// names no burst reason; chose this name, in their style.
	BurstReason        = "confluence-burst-based"
	GlobalQuotaReason  = "confluence-quota-global-based"
	TenantQuotaReason  = "confluence-quota-tenant-based"
	burstRetryAfterSec = 1
)

// resetHeader renders t as X-RateLimit-Reset: minute precision, rounded up
// so that the reset it names is never before t.
func resetHeader(t time.Time) string {
	t = t.UTC()
	if r := t.Truncate(time.Minute); r.Before(t) {
		t = r.Add(time.Minute)
	}
	return t.Format(rateLimitResetLayout)
}

// rateLimitHeaders are the headers of a Cloud 429 besides Retry-After.
func rateLimitHeaders(limit, reset, reason string) http.Header {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", limit)
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", reset)
	h.Set("RateLimit-Reason", reason)
	return h
}

// CloudBurstLimited answers 429 as Cloud's burst limit does, the one
// API-token traffic meets: Retry-After 1 second, X-RateLimit-Limit,
// X-RateLimit-Remaining 0, X-RateLimit-Reset (minute precision) and
// RateLimit-Reason confluence-burst-based.
//
// UNVERIFIED (contributing/confluence-api.md#rate-limits): Atlassian does
// not publish the burst limit; chose X-RateLimit-Limit 100 and a one second
// wait. The reset is computed when the fault is made.
func CloudBurstLimited(route string, times int) Fault {
	return cloudBurstFault(route, times, burstRetryAfterSec, 100, time.Now())
}

// cloudBurstFault is a burst limit's 429 at now: Retry-After seconds, the
// limit, and X-RateLimit-Reset at now plus the Retry-After, as JRACLOUD-69262
// computes it.
func cloudBurstFault(route string, times int, retryAfter int64, limit int, now time.Time) Fault {
	return Fault{
		Route: route, Times: times, Status: http.StatusTooManyRequests,
		RetryAfter: strconv.FormatInt(retryAfter, 10),
		Header:     rateLimitHeaders(strconv.Itoa(limit), resetHeader(now.Add(time.Duration(retryAfter)*time.Second)), BurstReason),
	}
}

// CloudQuotaExhausted answers 429 as Cloud does when an app's hourly points
// quota is used up: every request is refused until the quota resets at
// reset (the next full hour when zero). X-RateLimit-Reset names it in
// minute precision, Retry-After counts the seconds until then (from when
// the fault is made), and RateLimit-Reason is confluence-quota-global-based.
//
// UNVERIFIED (contributing/confluence-api.md#rate-limits): chose the global
// (tier 1) quota and X-RateLimit-Limit 65000, its hourly points per app
// according to Atlassian staff
// (https://community.developer.atlassian.com/t/2026-point-based-rate-limits/97828);
// use CloudQuotaExhaustedFor for the tenant quota.
func CloudQuotaExhausted(route string, times int, reset time.Time) Fault {
	return CloudQuotaExhaustedFor(route, times, reset, GlobalQuotaReason)
}

// CloudQuotaExhaustedFor is CloudQuotaExhausted with the RateLimit-Reason
// to send: GlobalQuotaReason or TenantQuotaReason.
func CloudQuotaExhaustedFor(route string, times int, reset time.Time, reason string) Fault {
	now := time.Now()
	if reset.IsZero() {
		reset = now.Truncate(time.Hour).Add(time.Hour)
	}
	wait := max(reset.Sub(now), 0)
	seconds := int64((wait + time.Second - 1) / time.Second) // rounded up
	return Fault{
		Route: route, Times: times, Status: http.StatusTooManyRequests,
		RetryAfter: strconv.FormatInt(seconds, 10),
		Header:     rateLimitHeaders("65000", resetHeader(reset), reason),
	}
}

// DataCenterRateLimited answers 429 Too Many Requests as Data Center's
// admin-enabled rate limiter does, with the headers its documentation
// lists (https://confluence.atlassian.com/conf87/_ratelimiting_httpheaders-1333822054.html,
// contributing/confluence-api.md#data-center-rate-limiting):
// X-RateLimit-Limit, X-RateLimit-Remaining 0, X-RateLimit-Interval-Seconds,
// X-RateLimit-FillRate, and retry-after in lower case, as documented.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-rate-limiting): the
// bucket is the admin's setting; chose 100 requests, refilled with 20 every
// second, and a retry-after of 1 second. DataCenterRateLimitedWith sets
// them.
func DataCenterRateLimited(route string, times int) Fault {
	return DataCenterRateLimitedWith(route, times, 1, 100, 20)
}

// DataCenterRateLimitedWith is DataCenterRateLimited with the bucket
// chosen: a lowercase retry-after header (seconds until tokens come back)
// and the X-RateLimit-* headers of an empty bucket. limit and fillRate are
// the bucket size and the tokens added per one-second interval.
//
// The headers go out with exactly this spelling; Go's HTTP client reads
// them back under their canonical names (Retry-After, X-Ratelimit-Limit).
func DataCenterRateLimitedWith(route string, times, retryAfterSeconds, limit, fillRate int) Fault {
	return Fault{
		Route:  route,
		Times:  times,
		Status: http.StatusTooManyRequests,
		Header: dataCenterRateLimitHeaders(retryAfterSeconds, limit, fillRate, 1),
	}
}

// dataCenterRateLimitHeaders are the headers of Data Center's 429, spelt as
// documented: fillRate tokens come back every interval seconds.
func dataCenterRateLimitHeaders(retryAfterSeconds, limit, fillRate, interval int) http.Header {
	return http.Header{
		"retry-after":                  {strconv.Itoa(retryAfterSeconds)},
		"X-RateLimit-Limit":            {strconv.Itoa(limit)},
		"X-RateLimit-Remaining":        {"0"},
		"X-RateLimit-Interval-Seconds": {strconv.Itoa(interval)},
		"X-RateLimit-FillRate":         {strconv.Itoa(fillRate)},
	}
}

// ScopeMismatch answers as Cloud does a scoped API token or OAuth token
// without the scope an operation needs: 401 with
// {"code":401,"message":"Unauthorized; scope does not match"}, neither of
// the application's error envelopes, and X-Failure-Category:
// FAILURE_CLIENT_SCOPE_CHECK (kovetskiy/mark issue 917,
// contributing/confluence-api.md#scoped-tokens-without-the-scope).
func ScopeMismatch(route string, times int) Fault {
	return Fault{
		Route: route, Times: times, Status: http.StatusUnauthorized,
		Header: http.Header{"X-Failure-Category": {"FAILURE_CLIENT_SCOPE_CHECK"}},
		Body:   `{"code":401,"message":"Unauthorized; scope does not match"}`,
	}
}

// faultBook holds the injected fault rules. active lets the request path
// skip the lock when no rule is pending, which is the common case.
type faultBook struct {
	mu     sync.Mutex
	active atomic.Int32
	rules  []*faultRule
}

type faultRule struct {
	Fault
	method   string // "" matches any
	template string // "" matches any
	left     int
}

// add checks and stores a rule; served reports whether a template is one
// the simulator serves.
func (b *faultBook) add(f Fault, served func(template string) bool) error {
	if f.Times < 1 {
		return fmt.Errorf("fault %q: Times must be at least 1", f.Route)
	}
	if !f.Drop && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("fault %q: Status %d is not an error status; set Status or Drop", f.Route, f.Status)
	}
	r := &faultRule{Fault: f, left: f.Times}
	if f.Route != "" {
		method, template, ok := strings.Cut(f.Route, " ")
		if !ok || method == "" || !served(template) {
			return fmt.Errorf("fault route %q is not \"METHOD TEMPLATE\" with a template the simulator serves", f.Route)
		}
		r.template = template
		if method != "*" {
			r.method = method
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rules = append(b.rules, r)
	b.active.Add(1)
	return nil
}

// take uses up one request of the first rule matching the request.
func (b *faultBook) take(method, template string) (Fault, bool) {
	if b.active.Load() == 0 {
		return Fault{}, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, r := range b.rules {
		if (r.method == "" || r.method == method) && r.selects(template) {
			r.left--
			if r.left == 0 {
				b.rules = append(b.rules[:i], b.rules[i+1:]...)
				b.active.Add(-1)
			}
			return r.Fault, true
		}
	}
	return Fault{}, false
}

// selects reports whether the rule's template selects a request's: the same,
// or the route of the request's operation.
func (r *faultRule) selects(template string) bool {
	return r.template == "" || r.template == template || strings.HasPrefix(template, r.template+" ")
}

func (b *faultBook) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rules = nil
	b.active.Store(0)
}

func (b *faultBook) pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, r := range b.rules {
		n += r.left
	}
	return n
}
