package confluencesim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// getUser serves GET /wiki/rest/api/user?accountId=
// (contributing/confluence-api.md#cloud-users-and-groups): 404 when no such
// account.
func (a *cloudAPI) getUser(x *exchange) {
	id, ok := requiredQuery(x, "accountId")
	if !ok {
		return
	}
	u, found := a.site.user(id)
	if !found {
		writeV1Error(x.w, http.StatusNotFound, notFoundException, refusalText(&RuleError{Rule: RuleUnknownUser, Principal: userPrincipal(id)}))
		return
	}
	writeJSON(x.w, http.StatusOK, toV1User(u, x.origin))
}

// getGroup serves GET /wiki/rest/api/group/by-id?id=
// (contributing/confluence-api.md#cloud-users-and-groups): 404 when no such
// group.
func (a *cloudAPI) getGroup(x *exchange) {
	id, ok := requiredQuery(x, "id")
	if !ok {
		return
	}
	g, found := a.site.group(id)
	if !found {
		writeV1Error(x.w, http.StatusNotFound, notFoundException, refusalText(&RuleError{Rule: RuleUnknownGroup, Principal: groupPrincipal(id)}))
		return
	}
	writeJSON(x.w, http.StatusOK, toV1Group(g, x.origin))
}

// groupPickerMaxLimit: "restricted to a maximum limit of 200 groups", which is
// also the default (contributing/confluence-api.md#cloud-users-and-groups,
// spec searchGroups).
const groupPickerMaxLimit = 200

// searchGroups serves GET /wiki/rest/api/group/picker
// (contributing/confluence-api.md#cloud-users-and-groups): groups whose name
// contains query, ignoring case, paged by start and limit.
func (a *cloudAPI) searchGroups(x *exchange) {
	query, ok := requiredQuery(x, "query")
	if !ok {
		return
	}
	q := x.r.URL.Query()
	start, ok := offsetParam(x, q, "start", 0)
	if !ok {
		return
	}
	limit, ok := offsetParam(x, q, "limit", groupPickerMaxLimit)
	if !ok {
		return
	}
	limit = min(limit, groupPickerMaxLimit)
	groups := a.site.groupsNamed(query)
	page := groups[min(start, len(groups)):min(start+limit, len(groups))]

	base := wikiBase(x.origin)
	body := v1GroupPage{
		Results: make([]v1Group, 0, len(page)),
		Start:   start,
		Limit:   limit,
		Size:    len(page),
		// UNVERIFIED (contributing/confluence-api.md#cloud-users-and-groups):
		// v1 links are free-form; chose base, context, self, and next relative
		// to base as v1 offset lists do.
		Links: map[string]string{"base": base, "context": "/wiki", "self": base + "/rest/api/group/picker"},
	}
	for _, g := range page {
		body.Results = append(body.Results, toV1Group(g, x.origin))
	}
	if q.Get("shouldReturnTotalSize") == "true" {
		total := int64(len(groups))
		body.TotalSize = &total
	}
	if start+limit < len(groups) && limit > 0 {
		next := url.Values{"query": {query}, "start": {strconv.Itoa(start + limit)}, "limit": {strconv.Itoa(limit)}}
		body.Links["next"] = "/rest/api/group/picker?" + next.Encode()
	}
	writeJSON(x.w, http.StatusOK, body)
}

// maxBulkAccountIDs is the spec's maxItems of BulkUsersRequest.accountIds.
const maxBulkAccountIDs = 250

// getUsersBulk serves POST /wiki/api/v2/users-bulk
// (contributing/confluence-api.md#cloud-users-and-groups): 1 to 250
// accountIds; unknown ones are left out of results.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-users-and-groups): chose to
// answer in request order, once per id.
func (a *cloudAPI) getUsersBulk(x *exchange) {
	var body struct {
		AccountIDs []string `json:"accountIds"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(x.w, x.r.Body, maxBodyBytes)).Decode(&body); err != nil {
		writeBadParam(x.w, invalidParam("accountIds", "the body must be {\"accountIds\": [...]}: "+err.Error()))
		return
	}
	if n := len(body.AccountIDs); n < 1 || n > maxBulkAccountIDs {
		writeBadParam(x.w, invalidParam("accountIds", fmt.Sprintf("give 1 to %d accountIds, got %d", maxBulkAccountIDs, n)))
		return
	}
	page := v2Page[v2User]{Results: []v2User{}, Links: v2Links{Base: wikiBase(x.origin)}}
	seen := map[string]bool{}
	for _, id := range body.AccountIDs {
		if u, ok := a.site.user(id); ok && !seen[id] {
			page.Results = append(page.Results, toV2User(u))
		}
		seen[id] = true
	}
	x.w.Header().Set("Link", linkHeader("", page.Links.Base))
	writeJSON(x.w, http.StatusOK, page)
}

// requiredQuery reads a required v1 query parameter.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-users-and-groups): the spec
// lists no 400 for these operations; chose a 400 BadRequestException, what the
// service answers a missing parameter elsewhere.
func requiredQuery(x *exchange, name string) (string, bool) {
	q := x.r.URL.Query()
	if !q.Has(name) {
		writeV1Error(x.w, http.StatusBadRequest, badRequestException, name+" is required")
		return "", false
	}
	return q.Get(name), true
}

// offsetParam reads a non-negative v1 offset parameter.
func offsetParam(x *exchange, q url.Values, name string, def int) (int, bool) {
	raw := q.Get(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		writeV1Error(x.w, http.StatusBadRequest, badRequestException, fmt.Sprintf("%s must be a non-negative integer, got %q", name, raw))
		return 0, false
	}
	return n, true
}
