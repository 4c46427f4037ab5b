package cloud

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

// getSpaces serves GET /wiki/api/v2/spaces
// (contributing/confluence-api.md#spaces-and-key-lookups): the spaces the
// caller can view, filtered, sorted (id ascending by default) and paged, with
// the Link header the spec documents. Keys that match nothing give an empty
// page, not a 404 (contributing/confluence-api.md#spaces-and-key-lookups,
// inferred there from filter semantics).
//
// description-format, include-icon, favorited-by and not-favorited-by are
// accepted and ignored: the simulator models no descriptions, icons or
// favourites.
func (a *API) getSpaces(x *route.Exchange) {
	q, bad := parseSpaceQuery(x.R.URL.Query(), a.cfg.Keys)
	if bad != nil {
		writeBadParam(x.W, bad)
		return
	}
	spaces := a.store.Spaces(x.Caller, q.filter)
	slices.SortFunc(spaces, q.order.compare)
	if q.after != nil {
		// Resume after the cursor's position, even if that space is gone.
		i, found := slices.BinarySearchFunc(spaces, *q.after, q.order.compare)
		if found {
			i++
		}
		spaces = spaces[i:]
	}
	var next string
	if len(spaces) > q.limit {
		spaces = spaces[:q.limit]
		next = nextLink(v2Prefix+"/spaces", EncodeCursor(q.order.position(spaces[len(spaces)-1])), q.limit, q.carry)
	}
	page := V2Page[V2Space]{Results: make([]V2Space, 0, len(spaces)), Links: V2Links{Next: next, Base: wikiBase(x.Origin)}}
	for _, sp := range spaces {
		page.Results = append(page.Results, toV2Space(sp))
	}
	x.W.Header().Set("Link", linkHeader(next, page.Links.Base))
	route.WriteJSON(x.W, http.StatusOK, page)
}

// spaceQuery is a parsed GET /spaces query.
type spaceQuery struct {
	filter state.SpaceFilter
	order  spaceOrder
	limit  int
	// after is the last space of the previous page.
	after *state.Space
	// carry is what the next link repeats besides cursor and limit.
	carry url.Values
}

// maxFilterValues is the spec's maxItems for ids and keys
// (contributing/confluence-api.md#spaces-and-key-lookups).
const maxFilterValues = 250

func parseSpaceQuery(q url.Values, parsing KeysParsing) (spaceQuery, *badParam) {
	var sq spaceQuery
	var bad *badParam
	if sq.limit, bad = parseLimit(q); bad != nil {
		return sq, bad
	}
	ids, keys, labels := arrayParam(q, "ids", parsing), arrayParam(q, "keys", parsing), arrayParam(q, "labels", parsing)
	for name, values := range map[string][]string{"ids": ids, "keys": keys} {
		if len(values) > maxFilterValues {
			return sq, invalidParam(name, fmt.Sprintf("at most %d values are allowed, got %d", maxFilterValues, len(values)))
		}
	}
	sq.filter = state.SpaceFilter{Type: q.Get("type"), Status: q.Get("status")}
	if len(ids) > 0 {
		sq.filter.IDs = map[int64]bool{}
		for _, raw := range ids {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return sq, invalidParam("ids", fmt.Sprintf("%q is not a space id", raw))
			}
			sq.filter.IDs[id] = true
		}
	}
	sq.filter.Keys = route.SetOf(keys)
	sq.filter.Labels = route.SetOf(labels)
	if t := sq.filter.Type; t != "" && !slices.Contains(spaceTypes, t) {
		return sq, invalidParam("type", "type must be one of "+strings.Join(spaceTypes, ", "))
	}
	if s := sq.filter.Status; s != "" && !slices.Contains(spaceStatuses, s) {
		return sq, invalidParam("status", "status must be one of "+strings.Join(spaceStatuses, ", "))
	}
	if sq.order, bad = parseSpaceOrder(q.Get("sort")); bad != nil {
		return sq, bad
	}
	pos, id, ok, bad := decodeCursor(q)
	if bad != nil {
		return sq, bad
	}
	if ok {
		sq.after = &state.Space{ID: id, Key: pos.Key, Name: pos.Name}
	}
	sq.carry = carryParams(q, map[string][]string{
		"ids": carriedArray(ids, parsing), "keys": carriedArray(keys, parsing), "labels": carriedArray(labels, parsing),
	})
	return sq, nil
}

// arrayParam reads the array parameter name of GET /spaces as the site's
// KeysParsing says.
//
// UNVERIFIED (contributing/confluence-api.md#space-keys-in-one-request):
// the document declares form style with explode and describes a
// comma-separated list; clients that work against real sites send one
// comma-joined value, so KeysCommaJoined is the default, and with it a
// repeated parameter reads as a servlet's getParameter reads it, the first
// value only.
func arrayParam(q url.Values, name string, parsing KeysParsing) []string {
	switch parsing {
	case KeysRepeated:
		var out []string
		for _, v := range q[name] {
			if v != "" {
				out = append(out, v)
			}
		}
		return out
	case KeysCommaJoined:
		if !q.Has(name) {
			return nil
		}
		return route.ListValues(url.Values{name: {q.Get(name)}}, name)
	}
	return route.ListValues(q, name)
}

