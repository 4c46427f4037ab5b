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
	// confluence/{cloudId}/wiki/...,
	// contributing/confluence-api.md#cloud-addresses-and-credentials): set
	// "/ex/confluence/{cloudId}"; links in bodies keep the site-relative
	// /wiki/... form, so clients must keep the prefix themselves
	// (contributing/confluence-api.md#cursor-paging). On Data Center it is the
	// context path, such as "/confluence"
	// (contributing/confluence-api.md#data-center-spaces-and-paging), which
	// links in bodies include.
	PathPrefix string
	// Latency delays every request.
	Latency time.Duration
	// RoleTaskDelay is how long Cloud takes to apply an accepted (202) update
	// or deletion of a space role
	// (contributing/confluence-api.md#space-roles); until then the role reads
	// as before. Zero means 100ms; negative applies at once.
	RoleTaskDelay time.Duration

	// The Cloud options below choose between plausible answers where the
	// public record is silent or contradictory; each default is the
	// recorded or documented behaviour, or the likeliest one. They are for
	// the Cloud flavour only.

	// CloudAnonymous is how the v2 permission list (GET
	// /wiki/api/v2/spaces/{id}/permissions) names anonymous access:
	// AnonymousAsRole (the default, also for "") or AnonymousAsUser. v1
	// writes name anonymous {type: user, identifier: anonymous} either way
	// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list).
	CloudAnonymous AnonymousForm
	// DistinctPermissionIDs gives the rows of the v2 permission list ids
	// other than the v1 ids (the id POST answers and DELETE takes): the v2
	// id is the v1 id plus DistinctPermissionIDOffset, so DELETE with a v2
	// id answers 404 like an unknown id. False by default: ids are equal
	// (contributing/confluence-api.md#v1-and-v2-permission-ids).
	DistinctPermissionIDs bool
	// SpaceKeysParam is how GET /wiki/api/v2/spaces reads its keys, ids and
	// labels: KeysCommaJoined (the default, also for ""), KeysRepeated or
	// KeysEither (contributing/confluence-api.md#space-keys-in-one-request).
	SpaceKeysParam KeysParsing
	// FreeEdition makes the site a Free edition one: legacy grant writes
	// (v1 POST and DELETE of a space permission) answer 403, whatever the
	// caller's rights (contributing/confluence-api.md#free-edition-sites).
	FreeEdition bool
	// RoleRowsInPermissionList adds, to the v2 permission list, a row of
	// principal type role for each legacy permission of each role assigned
	// in the space. Off by default: no recorded answer shows such rows
	// (contributing/confluence-api.md#role-assignments-in-the-permission-list).
	// Role assignments give access either way.
	RoleRowsInPermissionList bool
	// RequiredPermissions is what a role definition that lacks a permission
	// another of its permissions requires gets: RequiredAdded (the default,
	// also for "": the required permissions are added) or RequiredRefused
	// (400 naming them). The catalogue, GET /wiki/api/v2/space-permissions,
	// says which permission requires which
	// (contributing/confluence-api.md#role-permissions-beyond-the-fourteen-pairs).
	RequiredPermissions RequiredPolicy

	// DCVersion is the Data Center version, "9.2.1" by default. Below 9.1 the
	// REST permission paths answer 404 and only the remote API manages
	// permissions
	// (contributing/confluence-api.md#choosing-the-rest-api-or-the-remote-api);
	// GET /rest/api/server-information, "Since 9.1.0" in the javadoc of
	// ServerInformation, answers 404 too, and the remote API's getServerInfo
	// tells the version on every release
	// (contributing/confluence-api.md#server-information-since-91).
	DCVersion string
	// RemoteAPI switches on Data Center's legacy remote API (JSON-RPC); when
	// off, its paths answer RemoteAPIOffStatus, as with the admin toggle
	// off (contributing/confluence-api.md#remote-api-switched-off).
	RemoteAPI bool
	// WebSudo turns on secure administrator sessions: remote API calls then
	// answer 200 with an HTML page instead of JSON, all but getServerInfo
	// (contributing/confluence-api.md#websudo).
	WebSudo bool
	// RemoteAPIOffStatus is what the remote API's paths answer when
	// RemoteAPI is off: 401 (the default, also for 0) or 404; public
	// clients report both (contributing/confluence-api.md#remote-api-switched-off).
	RemoteAPIOffStatus int
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
	// failure renders an injected fault's status; known says whether the
	// flavour serves the path.
	failure(w http.ResponseWriter, path string, known bool, status int)
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
	// Cloud: read/space first
	// (contributing/confluence-api.md#permission-writes-v1), cascade and last
	// admin (contributing/confluence-api.md#removing-a-grant-v1).
	Cloud: {
		deployment: permissions.Cloud,
		rules:      ruleSet{readFirst: true, cascadeRead: true, lastAdmin: true},
		newAPI:     newCloudAPI,
	},
	// UNVERIFIED
	// (contributing/confluence-api.md#data-center-ordering-and-the-last-admin):
	// no source says Data Center refuses grants without read/space, cascades
	// on revoking it, or keeps the last admin (the docs say a Confluence admin
	// must restore lost admin access); chose to enforce none of the three, so
	// that the provider's own ordering and lock-out guard are what protect
	// Data Center users.
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
		s.fail(w, path, m.pathKnown(), fault)
		return
	}
	if faulty {
		// The change happens; its answer is thrown away.
		s.dispatch(httptest.NewRecorder(), r, path, m)
		s.fail(w, path, m.pathKnown(), fault)
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

// fail answers with an injected fault; known says whether the request's
// path is one the flavour serves.
func (s *Server) fail(w http.ResponseWriter, path string, known bool, f Fault) {
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
	s.api.failure(w, path, known, f.Status)
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
