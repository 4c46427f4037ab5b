package datacenter

import (
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Path prefixes of the Data Center APIs, relative to the context path
// (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#the-json-rpc-remote-api).
const (
	// RESTPrefix is where the REST resources are.
	RESTPrefix = "/rest/api"
	// RPCPath is the remote API's JSON-RPC endpoint.
	RPCPath = "/rpc/json-rpc/confluenceservice-v2"
	// PermissionsPath is the template of the REST space permission resource
	// (contributing/confluence-api.md#rest-space-permissions).
	PermissionsPath = RESTPrefix + "/space/{spaceKey}/permissions"
)

// API serves Confluence Data Center: the 9.1+ REST space permission API,
// the REST reads the provider needs (server information, spaces, users,
// groups) and the legacy JSON-RPC remote API.
type API struct {
	store *state.Store
	cfg   Config
}

// Config is the release and the administrator's settings, checked by the
// caller.
type Config struct {
	Version Version
	// ContextPath is where Confluence is deployed, such as /confluence; it is
	// in every link of a body
	// (contributing/confluence-api.md#data-center-spaces-and-paging).
	ContextPath string
	// RemoteAPI: the remote API is switched on.
	RemoteAPI bool
	// WebSudo: secure administrator sessions are on.
	WebSudo bool
	// RemoteAPIOffStatus is the status of remote API calls when it is off:
	// 401 or 404.
	RemoteAPIOffStatus int
}

// New serves a site as Confluence Data Center.
func New(store *state.Store, cfg Config) *API {
	return &API{store: store, cfg: cfg}
}

// Routes lists every operation served. Before 9.1 the REST permission resource
// and server information do not exist, so their paths answer 404 like any
// unknown path (contributing/confluence-api.md#data-center-error-statuses),
// while the rest of /rest/api and the remote API still work.
func (a *API) Routes() []route.Route {
	routes := []route.Route{
		{Method: http.MethodGet, Template: RESTPrefix + "/space", Handle: a.getSpaces},
		{Method: http.MethodGet, Template: RESTPrefix + "/space/{spaceKey}", Handle: a.getSpace},
		{Method: http.MethodGet, Template: RESTPrefix + "/user", Handle: a.getUser},
		{Method: http.MethodGet, Template: RESTPrefix + "/group/{groupName}", Handle: a.getGroup},
		{Method: http.MethodPost, Template: RPCPath, Handle: a.serveRPC},
		{Method: http.MethodPost, Template: RPCPath + "/{method}", Handle: a.serveLightRPC},
	}
	if a.cfg.Version.hasRESTPermissions() {
		routes = append(routes, a.permissionRoutes()...)
	}
	if a.cfg.Version.hasServerInformation() {
		routes = append(routes, route.Route{Method: http.MethodGet, Template: RESTPrefix + "/server-information", Handle: a.getServerInformation})
	}
	return routes
}

// permissionRoutes are the eleven operations of
// contributing/confluence-api.md#rest-space-permissions: one read, grant and
// revoke per kind of subject, and the whole-space read and bulk set.
func (a *API) permissionRoutes() []route.Route {
	routes := []route.Route{
		{Method: http.MethodGet, Template: PermissionsPath, Handle: a.getAllPermissions},
		{Method: http.MethodPost, Template: PermissionsPath, Handle: a.setPermissions},
	}
	for _, s := range subjectPaths {
		routes = append(routes,
			route.Route{Method: http.MethodGet, Template: PermissionsPath + s.path, Handle: a.getSubjectPermissions(s)},
			route.Route{Method: http.MethodPut, Template: PermissionsPath + s.path + "/grant", Handle: a.grantPermissions(s)},
			route.Route{Method: http.MethodPut, Template: PermissionsPath + s.path + "/revoke", Handle: a.revokePermissions(s)},
		)
	}
	return routes
}

// base is _links.base: the site's URL with its context path
// (contributing/confluence-api.md#data-center-spaces-and-paging).
func (a *API) base(x *route.Exchange) string { return x.Origin + a.cfg.ContextPath }
