package confluencesim

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Offset paging of Data Center lists
// (contributing/confluence-api.md#data-center-spaces-and-paging).
//
// UNVERIFIED (contributing/confluence-api.md#data-center-spaces-and-paging):
// "defaults vary" and servers cap limit silently; chose a default of 25 and a
// cap of 100, reported in the envelope's limit.
const (
	dcDefaultLimit = 25
	dcMaxLimit     = 100
)

// getServerInformation serves GET /rest/api/server-information, which clients
// read to choose between REST and the remote API
// (contributing/confluence-api.md#server-information-since-91).
func (a *dcAPI) getServerInformation(x *exchange) {
	writeJSON(x.w, http.StatusOK, dcServerInformation{
		BaseURL:     a.base(x),
		Version:     a.version.text,
		BuildNumber: a.version.buildNumber(),
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
func (a *dcAPI) getSpaces(x *exchange) {
	q := x.r.URL.Query()
	filter, bad := dcSpaceFilter(q)
	if bad != "" {
		writeDCError(x.w, http.StatusBadRequest, bad)
		return
	}
	start, limit, bad := dcPaging(q)
	if bad != "" {
		writeDCError(x.w, http.StatusBadRequest, bad)
		return
	}
	spaces := a.site.spaces(x.caller, filter)
	slices.SortFunc(spaces, func(a, b Space) int { return cmp.Compare(a.Key, b.Key) })
	page := spaces[min(start, len(spaces)):min(start+limit, len(spaces))]

	base := a.base(x)
	body := dcPage[dcSpace]{
		Results: make([]dcSpace, 0, len(page)),
		Start:   start,
		Limit:   limit,
		Size:    len(page),
		Links:   map[string]string{"base": base, "context": a.contextPath, "self": base + dcREST + "/space"},
	}
	for _, sp := range page {
		body.Results = append(body.Results, toDCSpace(sp, base))
	}
	if next := start + len(page); next < len(spaces) {
		body.Links["next"] = dcNextLink(dcREST+"/space", q, next, limit)
	}
	writeJSON(x.w, http.StatusOK, body)
}

// dcSpaceFilter reads the filters of GET /rest/api/space.
func dcSpaceFilter(q url.Values) (spaceFilter, string) {
	f := spaceFilter{typ: q.Get("type"), status: q.Get("status")}
	if f.typ != "" && !slices.Contains(dcSpaceTypes, f.typ) {
		return f, fmt.Sprintf("type %q is not one of %s", f.typ, strings.Join(dcSpaceTypes, ", "))
	}
	if f.status != "" && !slices.Contains(spaceStatuses, f.status) {
		return f, fmt.Sprintf("status %q is not one of %s", f.status, strings.Join(spaceStatuses, ", "))
	}
	f.keys = setOf(listValues(q, "spaceKey"))
	f.labels = setOf(listValues(q, "label"))
	return f, ""
}

// dcPaging reads start and limit; limit is capped, not refused.
func dcPaging(q url.Values) (start, limit int, bad string) {
	start, limit = 0, dcDefaultLimit
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
	return start, min(limit, dcMaxLimit), ""
}

// dcNextLink is _links.next: relative to _links.base, with the request's
// filters, start advanced by what this page returned and the limit used, so
// that a client following it can neither skip nor repeat items
// (contributing/confluence-api.md#data-center-spaces-and-paging, the onyx
// pitfall).
func dcNextLink(path string, q url.Values, start, limit int) string {
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
func (a *dcAPI) getSpace(x *exchange) {
	key := x.param("spaceKey")
	found := a.site.spaces(x.caller, spaceFilter{keys: map[string]bool{key: true}})
	if len(found) == 0 {
		writeDCRefusal(x.w, &RuleError{Rule: RuleUnknownSpace, SpaceKey: key})
		return
	}
	base := a.base(x)
	body := toDCSpace(found[0], base)
	body.Links["base"] = base
	body.Links["context"] = a.contextPath
	body.Links["collection"] = dcREST + "/space"
	writeJSON(x.w, http.StatusOK, body)
}
