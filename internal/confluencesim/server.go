package confluencesim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Server is a simulated Confluence site. It is an http.Handler and is safe
// for concurrent use, including its Go API.
type Server struct {
	store  *state.Store
	api    flavourAPI
	router *route.Router
	prefix string

	latency atomic.Int64
	faults  faultBook
	counts  requestCounter
	// limit and limiter are Options.RateLimit (limiter nil when off),
	// throttle how the flavour answers a request it refuses.
	limit    RateLimit
	limiter  *tokenBucket
	throttle throttleFault
}

// flavourAPI is one deployment's wire format: its routes and how it renders
// the errors the server produces before a route's handler runs.
type flavourAPI interface {
	Routes() []route.Route
	Unauthorized(w http.ResponseWriter, path string)
	NotFound(w http.ResponseWriter, path string)
	MethodNotAllowed(w http.ResponseWriter, path, method string)
	// Failure renders an injected fault's status; known says whether the
	// flavour serves the path.
	Failure(w http.ResponseWriter, path string, known bool, status int)
}

// operationNamer is implemented by flavours that serve several operations
// on one route, told apart by the request body (JSON-RPC). The operation's
// name follows the template in request counts and fault routes, for example
// "POST /rpc/json-rpc/confluenceservice-v2 getSpacePermissionSets".
type operationNamer interface {
	// OperationName names the operation of a request, "" when it has none.
	OperationName(r *http.Request, m route.Match) string
	// ServesOperation reports whether the template serves the operation.
	ServesOperation(template, name string) bool
}

// flavour is what New needs to know of a flavour: the deployment whose rules
// its site keeps, and how its options configure the site and its API.
type flavour struct {
	deployment permissions.Deployment
	configure  func(Options) (state.Config, newAPI, error)
	throttle   throttleFault
}

// newAPI serves a site built with the configuration of its flavour.
type newAPI func(*state.Store) flavourAPI

var flavours = map[Flavour]flavour{
	Cloud:      {permissions.Cloud, cloudConfig, cloudThrottle},
	DataCenter: {permissions.DataCenter, dataCenterConfig, dataCenterThrottle},
}

// New builds a simulated site from a seed, which is validated against the
// flavour's operations and rules.
func New(seed Seed, opts Options) (*Server, error) {
	if opts.Flavour == "" {
		opts.Flavour = Cloud
	}
	f, ok := flavours[opts.Flavour]
	if !ok {
		return nil, fmt.Errorf("flavour %q is not simulated (available: %s, %s)", opts.Flavour, Cloud, DataCenter)
	}
	if p := opts.PathPrefix; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/")) {
		return nil, fmt.Errorf("path prefix %q must start with / and not end with / (for example /ex/confluence/CLOUD-ID or /confluence)", p)
	}
	if err := seed.ValidateFor(f.deployment); err != nil {
		return nil, err
	}
	if err := opts.RateLimit.check(); err != nil {
		return nil, err
	}
	cfg, serve, err := f.configure(opts)
	if err != nil {
		return nil, err
	}
	st := state.New(seed, cfg, time.Now())
	api := serve(st)
	s := &Server{store: st, api: api, router: route.NewRouter(api.Routes()), prefix: opts.PathPrefix, limit: opts.RateLimit, throttle: f.throttle}
	if opts.RateLimit.enabled() {
		s.limiter = newTokenBucket(opts.RateLimit)
	}
	s.SetLatency(opts.Latency)
	return s, nil
}

// ServeHTTP serves one request: wait the configured latency, route, count,
// draw a token of the rate limit, apply a pending fault, authenticate, then
// run the route's handler.
//
// UNVERIFIED (contributing/confluence-api.md#rate-limits): the record does
// not say whether requests that fail authentication or name no route draw
// from the limit; chose that every request does, as at an edge that limits
// before the application sees the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.counts.enter()()
	if !s.wait(r) {
		return
	}
	path, m := s.route(r)
	template := s.operationTemplate(r, m)
	s.counts.add(routeKey(r.Method, template))
	if s.limiter != nil {
		if ok, now, wait := s.limiter.take(); !ok {
			s.fail(w, path, m.PathKnown(), s.throttle(s.limit, now, wait))
			return
		}
	}
	fault, faulty := s.faults.take(r.Method, template)
	if faulty && !fault.AfterApply {
		s.fail(w, path, m.PathKnown(), fault)
		return
	}
	if faulty {
		// The change happens; its answer is thrown away.
		s.dispatch(httptest.NewRecorder(), r, path, m)
		s.fail(w, path, m.PathKnown(), fault)
		return
	}
	s.dispatch(w, r, path, m)
}

// operationTemplate is the template requests are counted and faulted by:
// the route's, followed by the operation's name on routes that serve several.
func (s *Server) operationTemplate(r *http.Request, m route.Match) string {
	if n, ok := s.api.(operationNamer); ok {
		if name := n.OperationName(r, m); name != "" {
			return m.Template + " " + name
		}
	}
	return m.Template
}

// servesTemplate reports whether a count key's template is served: a route
// template, or one followed by an operation of its route.
func (s *Server) servesTemplate(template string) bool {
	if s.router.HasTemplate(template) {
		return true
	}
	base, name, ok := strings.Cut(template, " ")
	n, namer := s.api.(operationNamer)
	return ok && namer && s.router.HasTemplate(base) && n.ServesOperation(base, name)
}

// route strips the gateway prefix and matches the site path.
func (s *Server) route(r *http.Request) (string, route.Match) {
	path := r.URL.EscapedPath()
	if s.prefix != "" {
		rest, ok := strings.CutPrefix(path, s.prefix)
		if !ok || !strings.HasPrefix(rest, "/") {
			return path, route.Match{Template: route.UnmatchedRoute}
		}
		path = rest
	}
	return path, s.router.Match(r.Method, path)
}

// dispatch authenticates and runs the handler. Authentication comes before
// routing errors, as on the real site, where the edge checks credentials
// before the application sees the path.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, path string, m route.Match) {
	c, ok := s.store.Authenticate(r.Header.Get("Authorization"))
	switch {
	case !ok:
		s.api.Unauthorized(w, path)
	case m.Handle != nil:
		m.Handle(&route.Exchange{W: w, R: r, Params: m.Params, Caller: c, Origin: origin(r)})
	case m.PathKnown():
		s.api.MethodNotAllowed(w, path, r.Method)
	default:
		s.api.NotFound(w, path)
	}
}

// fail answers with an injected fault; known says whether the request's
// path is one the flavour serves.
func (s *Server) fail(w http.ResponseWriter, path string, known bool, f Fault) {
	if f.Status == http.StatusTooManyRequests && !f.Drop {
		s.counts.throttled.Add(1)
	}
	if f.Drop {
		dropConnection(w)
		return
	}
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	s.api.Failure(w, path, known, f.Status)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2, wrapped writers): aborting the handler makes
	// net/http reset the stream or close the connection.
	panic(http.ErrAbortHandler)
}

func (s *Server) wait(r *http.Request) bool {
	d := time.Duration(s.latency.Load())
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// origin is scheme://host as the client addressed the simulator.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
