package confluencesim

import (
	"net/http"
	"strconv"
)

// roleRoutes are the space role operations of the v2 API
// (contributing/confluence-api.md#space-roles).
func (a *cloudAPI) roleRoutes() []route {
	return []route{
		{http.MethodGet, cloudV2 + "/space-permissions", a.getAvailableSpacePermissions},
		{http.MethodGet, cloudV2 + "/space-roles", a.getSpaceRoles},
		{http.MethodPost, cloudV2 + "/space-roles", a.createSpaceRole},
		{http.MethodGet, cloudV2 + "/space-roles/{id}", a.getSpaceRole},
		{http.MethodPut, cloudV2 + "/space-roles/{id}", a.updateSpaceRole},
		{http.MethodDelete, cloudV2 + "/space-roles/{id}", a.deleteSpaceRole},
		{http.MethodGet, cloudV2 + "/spaces/{id}/role-assignments", a.getRoleAssignments},
		{http.MethodPost, cloudV2 + "/spaces/{id}/role-assignments", a.setRoleAssignments},
	}
}

// getAvailableSpacePermissions serves GET /wiki/api/v2/space-permissions: the
// catalogue of permissions roles are made of, cursor paged.
func (a *cloudAPI) getAvailableSpacePermissions(x *exchange) {
	p, bad := parsePageQuery(x.r.URL.Query())
	if bad != nil {
		writeBadParam(x.w, bad)
		return
	}
	if err := a.site.rolesEnabled(); err != nil {
		writeRoleError(x.w, err)
		return
	}
	page, resumeAfter := pageAfter(catalogue, func(e catalogueEntry) int64 { return e.seq }, p.after, p.limit)
	results := make([]v2SpacePermission, len(page))
	for i, e := range page {
		results[i] = v2SpacePermission{ID: e.ID.String(), DisplayName: e.DisplayName, Description: e.Description, RequiredPermissionIDs: permissionIDStrings(e.Requires)}
	}
	writeSeqPage(x, cloudV2+"/space-permissions", results, p, resumeAfter)
}

// getSpaceRoles serves GET /wiki/api/v2/space-roles, filtered by space-id,
// role-type and principal, cursor paged.
func (a *cloudAPI) getSpaceRoles(x *exchange) {
	q := x.r.URL.Query()
	p, bad := parsePageQuery(q)
	var f roleFilter
	if bad == nil {
		f.roleType, bad = roleTypeFilter(q)
	}
	if bad == nil {
		f.principal, bad = rolePrincipalFilter(q)
	}
	if raw := q.Get("space-id"); bad == nil && raw != "" {
		var err error
		if f.spaceID, err = strconv.ParseInt(raw, 10, 64); err != nil {
			bad = invalidParam("space-id", strconv.Quote(raw)+" is not a space id")
		}
	}
	if bad != nil {
		writeBadParam(x.w, bad)
		return
	}
	roles, resumeAfter, err := a.site.rolePage(x.caller, f, p.after, p.limit)
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	results := make([]v2SpaceRole, len(roles))
	for i, r := range roles {
		results[i] = toV2SpaceRole(r)
	}
	writeSeqPage(x, cloudV2+"/space-roles", results, p, resumeAfter)
}

// getSpaceRole serves GET /wiki/api/v2/space-roles/{id}. The spec declares an
// integer id although role ids are UUIDs
// (contributing/confluence-api.md#space-roles); the string is taken as it
// comes.
func (a *cloudAPI) getSpaceRole(x *exchange) {
	r, err := a.site.role(x.param("id"))
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	body := toV2SpaceRole(r)
	body.Links = &v2BaseLinks{Base: wikiBase(x.origin)}
	writeJSON(x.w, http.StatusOK, body)
}

// createSpaceRole serves POST /wiki/api/v2/space-roles: 201 with the role.
func (a *cloudAPI) createSpaceRole(x *exchange) {
	d, ok := readRoleDefinition(x)
	if !ok {
		return
	}
	r, err := a.site.createRole(x.caller, d)
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	writeJSON(x.w, http.StatusCreated, toV2SpaceRole(r))
}

// updateSpaceRole serves PUT /wiki/api/v2/space-roles/{id}: 202 with the
// role as it still is and the task that will change it.
func (a *cloudAPI) updateSpaceRole(x *exchange) {
	d, ok := readRoleDefinition(x)
	if !ok {
		return
	}
	r, task, err := a.site.updateRole(x.caller, x.param("id"), d, a.roleTaskDelay)
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	writeJSON(x.w, http.StatusAccepted, v2UpdateRoleAccepted{ID: r.ID, Type: r.Type, Name: r.Name, Description: r.Description, TaskID: task})
}

// deleteSpaceRole serves DELETE /wiki/api/v2/space-roles/{id}: 202 with the
// task that will delete the role and its assignments.
func (a *cloudAPI) deleteSpaceRole(x *exchange) {
	task, err := a.site.deleteRole(x.caller, x.param("id"), a.roleTaskDelay)
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	writeJSON(x.w, http.StatusAccepted, v2DeleteRoleAccepted{TaskID: task})
}

// readRoleDefinition reads the body of POST and PUT, whose name, description
// and spacePermissions are all required
// (contributing/confluence-api.md#space-roles).
func readRoleDefinition(x *exchange) (roleDefinition, bool) {
	var body v2RoleDefinition
	if !decodeRoleBody(x, &body) {
		return roleDefinition{}, false
	}
	if body.Name == nil || body.Description == nil || body.SpacePermissions == nil {
		writeRoleError(x.w, roleErrorf(RuleInvalidRole, "name, description and spacePermissions are required."))
		return roleDefinition{}, false
	}
	return roleDefinition{Name: *body.Name, Description: *body.Description, Permissions: *body.SpacePermissions}, true
}
