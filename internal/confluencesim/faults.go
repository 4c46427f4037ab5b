package confluencesim

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
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
	// (reference §7).
	RetryAfter string
	// Header holds more response headers (X-RateLimit-Reset, ...).
	Header http.Header
	// Drop closes the connection without answering.
	Drop bool
	// AfterApply lets the request take effect before it fails, as when a
	// gateway times out after the backend committed: the client sees an
	// error although the grant was created or removed.
	AfterApply bool
}

// RateLimited answers 429 Too Many Requests with Retry-After (reference §7).
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
