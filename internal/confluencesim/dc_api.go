package confluencesim

import (
	"fmt"
	"net/http"
)

// Path prefixes of the Data Center APIs, relative to the context path
// (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#the-json-rpc-remote-api).
const (
	dcREST = "/rest/api"
	dcRPC  = "/rpc/json-rpc/confluenceservice-v2"
	// dcPermissions is the REST space permission resource
	// (contributing/confluence-api.md#rest-space-permissions).
	dcPermissions = dcREST + "/space/{spaceKey}/permissions"
)

// dcAPI serves Confluence Data Center: the 9.1+ REST space permission API,
// the REST reads the provider needs (server information, spaces, users,
// groups) and the legacy JSON-RPC remote API.
type dcAPI struct {
	site    *site
	version dcVersion
	// contextPath is where Confluence is deployed, such as /confluence; it is
	// in every link of a body
	// (contributing/confluence-api.md#data-center-spaces-and-paging).
	contextPath string
	remoteAPI   bool
	webSudo     bool
	// remoteAPIOff is the status of remote API calls when it is off.
	remoteAPIOff int
}

func newDataCenterAPI(s *site, opts Options) (flavourAPI, error) {
	if usesCloudOptions(opts) {
		return nil, fmt.Errorf("options CloudAnonymous, DistinctPermissionIDs, SpaceKeysParam, FreeEdition, RoleRowsInPermissionList and RequiredPermissions are for the %s flavour only", Cloud)
	}
	v, err := parseDCVersion(orDefault(opts.DCVersion, defaultDCVersion))
	if err != nil {
		return nil, fmt.Errorf("option DCVersion: %w", err)
	}
	off, err := remoteAPIOffStatus(opts)
	if err != nil {
		return nil, err
	}
	return &dcAPI{site: s, version: v, contextPath: opts.PathPrefix, remoteAPI: opts.RemoteAPI, webSudo: opts.WebSudo, remoteAPIOff: off}, nil
}

// routes lists every operation served. Before 9.1 the REST permission resource
// and server information do not exist, so their paths answer 404 like any
// unknown path (contributing/confluence-api.md#data-center-error-statuses),
// while the rest of /rest/api and the remote API still work.
func (a *dcAPI) routes() []route {
	routes := []route{
		{http.MethodGet, dcREST + "/space", a.getSpaces},
		{http.MethodGet, dcREST + "/space/{spaceKey}", a.getSpace},
		{http.MethodGet, dcREST + "/user", a.getUser},
		{http.MethodGet, dcREST + "/group/{groupName}", a.getGroup},
		{http.MethodPost, dcRPC, a.serveRPC},
		{http.MethodPost, dcRPC + "/{method}", a.serveLightRPC},
	}
	if a.version.hasRESTPermissions() {
		routes = append(routes, a.permissionRoutes()...)
	}
	if a.version.hasServerInformation() {
		routes = append(routes, route{http.MethodGet, dcREST + "/server-information", a.getServerInformation})
	}
	return routes
}

// permissionRoutes are the eleven operations of
// contributing/confluence-api.md#rest-space-permissions: one read, grant and
// revoke per kind of subject, and the whole-space read and bulk set.
func (a *dcAPI) permissionRoutes() []route {
	routes := []route{
		{http.MethodGet, dcPermissions, a.getAllPermissions},
		{http.MethodPost, dcPermissions, a.setPermissions},
	}
	for _, s := range dcSubjectPaths {
		routes = append(routes,
			route{http.MethodGet, dcPermissions + s.path, a.getSubjectPermissions(s)},
			route{http.MethodPut, dcPermissions + s.path + "/grant", a.grantPermissions(s)},
			route{http.MethodPut, dcPermissions + s.path + "/revoke", a.revokePermissions(s)},
		)
	}
	return routes
}

// base is _links.base: the site's URL with its context path
// (contributing/confluence-api.md#data-center-spaces-and-paging).
func (a *dcAPI) base(x *exchange) string { return x.origin + a.contextPath }
