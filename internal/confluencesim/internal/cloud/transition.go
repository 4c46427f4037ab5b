package cloud

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
)

// The roles transition tool's inventory
// (contributing/confluence-api.md#the-roles-transition-inventory): v2
// operations listSpacePermissionCombinations,
// generateSpacePermissionCombinations and
// getSpacePermissionTransitionTaskStatus, all for Confluence administrators.
//
// UNVERIFIED (contributing/confluence-api.md#the-roles-transition-inventory):
// bulkAssignSpacePermissionRoles (POST .../transition/role-assignments) and
// bulkRemoveSpacePermissionAccess (POST .../transition/access-removals) are
// not served, so they answer 404 like any unknown path: what they do to the
// grants of the principals they reach is not on record, and no client of the
// simulator drives them.
const (
	combinationsPath    = v2Prefix + "/space-permissions/transition/combinations"
	transitionTasksPath = v2Prefix + "/space-permissions/transition/tasks/"
)

func (a *API) transitionRoutes() []route.Route {
	return []route.Route{
		{Method: http.MethodGet, Template: combinationsPath, Handle: a.listCombinations},
		{Method: http.MethodPost, Template: combinationsPath, Handle: a.generateCombinations},
		{Method: http.MethodGet, Template: transitionTasksPath + "{taskId}", Handle: a.getTransitionTask},
	}
}

// generatedAtLayout writes generatedAt, documented as an ISO-8601 timestamp.
//
// UNVERIFIED (contributing/confluence-api.md#the-roles-transition-inventory):
// no answer is on record; chose the millisecond form of the v2 document's
// other timestamps (SpaceBulk.createdAt).
const generatedAtLayout = "2006-01-02T15:04:05.000Z"

// listCombinations serves GET .../transition/combinations: one page of the
// inventory, most widely held first, limit 1..250 (25 by default) and the
// next page's cursor in the body.
func (a *API) listCombinations(x *route.Exchange) {
	p, bad := parsePageQuery(x.R.URL.Query())
	if bad != nil {
		writeBadParam(x.W, bad)
		return
	}
	combinations, resumeAfter, generatedAt, err := a.store.CombinationPage(x.Caller, p.after, p.limit)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	page := V2CombinationsPage{Results: make([]V2Combination, len(combinations))}
	for i, c := range combinations {
		page.Results[i] = toV2Combination(c)
	}
	if !generatedAt.IsZero() {
		at := generatedAt.UTC().Format(generatedAtLayout)
		page.GeneratedAt = &at
	}
	if resumeAfter != 0 {
		cursor := EncodeCursor(CursorPosition{ID: strconv.FormatInt(resumeAfter, 10)})
		page.Cursor = &cursor
	}
	route.WriteJSON(x.W, http.StatusOK, page)
}

// generateCombinations serves POST .../transition/combinations: 202 with the
// task that works the inventory out again, which takes the site's role
// task delay.
//
// UNVERIFIED (contributing/confluence-api.md#the-roles-transition-inventory):
// statusUrl is documented only as the URL to poll; chose the site-relative
// path of the task, as v2's next links are written.
func (a *API) generateCombinations(x *route.Exchange) {
	task, err := a.store.GenerateCombinations(x.Caller, a.cfg.RoleTaskDelay)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	route.WriteJSON(x.W, http.StatusAccepted, V2TransitionTask{
		TaskID: task.ID, Status: task.Status, StatusURL: transitionTasksPath + url.PathEscape(task.ID),
	})
}

// getTransitionTask serves GET .../transition/tasks/{taskId}.
func (a *API) getTransitionTask(x *route.Exchange) {
	task, err := a.store.TransitionTaskStatus(x.Caller, x.Param("taskId"))
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	route.WriteJSON(x.W, http.StatusOK, V2TransitionTaskStatus{TaskID: task.ID, Status: task.Status})
}
