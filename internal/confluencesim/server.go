package confluencesim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Options configure a Server.
type Options struct {
	// Flavour defaults to Cloud.
	Flavour Flavour
	// PathPrefix serves the site under a prefix, as the API gateway does
	// (https://api.atlassian.com/ex/confluence/{cloudId}/wiki/..., reference
	// §6): set "/ex/confluence/{cloudId}". Requests without it answer 404.
	// Links in bodies keep the site-relative /wiki/... form, so clients must
	// keep the prefix themselves (reference §2.1).
	PathPrefix string
	// Latency delays every request.
	Latency time.Duration
}

// Server is a simulated Confluence site. It is an http.Handler and is safe
// for concurrent use, including its Go API.
type Server struct {
	site   *site
	api    flavourAPI
	router *router
	prefix string

	latency atomic.Int64
	faults  faultBook
	counts  requestCounter
}

// flavourAPI is one deployment's wire format: its routes and how it renders
// the errors the server produces before a route's handler runs.
type flavourAPI interface {
	routes() []route
	unauthorized(w http.ResponseWriter, path string)
	notFound(w http.ResponseWriter, path string)
	methodNotAllowed(w http.ResponseWriter, path, method string)
	failure(w http.ResponseWriter, path string, status int)
}

// flavourSpec is what the core needs to know about a flavour.
type flavourSpec struct {
	deployment permissions.Deployment
	// cascadeRead: removing read/space removes the principal's other grants.
	cascadeRead bool
	newAPI      func(*site) flavourAPI
}

var flavours = map[Flavour]flavourSpec{
	Cloud: {deployment: permissions.Cloud, cascadeRead: true, newAPI: newCloudAPI},
}

// New builds a simulated site from a seed, which is validated against the
// flavour's operations.
func New(seed Seed, opts Options) (*Server, error) {
	if opts.Flavour == "" {
		opts.Flavour = Cloud
	}
	spec, ok := flavours[opts.Flavour]
	if !ok {
		return nil, fmt.Errorf("flavour %q is not simulated (available: %s)", opts.Flavour, Cloud)
	}
	if p := opts.PathPrefix; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/")) {
		return nil, fmt.Errorf("path prefix %q must start with / and not end with / (for example /ex/confluence/CLOUD-ID)", p)
	}
	if err := seed.validate(spec.deployment); err != nil {
		return nil, err
	}
	st := newSite(seed, spec.deployment, spec.cascadeRead, time.Now())
	api := spec.newAPI(st)
	s := &Server{site: st, api: api, router: newRouter(api.routes()), prefix: opts.PathPrefix}
	s.SetLatency(opts.Latency)
	return s, nil
}

// ServeHTTP serves one request: wait the configured latency, route, count,
// apply a pending fault, authenticate, then run the route's handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.counts.enter()()
	if !s.wait(r) {
		return
	}
	path, m := s.route(r)
	key := routeKey(r.Method, m.template)
	s.counts.add(key)
	fault, faulty := s.faults.take(r.Method, m.template)
	if faulty && !fault.AfterApply {
		s.fail(w, path, fault)
		return
	}
	if faulty {
		// The change happens; its answer is thrown away.
		s.dispatch(httptest.NewRecorder(), r, path, m)
		s.fail(w, path, fault)
		return
	}
	s.dispatch(w, r, path, m)
}

// route strips the gateway prefix and matches the site path.
func (s *Server) route(r *http.Request) (string, match) {
	path := r.URL.EscapedPath()
	if s.prefix != "" {
		rest, ok := strings.CutPrefix(path, s.prefix)
		if !ok || !strings.HasPrefix(rest, "/") {
			return path, match{template: UnmatchedRoute}
		}
		path = rest
	}
	return path, s.router.match(r.Method, path)
}

// dispatch authenticates and runs the handler. Authentication comes before
// routing errors, as on the real site, where the edge checks credentials
// before the application sees the path.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, path string, m match) {
	c, ok := s.site.authenticate(r.Header.Get("Authorization"))
	switch {
	case !ok:
		s.api.unauthorized(w, path)
	case m.handle != nil:
		m.handle(&exchange{w: w, r: r, params: m.params, caller: c, origin: origin(r)})
	case m.pathKnown():
		s.api.methodNotAllowed(w, path, r.Method)
	default:
		s.api.notFound(w, path)
	}
}

func (s *Server) fail(w http.ResponseWriter, path string, f Fault) {
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
	s.api.failure(w, path, f.Status)
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
