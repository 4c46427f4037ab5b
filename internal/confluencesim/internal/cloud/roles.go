package cloud

import (
	"net/http"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// roleRoutes are the space role operations of the v2 API
// (contributing/confluence-api.md#space-roles).
func (a *API) roleRoutes() []route.Route {
	return []route.Route{
		{Method: http.MethodGet, Template: v2Prefix + "/space-permissions", Handle: a.getAvailableSpacePermissions},
		{Method: http.MethodGet, Template: v2Prefix + "/space-roles", Handle: a.getSpaceRoles},
		{Method: http.MethodPost, Template: v2Prefix + "/space-roles", Handle: a.createSpaceRole},
		{Method: http.MethodGet, Template: v2Prefix + "/space-roles/{id}", Handle: a.getSpaceRole},
		{Method: http.MethodPut, Template: v2Prefix + "/space-roles/{id}", Handle: a.updateSpaceRole},
		{Method: http.MethodDelete, Template: v2Prefix + "/space-roles/{id}", Handle: a.deleteSpaceRole},
		{Method: http.MethodGet, Template: v2Prefix + "/spaces/{id}/role-assignments", Handle: a.getRoleAssignments},
		{Method: http.MethodPost, Template: v2Prefix + "/spaces/{id}/role-assignments", Handle: a.setRoleAssignments},
	}
}

// getAvailableSpacePermissions serves GET /wiki/api/v2/space-permissions: the
// catalogue of permissions roles are made of, cursor paged.
func (a *API) getAvailableSpacePermissions(x *route.Exchange) {
	p, bad := parsePageQuery(x.R.URL.Query())
	if bad != nil {
		writeBadParam(x.W, bad)
		return
	}
	if err := a.store.RolesEnabled(); err != nil {
		writeRoleError(x.W, err)
		return
	}
	page, resumeAfter := state.CataloguePage(p.after, p.limit)
	results := make([]V2SpacePermission, len(page))
	for i, e := range page {
		results[i] = V2SpacePermission{ID: e.ID.String(), DisplayName: e.DisplayName, Description: e.Description, RequiredPermissionIDs: state.PermissionIDStrings(e.Requires)}
	}
	writeSeqPage(x, v2Prefix+"/space-permissions", results, p, resumeAfter)
}

// getSpaceRoles serves GET /wiki/api/v2/space-roles, filtered by space-id,
// role-type and principal, cursor paged.
func (a *API) getSpaceRoles(x *route.Exchange) {
	q := x.R.URL.Query()
	p, bad := parsePageQuery(q)
	var f state.RoleFilter
	if bad == nil {
		f.RoleType, bad = roleTypeFilter(q)
	}
	if bad == nil {
		f.Principal, bad = rolePrincipalFilter(q)
	}
	if raw := q.Get("space-id"); bad == nil && raw != "" {
		var err error
		if f.SpaceID, err = strconv.ParseInt(raw, 10, 64); err != nil {
			bad = invalidParam("space-id", strconv.Quote(raw)+" is not a space id")
		}
	}
	if bad != nil {
		writeBadParam(x.W, bad)
		return
	}
	roles, resumeAfter, err := a.store.RolePage(x.Caller, f, p.after, p.limit)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	results := make([]V2SpaceRole, len(roles))
	for i, r := range roles {
		results[i] = toV2SpaceRole(r)
	}
	writeSeqPage(x, v2Prefix+"/space-roles", results, p, resumeAfter)
}

// getSpaceRole serves GET /wiki/api/v2/space-roles/{id}. The spec declares an
// integer id although role ids are UUIDs
// (contributing/confluence-api.md#space-roles); the string is taken as it
// comes.
func (a *API) getSpaceRole(x *route.Exchange) {
	r, err := a.store.Role(x.Param("id"))
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	body := toV2SpaceRole(r)
	body.Links = &V2BaseLinks{Base: wikiBase(x.Origin)}
	route.WriteJSON(x.W, http.StatusOK, body)
}

// createSpaceRole serves POST /wiki/api/v2/space-roles: 201 with the role.
func (a *API) createSpaceRole(x *route.Exchange) {
	d, ok := readRoleDefinition(x)
	if !ok {
		return
	}
	r, err := a.store.CreateRole(x.Caller, d)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	route.WriteJSON(x.W, http.StatusCreated, toV2SpaceRole(r))
}

// updateSpaceRole serves PUT /wiki/api/v2/space-roles/{id}: 202 with the
// role as it still is and the task that will change it.
func (a *API) updateSpaceRole(x *route.Exchange) {
	d, ok := readRoleDefinition(x)
	if !ok {
		return
	}
	r, task, err := a.store.UpdateRole(x.Caller, x.Param("id"), d, a.cfg.RoleTaskDelay)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	route.WriteJSON(x.W, http.StatusAccepted, V2UpdateRoleAccepted{ID: r.ID, Type: r.Type, Name: r.Name, Description: r.Description, TaskID: task})
}

// deleteSpaceRole serves DELETE /wiki/api/v2/space-roles/{id}: 202 with the
// task that will delete the role and its assignments.
func (a *API) deleteSpaceRole(x *route.Exchange) {
	task, err := a.store.DeleteRole(x.Caller, x.Param("id"), a.cfg.RoleTaskDelay)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	route.WriteJSON(x.W, http.StatusAccepted, V2DeleteRoleAccepted{TaskID: task})
}

// readRoleDefinition reads the body of POST and PUT, whose name, description
// and spacePermissions are all required
// (contributing/confluence-api.md#space-roles).
func readRoleDefinition(x *route.Exchange) (state.RoleDefinition, bool) {
	var body V2RoleDefinition
	if !decodeRoleBody(x, &body) {
		return state.RoleDefinition{}, false
	}
	if body.Name == nil || body.Description == nil || body.SpacePermissions == nil {
		writeRoleError(x.W, state.RoleErrorf(state.RuleInvalidRole, "name, description and spacePermissions are required."))
		return state.RoleDefinition{}, false
	}
	return state.RoleDefinition{Name: *body.Name, Description: *body.Description, Permissions: *body.SpacePermissions}, true
}