// carriedArray is how the next link repeats an array parameter: in the form
// the site reads, one comma-joined value for KeysCommaJoined, else one
// value each.
func carriedArray(values []string, parsing KeysParsing) []string {
	if parsing == KeysCommaJoined && len(values) > 0 {
		return []string{strings.Join(values, ",")}
	}
	return values
}

// carryParams copies the query for the next link, without cursor and limit,
// with array parameters replaced by the values the site read.
func carryParams(q url.Values, arrays map[string][]string) url.Values {
	carry := url.Values{}
	for k, vs := range q {
		if k != "cursor" && k != "limit" {
			carry[k] = vs
		}
	}
	for k, vs := range arrays {
		if len(vs) > 0 {
			carry[k] = vs
		}
	}
	return carry
}

// spaceOrder is the sort parameter: SpaceSortOrder (v2) is id, key or name,
// with "-" for descending. Ties are broken by id so that pages are stable.
//
// UNVERIFIED (contributing/confluence-api.md#spaces-and-key-lookups): chose to
// compare names without case, as a person reading a sorted list of spaces
// would expect.
type spaceOrder struct {
	field string
	desc  bool
}

func parseSpaceOrder(raw string) (spaceOrder, *badParam) {
	if raw == "" {
		return spaceOrder{field: "id"}, nil
	}
	o := spaceOrder{field: strings.TrimPrefix(raw, "-"), desc: strings.HasPrefix(raw, "-")}
	if o.field != "id" && o.field != "key" && o.field != "name" {
		return o, invalidParam("sort", "sort must be one of id, -id, key, -key, name, -name")
	}
	return o, nil
}

func (o spaceOrder) compare(a, b state.Space) int {
	var c int
	switch o.field {
	case "key":
		c = cmp.Compare(a.Key, b.Key)
	case "name":
		c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	}
	c = cmp.Or(c, cmp.Compare(a.ID, b.ID))
	if o.desc {
		return -c
	}
	return c
}

// position is what the cursor must remember to resume after sp.
func (o spaceOrder) position(sp state.Space) CursorPosition {
	p := CursorPosition{ID: strconv.FormatInt(sp.ID, 10)}
	switch o.field {
	case "key":
		p.Key = sp.Key
	case "name":
		p.Name = sp.Name
	}
	return p
}

// getSpace serves GET /wiki/api/v2/spaces/{id}: 404 when the space is missing
// or the caller cannot view it
// (contributing/confluence-api.md#spaces-and-key-lookups).
func (a *API) getSpace(x *route.Exchange) {
	id, ok := spaceIDParam(x)
	if !ok {
		return
	}
	sp, found := a.store.ViewableSpace(x.Caller, id)
	if !found {
		writeV2Status(x.W, http.StatusNotFound)
		return
	}
	body := toV2Space(sp)
	body.Links.Base = wikiBase(x.Origin) // getSpaceById adds _links.base
	route.WriteJSON(x.W, http.StatusOK, body)
}

// spaceIDParam reads the int64 {id} of a v2 path, answering 400 when it is
// not a number.
func spaceIDParam(x *route.Exchange) (int64, bool) {
	id, err := strconv.ParseInt(x.Param("id"), 10, 64)
	if err != nil {
		writeBadParam(x.W, invalidParam("id", fmt.Sprintf("%q is not a space id", x.Param("id"))))
		return 0, false
	}
	return id, true
}

// spaceListParams reads the {id} and the paging of a v2 list below one
// space, answering 400 for either.
func spaceListParams(x *route.Exchange) (id int64, p pageQuery, ok bool) {
	if id, ok = spaceIDParam(x); !ok {
		return 0, pageQuery{}, false
	}
	p, bad := parsePageQuery(x.R.URL.Query())
	if bad != nil {
		writeBadParam(x.W, bad)
		return 0, pageQuery{}, false
	}
	return id, p, true
}

// getSpaceRoleMode serves GET /wiki/api/v2/space-role-mode
// (contributing/confluence-api.md#space-roles).
func (a *API) getSpaceRoleMode(x *route.Exchange) {
	route.WriteJSON(x.W, http.StatusOK, map[string]state.RoleMode{"mode": a.store.RoleMode()})
}

// The space types and statuses GET /spaces filters by.
var (
	spaceTypes    = state.SpaceTypes(permissions.Cloud)
	spaceStatuses = state.SpaceStatuses()
)
