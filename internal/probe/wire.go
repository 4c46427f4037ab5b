package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// flexString reads a JSON value that should be a string and remembers
// what it was, so that a check can report "ids are JSON numbers" rather
// than fail to decode.
type flexString struct {
	text string
	kind string // string, number, null, other; "" when absent
}

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		f.kind = "string"
		return json.Unmarshal(b, &f.text)
	case string(b) == "null":
		f.kind = "null"
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		f.kind, f.text = "number", string(b)
	default:
		f.kind, f.text = "other", ""
	}
	return nil
}

// idForm classifies an id: "decimal string", "other string", "JSON
// number", "null" or "missing".
func (f flexString) idForm() string {
	switch f.kind {
	case "string":
		if isDecimal(f.text) {
			return "decimal string"
		}
		return "non-decimal string"
	case "number":
		return "JSON number"
	case "null":
		return "null"
	case "":
		return "missing"
	}
	return "not a string or number"
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isKeyTarget reports whether a permission id has the legacy form
// key/target ("read/space").
func isKeyTarget(id string) bool {
	key, target, ok := strings.Cut(id, "/")
	return ok && key != "" && target != "" && !strings.Contains(target, "/")
}

// isLegacyCloudPair reports whether an id is one of the fourteen legacy
// Cloud permissions (contributing/confluence-api.md#permission-writes-v1).
func isLegacyCloudPair(id string) bool {
	op, err := permissions.ParseOperation(id)
	if err != nil {
		return false
	}
	info, ok := permissions.Lookup(op)
	return ok && info.Cloud
}

// maxListPages stops a list whose links never end.
const maxListPages = 200

// listResult is a cursor-paged list read in full, or as far as it went.
type listResult struct {
	items []json.RawMessage
	pages int
	// exchanges are the first page's answer and, when the list broke off
	// later, the answer that broke it.
	exchanges []Exchange
	// fail is the answer that ended the list early; nil when complete.
	fail *answer
	// reason says why the list is incomplete; "" when complete.
	reason string
}

func (l listResult) complete() bool { return l.reason == "" }

// listCursor reads every page of a Cloud v2 list: results, then
// _links.next, or the Link header's rel="next", joined by the transport as
// the provider joins them (contributing/confluence-api.md#cursor-paging).
func (r *run) listCursor(ctx context.Context, path string, q url.Values) listResult {
	var l listResult
	req := transport.Request{Method: http.MethodGet, Path: path, Query: q}
	seen := map[string]bool{}
	for page := 0; page < maxListPages; page++ {
		a := r.call(ctx, req, "")
		if page == 0 || a.res == nil {
			l.exchanges = append(l.exchanges, a.Exchange)
		}
		if a.res == nil {
			l.fail, l.reason = a, describeFailure(a)
			return l
		}
		var p struct {
			Results []json.RawMessage `json:"results"`
			Links   struct {
				Next string `json:"next"`
			} `json:"_links"`
		}
		if err := a.res.DecodeJSON(&p); err != nil {
			l.fail, l.reason = a, r.scrub.clean(err.Error())
			return l
		}
		l.pages++
		l.items = append(l.items, p.Results...)
		next := p.Links.Next
		if next == "" {
			next = linkNext(a.header)
		}
		if next == "" {
			return l
		}
		if seen[next] {
			l.reason = "the site sent the same next-page link twice"
			return l
		}
		seen[next] = true
		var err error
		if req, err = r.api.NextRequest(next); err != nil {
			l.reason = r.scrub.clean(err.Error())
			return l
		}
	}
	l.reason = fmt.Sprintf("the list did not end after %d pages", maxListPages)
	return l
}

// linkNext returns the target of a Link header's rel="next" entry.
func linkNext(h http.Header) string {
	for _, value := range h.Values("Link") {
		for _, part := range strings.Split(value, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok {
				continue
			}
			target = strings.TrimSpace(target)
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				name, v, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(name, "rel") && strings.EqualFold(strings.Trim(v, `"`), "next") {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}

// describeFailure says in a few words what a failed answer was.
func describeFailure(a *answer) string {
	if b := a.blocked(); b != "" {
		return b
	}
	msg := fmt.Sprintf("%d %s to %s", a.Status, http.StatusText(a.Status), a.Request)
	if a.Message != "" {
		msg += ": " + a.Message
	}
	return msg
}

// statusLine is "404 Not Found".
func statusLine(code int) string {
	if code == 0 {
		return "no answer"
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

// Error envelopes the record knows
// (contributing/confluence-api.md#cloud-error-bodies,
// contributing/confluence-api.md#data-center-error-bodies).
const (
	envV2       = "v2 list {errors: [{status, code, title, detail}]}"
	envV1       = "v1 envelope {statusCode, data, message}"
	envDC       = "Data Center envelope {statusCode, data, message, reason}"
	envGateway  = "gateway body {timestamp, status, error, message}"
	envCodeMsg  = "gateway body {code, message}"
	envXML      = "XML <status>"
	envHTML     = "HTML page"
	envEmpty    = "empty body"
	envJSONRPC  = "JSON-RPC error {jsonrpc, id, error}"
	envOther    = "other JSON"
	envNotJSON  = "not JSON"
	envNoAnswer = "no answer"
)

// shortEnvelope is an envelope's name without its field list.
func shortEnvelope(e string) string {
	if name, _, ok := strings.Cut(e, " {"); ok {
		return name
	}
	return e
}

// envelope names the error envelope of an answer.
func envelope(a *answer) string {
	body := bytes.TrimSpace(a.body)
	switch {
	case a.Status == 0:
		return envNoAnswer
	case len(body) == 0:
		return envEmpty
	case a.isHTML():
		return envHTML
	case body[0] == '<':
		if strings.HasPrefix(xmlShape(body), "XML <status>") {
			return envXML
		}
		return "XML " + xmlShape(body)
	case body[0] != '{':
		if body[0] == '[' {
			return "JSON array"
		}
		return envNotJSON
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return envNotJSON
	}
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("errors"):
		var items []map[string]json.RawMessage
		if json.Unmarshal(m["errors"], &items) == nil && len(items) > 0 {
			if _, ok := items[0]["code"]; ok {
				return envV2
			}
		}
		return envOther + " with errors"
	case has("jsonrpc", "error"):
		return envJSONRPC
	case has("statusCode", "message", "reason"):
		return envDC
	case has("statusCode", "message"):
		return envV1
	case has("timestamp", "status", "error"):
		return envGateway
	case has("code", "message"):
		return envCodeMsg
	}
	return envOther
}

// errorRequest is one GET of an error-bodies check, for an error whose body
// is on record.
type errorRequest struct {
	label string // names the answer in the check's answer
	path  string // as sent
	shown string // as the fact names it, when not path
}

// errorAnswer is an answer of an error-bodies check with its envelope.
type errorAnswer struct {
	*answer
	env string
}

// askForErrors sends the requests, states each answer's status and envelope
// as a fact and all of them, in short, as the check's answer. ok is false
// when the check failed instead: an answer that never came, or credentials
// refused, says nothing of the site's error bodies.
func (r *run) askForErrors(ctx context.Context, res *Result, reqs ...errorRequest) (got []errorAnswer, ok bool) {
	for _, q := range reqs {
		a := r.get(ctx, q.path, nil)
		res.Exchanges = append(res.Exchanges, a.Exchange)
		got = append(got, errorAnswer{answer: a})
	}
	for _, a := range got {
		if a.Status == 0 || a.Status == http.StatusUnauthorized {
			res.failed("%s", a.blocked())
			return nil, false
		}
	}
	summary := make([]string, len(got))
	for i, q := range reqs {
		a := &got[i]
		a.env = envelope(a.answer)
		shown := q.shown
		if shown == "" {
			shown = q.path
		}
		res.fact("GET "+shown, "%s, %s", statusLine(a.Status), a.env)
		summary[i] = fmt.Sprintf("%s: %d %s", q.label, a.Status, shortEnvelope(a.env))
	}
	res.answered("%s", strings.Join(summary, "; "))
	return got, true
}
