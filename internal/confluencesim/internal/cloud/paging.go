package cloud

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// v2 cursor paging (contributing/confluence-api.md#cursor-paging): limit
// defaults to 25 and must be 1..250; the next page is reached through
// _links.next, a site-relative URL carrying an opaque cursor.
const (
	defaultPageLimit = 25
	maxPageLimit     = 250
)

// badParam is a query parameter v2 refuses with 400.
type badParam struct {
	title, detail string
}

func writeBadParam(w http.ResponseWriter, p *badParam) {
	writeV2Error(w, http.StatusBadRequest, v2Code(http.StatusBadRequest), p.title, p.detail)
}

// UNVERIFIED (contributing/confluence-api.md#cursor-paging): the record quotes
// no invalid-limit answer; chose the wording of the real invalid-cursor answer
// below.
func invalidParam(name, detail string) *badParam {
	return &badParam{title: fmt.Sprintf("Provided value for '%s' is not valid.", name), detail: detail}
}

// invalidCursor is a real answer to a bad cursor (PipedreamHQ/pipedream#15776).
var invalidCursor = &badParam{
	title:  "Provided value for 'cursor' is not the correct type. Expected type is Cursor.",
	detail: "The provided cursor was not valid. You can get a new valid cursor by making the original pagination request again.",
}

func parseLimit(q url.Values) (int, *badParam) {
	raw := q.Get("limit")
	if raw == "" {
		return defaultPageLimit, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPageLimit {
		return 0, invalidParam("limit", fmt.Sprintf("limit must be an integer from 1 to %d, got %q", maxPageLimit, raw))
	}
	return n, nil
}

// pageQuery is the cursor and limit of a v2 list request.
type pageQuery struct {
	limit int
	after int64 // sequence number the cursor resumes after; 0 for the first page
}

func parsePageQuery(q url.Values) (pageQuery, *badParam) {
	limit, bad := parseLimit(q)
	if bad != nil {
		return pageQuery{}, bad
	}
	_, after, _, bad := decodeCursor(q)
	return pageQuery{limit: limit, after: after}, bad
}

// CursorPosition is where a page ended. Like Cloud's cursors (a recorded one
// decodes to {"id":"7405570"}) it is base64 JSON naming the
// last item; key and name are there when the list is sorted by them.
type CursorPosition struct {
	ID   string `json:"id"`
	Key  string `json:"key,omitempty"`
	Name string `json:"name,omitempty"`
}

// EncodeCursor renders a cursor parameter.
func EncodeCursor(p CursorPosition) string {
	data, _ := json.Marshal(p) // strings only: cannot fail
	return base64.StdEncoding.EncodeToString(data)
}

// decodeCursor reads the cursor parameter; ok is false when there is none.
func decodeCursor(q url.Values) (pos CursorPosition, id int64, ok bool, bad *badParam) {
	raw := q.Get("cursor")
	if raw == "" {
		return CursorPosition{}, 0, false, nil
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || json.Unmarshal(data, &pos) != nil {
		return CursorPosition{}, 0, false, invalidCursor
	}
	id, err = strconv.ParseInt(pos.ID, 10, 64)
	if err != nil {
		return CursorPosition{}, 0, false, invalidCursor
	}
	return pos, id, true, nil
}

// nextLink is the site-relative URL of the next page: cursor and limit, then
// the request's other parameters. Array parameters arrive here in the form
// the site reads them (see carriedArray): one comma-joined value, or one
// value each (keys=A&keys=B).
func nextLink(path, cursor string, limit int, carry url.Values) string {
	var b strings.Builder
	b.WriteString(path)
	b.WriteString("?cursor=")
	b.WriteString(url.QueryEscape(cursor))
	b.WriteString("&limit=")
	b.WriteString(strconv.Itoa(limit))
	if len(carry) > 0 {
		b.WriteString("&")
		b.WriteString(carry.Encode())
	}
	return b.String()
}

// linkHeader renders the documented Link header of v2 lists
// (contributing/confluence-api.md#cursor-paging):
// `<next>; rel="next", <base>; rel="base"`.
func linkHeader(next, base string) string {
	if next == "" {
		return fmt.Sprintf("<%s>; rel=\"base\"", base)
	}
	return fmt.Sprintf("<%s>; rel=\"next\", <%s>; rel=\"base\"", next, base)
}
