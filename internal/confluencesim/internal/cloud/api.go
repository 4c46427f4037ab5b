package cloud

import (
	"net/http"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Path prefixes of the two Cloud REST APIs (reference, "Base URLs").
const (
	v1Prefix = "/wiki/rest/api"
	v2Prefix = "/wiki/api/v2"
)

// API serves Confluence Cloud: v2 for reads (spaces, permission
// assignments, users, role mode) and space roles, v1 for permission writes,
// users and groups.
type API struct {
	store *state.Store
	cfg   Config
}

// Config holds the answers chosen where the public record is silent or
// contradictory, checked and defaulted by the caller.
type Config struct {
	// Anonymous is how the v2 permission list names anonymous access.
	Anonymous AnonymousForm
	// Keys is how GET /spaces reads its array parameters.
	Keys KeysParsing
	// View numbers and fills the rows of the v2 permission list.
	View state.ListView
	// RoleTaskDelay is how long accepted role changes, and the transition
	// tool's tasks, take to apply (state.ApplyNow for at once).
	RoleTaskDelay time.Duration
	// GrantRefusalStatus is the status of a role assignment refused
	// because the caller does not hold a permission of the role: 404 or
	// 403.
	GrantRefusalStatus int
}

// New serves a site as Confluence Cloud.
func New(store *state.Store, cfg Config) *API {
	return &API{store: store, cfg: cfg}
}

// Routes lists every operation served, with its OpenAPI path. Nothing else
// answers: a wrong method on a listed path is 405, any other path 404.
func (a *API) Routes() []route.Route {
	return append([]route.Route{
		{Method: http.MethodGet, Template: v2Prefix + "/spaces", Handle: a.getSpaces},
		{Method: http.MethodGet, Template: v2Prefix + "/spaces/{id}", Handle: a.getSpace},
		{Method: http.MethodGet, Template: v2Prefix + "/spaces/{id}/permissions", Handle: a.getSpacePermissions},
		{Method: http.MethodGet, Template: v2Prefix + "/space-role-mode", Handle: a.getSpaceRoleMode},
		{Method: http.MethodPost, Template: v2Prefix + "/users-bulk", Handle: a.getUsersBulk},
		{Method: http.MethodPost, Template: v1Prefix + "/space/{spaceKey}/permission", Handle: a.addPermission},
		{Method: http.MethodDelete, Template: v1Prefix + "/space/{spaceKey}/permission/{id}", Handle: a.removePermission},
		{Method: http.MethodGet, Template: v1Prefix + "/user", Handle: a.getUser},
		{Method: http.MethodGet, Template: v1Prefix + "/group/by-id", Handle: a.getGroup},
		{Method: http.MethodGet, Template: v1Prefix + "/group/picker", Handle: a.searchGroups},
	}, append(a.roleRoutes(), a.transitionRoutes()...)...)
}
