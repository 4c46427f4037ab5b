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
	// PathPrefix serves the site under a prefix; requests without it answer
	// 404. On Cloud it is the API gateway's (https://api.atlassian.com/ex/
	// confluence/{cloudId}/wiki/..., reference §6): set
	// "/ex/confluence/{cloudId}"; links in bodies keep the site-relative
	// /wiki/... form, so clients must keep the prefix themselves (reference
	// §2.1). On Data Center it is the context path, such as "/confluence"
	// (dc §1.2), which links in bodies include.
	PathPrefix string
	// Latency delays every request.
	Latency time.Duration
	// RoleTaskDelay is how long Cloud takes to apply an accepted (202)
	// update or deletion of a space role (reference §5); until then the
	// role reads as before. Zero means 100ms; negative applies at once.
	RoleTaskDelay time.Duration

	// DCVersion is the Data Center version, "9.2.1" by default. Below 9.1
	// the REST permission paths answer 404 and only the remote API manages
	// permissions (dc §0, §1.7).
	DCVersion string
	// RemoteAPI switches on Data Center's legacy remote API (JSON-RPC); when
	// off, its paths answer 401, as with the admin toggle off (dc §2.1).
	RemoteAPI bool
	// WebSudo turns on secure administrator sessions: remote API calls then
	// answer 200 with an HTML page instead of JSON (dc §2.4).
	WebSudo bool
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

// operationNamer is implemented by flavours that serve several operations
// on one route, told apart by the request body (JSON-RPC). The operation's
// name follows the template in request counts and fault routes, for example
// "POST /rpc/json-rpc/confluenceservice-v2 getSpacePermissionSets".
type operationNamer interface {
	// operationName names the operation of a request, "" when it has none.
	operationName(r *http.Request, m match) string
	// servesOperation reports whether the template serves the operation.
	servesOperation(template, name string) bool
}

// flavourSpec is what the core needs to know about a flavour.
type flavourSpec struct {
	deployment permissions.Deployment
	// rules are the permission rules that differ between flavours.
	rules  ruleSet
	newAPI func(*site, Options) (flavourAPI, error)
}

var flavours = map[Flavour]flavourSpec{
	// Cloud: reference §1.1 (read/space first), §1.3 (cascade, last admin).
	Cloud: {
		deployment: permissions.Cloud,
		rules:      ruleSet{readFirst: true, cascadeRead: true, lastAdmin: true},
		newAPI:     newCloudAPI,
	},
	// UNVERIFIED (dc §4.3, §8 q3): no source says Data Center refuses grants
	// without read/space, cascades on revoking it, or keeps the last admin
	// (the docs say a Confluence admin must restore lost admin access);
	// chose to enforce none of the three, so that the provider's own
	// ordering and lock-out guard are what protect Data Center users.
	DataCenter: {
		deployment: permissions.DataCenter,
		rules:      ruleSet{},
		newAPI:     newDataCenterAPI,
	},
}

// New builds a simulated site from a seed, which is validated against the
// flavour's operations.
func New(seed Seed, opts Options) (*Server, error) {
	if opts.Flavour == "" {
		opts.Flavour = Cloud
	}
	spec, ok := flavours[opts.Flavour]
	if !ok {
		return nil, fmt.Errorf("flavour %q is not simulated (available: %s, %s)", opts.Flavour, Cloud, DataCenter)
	}
	if p := opts.PathPrefix; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/")) {
		return nil, fmt.Errorf("path prefix %q must start with / and not end with / (for example /ex/confluence/CLOUD-ID or /confluence)", p)
	}
	if err := seed.validate(spec.deployment, spec.rules); err != nil {
		return nil, err
	}
	st := newSite(seed, spec.deployment, spec.rules, time.Now())
	api, err := spec.newAPI(st, opts)
	if err != nil {
		return nil, err
	}
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
	template := s.operationTemplate(r, m)
	s.counts.add(routeKey(r.Method, template))
	fault, faulty := s.faults.take(r.Method, template)
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

// operationTemplate is the template requests are counted and faulted by:
// the route's, followed by the operation's name on routes that serve several.
func (s *Server) operationTemplate(r *http.Request, m match) string {
	if n, ok := s.api.(operationNamer); ok {
		if name := n.operationName(r, m); name != "" {
			return m.template + " " + name
		}
	}
	return m.template
}

// servesTemplate reports whether a count key's template is served: a route
// template, or one followed by an operation of its route.
func (s *Server) servesTemplate(template string) bool {
	if s.router.hasTemplate(template) {
		return true
	}
	base, name, ok := strings.Cut(template, " ")
	n, namer := s.api.(operationNamer)
	return ok && namer && s.router.hasTemplate(base) && n.servesOperation(base, name)
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
