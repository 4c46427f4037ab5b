package cloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// getUser serves GET /wiki/rest/api/user?accountId=
// (contributing/confluence-api.md#cloud-users-and-groups): 404 when no such
// account.
func (a *API) getUser(x *route.Exchange) {
	getByID(x, "accountId", a.store.User, toV1User, state.RuleUnknownUser, state.UserPrincipal)
}

// getGroup serves GET /wiki/rest/api/group/by-id?id=
// (contributing/confluence-api.md#cloud-users-and-groups): 404 when no such
// group.
func (a *API) getGroup(x *route.Exchange) {
	getByID(x, "id", a.store.Group, toV1Group, state.RuleUnknownGroup, state.GroupPrincipal)
}

// getByID serves a v1 read of one user or group by the id in the required
// query parameter param: its v1 body, or 404 worded as the writes word the
// refusal unknown of a principal that does not exist.
func getByID[T, B any](x *route.Exchange, param string, find func(id string) (T, bool), body func(T, string) B,
	unknown state.Rule, principal func(id string) permissions.Principal) {
	id, ok := requiredQuery(x, param)
	if !ok {
		return
	}
	v, found := find(id)
	if !found {
		writeV1Error(x.W, http.StatusNotFound, notFoundException, refusalText(&state.RuleError{Rule: unknown, Principal: principal(id)}))
		return
	}
	route.WriteJSON(x.W, http.StatusOK, body(v, x.Origin))
}

// groupPickerMaxLimit: "restricted to a maximum limit of 200 groups", which is
// also the default (contributing/confluence-api.md#cloud-users-and-groups,
// spec searchGroups).
const groupPickerMaxLimit = 200

// searchGroups serves GET /wiki/rest/api/group/picker
// (contributing/confluence-api.md#cloud-users-and-groups): groups whose name
// contains query, ignoring case, paged by start and limit.
func (a *API) searchGroups(x *route.Exchange) {
	query, ok := requiredQuery(x, "query")
	if !ok {
		return
	}
	q := x.R.URL.Query()
	start, ok := offsetParam(x, q, "start", 0)
	if !ok {
		return
	}
	limit, ok := offsetParam(x, q, "limit", groupPickerMaxLimit)
	if !ok {
		return
	}
	limit = min(limit, groupPickerMaxLimit)
	groups := a.store.GroupsNamed(query)
	page := route.OffsetPage(groups, start, limit)

	base := wikiBase(x.Origin)
	body := V1GroupPage{
		Results: make([]V1Group, 0, len(page)),
		Start:   start,
		Limit:   limit,
		Size:    len(page),
		// UNVERIFIED (contributing/confluence-api.md#cloud-users-and-groups):
		// v1 links are free-form; chose base, context, self, and next relative
		// to base as v1 offset lists do.
		Links: map[string]string{"base": base, "context": "/wiki", "self": base + "/rest/api/group/picker"},
	}
	for _, g := range page {
		body.Results = append(body.Results, toV1Group(g, x.Origin))
	}
	if q.Get("shouldReturnTotalSize") == "true" {
		total := int64(len(groups))
		body.TotalSize = &total
	}
	if start+limit < len(groups) && limit > 0 {
		next := url.Values{"query": {query}, "start": {strconv.Itoa(start + limit)}, "limit": {strconv.Itoa(limit)}}
		body.Links["next"] = "/rest/api/group/picker?" + next.Encode()
	}
	route.WriteJSON(x.W, http.StatusOK, body)
}

// maxBulkAccountIDs is the spec's maxItems of BulkUsersRequest.accountIds.
const maxBulkAccountIDs = 250

// getUsersBulk serves POST /wiki/api/v2/users-bulk
// (contributing/confluence-api.md#cloud-users-and-groups): 1 to 250
// accountIds; unknown ones are left out of results.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-users-and-groups): chose to
// answer in request order, once per id.
func (a *API) getUsersBulk(x *route.Exchange) {
	var body struct {
		AccountIDs []string `json:"accountIds"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(x.W, x.R.Body, route.MaxBodyBytes)).Decode(&body); err != nil {
		writeBadParam(x.W, invalidParam("accountIds", "the body must be {\"accountIds\": [...]}: "+err.Error()))
		return
	}
	if n := len(body.AccountIDs); n < 1 || n > maxBulkAccountIDs {
		writeBadParam(x.W, invalidParam("accountIds", fmt.Sprintf("give 1 to %d accountIds, got %d", maxBulkAccountIDs, n)))
		return
	}
	page := V2Page[V2User]{Results: []V2User{}, Links: V2Links{Base: wikiBase(x.Origin)}}
	seen := map[string]bool{}
	for _, id := range body.AccountIDs {
		if u, ok := a.store.User(id); ok && !seen[id] {
			page.Results = append(page.Results, toV2User(u))
		}
		seen[id] = true
	}
	x.W.Header().Set("Link", linkHeader("", page.Links.Base))
	route.WriteJSON(x.W, http.StatusOK, page)
}

// requiredQuery reads a required v1 query parameter.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-users-and-groups): the spec
// lists no 400 for these operations; chose a 400 BadRequestException, what the
// service answers a missing parameter elsewhere.
func requiredQuery(x *route.Exchange, name string) (string, bool) {
	q := x.R.URL.Query()
	if !q.Has(name) {
		writeV1Error(x.W, http.StatusBadRequest, badRequestException, name+" is required")
		return "", false
	}
	return q.Get(name), true
}

// offsetParam reads a non-negative v1 offset parameter.
func offsetParam(x *route.Exchange, q url.Values, name string, def int) (int, bool) {
	raw := q.Get(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		writeV1Error(x.W, http.StatusBadRequest, badRequestException, fmt.Sprintf("%s must be a non-negative integer, got %q", name, raw))
		return 0, false
	}
	return n, true
}
