package datacenter

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Offset paging of Data Center lists
// (contributing/confluence-api.md#data-center-spaces-and-paging).
//
// UNVERIFIED (contributing/confluence-api.md#data-center-spaces-and-paging):
// "defaults vary" and servers cap limit silently; chose a default of 25 and a
// cap of 100, reported in the envelope's limit.
const (
	DefaultLimit = 25
	MaxLimit     = 100
)

// getServerInformation serves GET /rest/api/server-information, which clients
// read to choose between REST and the remote API
// (contributing/confluence-api.md#server-information-since-91).
func (a *API) getServerInformation(x *route.Exchange) {
	route.WriteJSON(x.W, http.StatusOK, ServerInformation{
		BaseURL:     a.base(x),
		Version:     a.cfg.Version.text,
		BuildNumber: a.cfg.Version.buildNumber(),
		BuildDate:   "2025-01-15T00:00:00.000Z",
		ServerTitle: "Confluence",
	})
}

// getSpaces serves GET /rest/api/space
// (contributing/confluence-api.md#data-center-spaces-and-paging): the spaces
// the caller can view, filtered by spaceKey (repeatable), type, status and
// label, in pages of start and limit. favourite and expand are accepted and
// ignored.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-spaces-and-paging):
// chose key order, "any of them" for several labels, and to list current and
// archived spaces alike when status is not given, as the Cloud flavour does.
func (a *API) getSpaces(x *route.Exchange) {
	q := x.R.URL.Query()
	filter, bad := parseSpaceFilter(q)
	if bad != "" {
		writeError(x.W, http.StatusBadRequest, bad)
		return
	}
	start, limit, bad := parsePaging(q)
	if bad != "" {
		writeError(x.W, http.StatusBadRequest, bad)
		return
	}
	spaces := a.store.Spaces(x.Caller, filter)
	slices.SortFunc(spaces, func(a, b state.Space) int { return cmp.Compare(a.Key, b.Key) })
	page := route.OffsetPage(spaces, start, limit)

	base := a.base(x)
	body := Page[Space]{
		Results: make([]Space, 0, len(page)),
		Start:   start,
		Limit:   limit,
		Size:    len(page),
		Links:   map[string]string{"base": base, "context": a.cfg.ContextPath, "self": base + RESTPrefix + "/space"},
	}
	for _, sp := range page {
		body.Results = append(body.Results, toSpace(sp, base))
	}
	if next := start + len(page); next < len(spaces) {
		body.Links["next"] = nextLink(RESTPrefix+"/space", q, next, limit)
	}
	route.WriteJSON(x.W, http.StatusOK, body)
}

// parseSpaceFilter reads the filters of GET /rest/api/space.
func parseSpaceFilter(q url.Values) (state.SpaceFilter, string) {
	f := state.SpaceFilter{Type: q.Get("type"), Status: q.Get("status")}
	if f.Type != "" && !slices.Contains(spaceTypes, f.Type) {
		return f, fmt.Sprintf("type %q is not one of %s", f.Type, strings.Join(spaceTypes, ", "))
	}
	if f.Status != "" && !slices.Contains(spaceStatuses, f.Status) {
		return f, fmt.Sprintf("status %q is not one of %s", f.Status, strings.Join(spaceStatuses, ", "))
	}
	f.Keys = route.SetOf(route.ListValues(q, "spaceKey"))
	f.Labels = route.SetOf(route.ListValues(q, "label"))
	return f, ""
}

// parsePaging reads start and limit; limit is capped, not refused.
func parsePaging(q url.Values) (start, limit int, bad string) {
	start, limit = 0, DefaultLimit
	for name, into := range map[string]*int{"start": &start, "limit": &limit} {
		raw := q.Get(name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || (name == "limit" && n == 0) {
			return 0, 0, fmt.Sprintf("%s must be a whole number (limit at least 1), got %q", name, raw)
		}
		*into = n
	}
	return start, min(limit, MaxLimit), ""
}

// nextLink is _links.next: relative to _links.base, with the request's
// filters, start advanced by what this page returned and the limit used, so
// that a client following it can neither skip nor repeat items
// (contributing/confluence-api.md#data-center-spaces-and-paging, the onyx
// pitfall).
func nextLink(path string, q url.Values, start, limit int) string {
	next := url.Values{}
	for k, vs := range q {
		next[k] = vs
	}
	next.Set("start", strconv.Itoa(start))
	next.Set("limit", strconv.Itoa(limit))
	return path + "?" + next.Encode()
}

// getSpace serves GET /rest/api/space/{spaceKey}: 404 when the space is
// missing or the caller cannot view it.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-spaces-and-paging):
// chose to add base, context and collection to the space's links, as single
// entities carry them.
func (a *API) getSpace(x *route.Exchange) {
	key := x.Param("spaceKey")
	found := a.store.Spaces(x.Caller, state.SpaceFilter{Keys: map[string]bool{key: true}})
	if len(found) == 0 {
		writeRefusal(x.W, &state.RuleError{Rule: state.RuleUnknownSpace, SpaceKey: key})
		return
	}
	base := a.base(x)
	body := toSpace(found[0], base)
	body.Links["base"] = base
	body.Links["context"] = a.cfg.ContextPath
	body.Links["collection"] = RESTPrefix + "/space"
	route.WriteJSON(x.W, http.StatusOK, body)
}

// The space types and statuses GET /rest/api/space filters by.
var (
	spaceTypes    = state.SpaceTypes(permissions.DataCenter)
	spaceStatuses = state.SpaceStatuses()
)
