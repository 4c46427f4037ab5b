package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// Data Center paths, below the context path
// (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#the-json-rpc-remote-api).
const (
	dcSpace      = "/rest/api/space"
	dcServerInfo = "/rest/api/server-information"
	dcRPC        = "/rpc/json-rpc/confluenceservice-v2"
	dcNoRoute    = "/rest/api/nosuchroute"
)

const rpcGetServerInfo = `{"jsonrpc":"2.0","method":"getServerInfo","params":[],"id":1}`

func dcPermissionsPath(key string) string {
	return dcSpace + "/" + url.PathEscape(key) + "/permissions"
}

// setupDCSpaces looks the named spaces up, or lists the first global ones.
func (r *run) setupDCSpaces(ctx context.Context) {
	ctx = withCheck(ctx, "setup")
	if len(r.cfg.Spaces) > 0 {
		r.lookUpNamedSpaces(ctx, dcLookup)
		return
	}
	found, fail, err := r.listFirstSpaces(ctx, dcSpace)
	switch {
	case fail != "":
		r.setupFailure = fail
	case err != nil:
		r.setupFailure = r.scrub.clean(err.Error())
	default:
		r.spaces = found
	}
}

// checkServerInformation asks GET /rest/api/server-information
// (contributing/confluence-api.md#server-information-since-91).
func checkServerInformation(ctx context.Context, r *run, res *Result) {
	a := r.get(ctx, dcServerInfo, nil)
	if !res.record(a) {
		return
	}
	switch {
	case a.res != nil && a.isHTML():
		res.answered("an HTML page (%s)", a.Shape)
		res.mean("A login page or single sign-on stands in front of the REST API: the provider's requests would meet the same page.")
	case a.res != nil:
		var info struct {
			Version     string     `json:"version"`
			BuildNumber flexString `json:"buildNumber"`
		}
		if err := a.res.DecodeJSON(&info); err != nil || info.Version == "" {
			res.answered("%s without a version (shape %s)", statusLine(a.Status), a.Shape)
			res.mean("The answer names no version: the provider cannot choose its API from it. Please report it.")
			return
		}
		r.dcVersion = info.Version
		res.fact("version", "%s", info.Version)
		res.fact("buildNumber", "%s", orUnknown(info.BuildNumber.text))
		res.answered("version %s", info.Version)
		if atLeast(info.Version, 9, 1) {
			res.mean("9.1 or later: the provider uses the REST permission API, and the simulator serves this endpoint from 9.1 on, as the javadoc (Since 9.1.0) says.")
		} else {
			res.mean("A version before 9.1 that serves server information: this contradicts the javadoc (Since 9.1.0) and supports onyx's claim; the simulator answers 404 below 9.1. Please report it.")
		}
	case a.Status == http.StatusNotFound:
		res.answered("404: no server information")
		res.mean("A version before 9.1 (the javadoc says Since 9.1.0), or an address without the context path. With data_center_api unset the provider then uses the remote API; the remote-api check says whether it is on and which version it is.")
	default:
		res.answered("%s", statusLine(a.Status))
		res.mean("An answer the record does not list: the provider reports it and names the setting that skips the check (data_center_api).")
	}
}

// rpcAnswer is a JSON-RPC 2.0 answer.
type rpcAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	} `json:"error"`
}

// checkRemoteAPI calls the remote API's getServerInfo
// (contributing/confluence-api.md#the-json-rpc-remote-api,
// contributing/confluence-api.md#remote-api-switched-off,
// contributing/confluence-api.md#websudo).
func checkRemoteAPI(ctx context.Context, r *run, res *Result) {
	a := r.rpc(ctx, rpcGetServerInfo)
	res.Exchanges = append(res.Exchanges, a.Exchange)
	switch {
	case a.unreachable():
		res.failed("%s", a.blocked())
		return
	case a.Status == http.StatusUnauthorized:
		res.answered("401: switched off, or the credentials refused")
		if r.othersSucceeded() {
			res.mean("Other requests of this run succeeded with the same credentials, so the remote API is most likely switched off (onyx reports 401 for that). The provider explains a 401 from the remote API as \"switched off or wrong credentials\"; the simulator's default (RemoteAPIOffStatus 401) plays this site.")
		} else {
			res.mean("No other request succeeded either: the credentials may be wrong (see the credentials check).")
		}
		return
	case a.Status == http.StatusNotFound:
		res.answered("404: switched off, or no remote API at this address")
		res.mean("gustavebbers/terraform-provider-confluence-dc reports 404 (or 405) for a switched-off remote API; it is also the answer of an address without the context path. The simulator plays it with RemoteAPIOffStatus 404.")
		return
	case a.isHTML():
		res.answered("an HTML page (%s)", a.Shape)
		res.mean("An HTML page instead of JSON: secure administrator sessions (WebSudo) or a login page intercept the remote API (contributing/confluence-api.md#websudo).")
		return
	case a.res == nil:
		res.answered("%s", statusLine(a.Status))
		res.mean("An answer the record does not list for the remote API: please report it.")
		return
	}
	var ans rpcAnswer
	if err := a.decode(&ans); err != nil {
		res.answered("%s with an unreadable body (%s)", statusLine(a.Status), a.Shape)
		return
	}
	if ans.Error != nil {
		res.answered("JSON-RPC error: %s", ans.Error.Message)
		res.mean("The remote API is on but refused getServerInfo: please report it.")
		return
	}
	var info struct {
		MajorVersion *int `json:"majorVersion"`
		MinorVersion *int `json:"minorVersion"`
		PatchLevel   *int `json:"patchLevel"`
	}
	if json.Unmarshal(ans.Result, &info) != nil || info.MajorVersion == nil || info.MinorVersion == nil {
		res.answered("on, but getServerInfo answered without majorVersion and minorVersion (%s)", a.Shape)
		res.mean("The provider cannot read the version from this answer: please report it.")
		return
	}
	version := fmt.Sprintf("%d.%d", *info.MajorVersion, *info.MinorVersion)
	if info.PatchLevel != nil {
		version += fmt.Sprintf(".%d", *info.PatchLevel)
	}
	res.fact("version", "%s", version)
	res.answered("on: version %s", version)
	if r.dcVersion != "" && !strings.HasPrefix(r.dcVersion, version) && !strings.HasPrefix(version, r.dcVersion) {
		res.mean("server-information says %s, the remote API %s: please report it.", r.dcVersion, version)
	}
	res.mean("The remote API is on: the provider can manage permissions through it on versions before 9.1.")
	r.checkRemotePermissionRead(ctx, res)
}

// checkRemotePermissionRead calls getSpacePermissionSets, a read, to see
// whether permission methods meet WebSudo where getServerInfo did not.
func (r *run) checkRemotePermissionRead(ctx context.Context, res *Result) {
	if len(r.spaces) == 0 {
		return
	}
	body := fmt.Sprintf(`{"jsonrpc":"2.0","method":"getSpacePermissionSets","params":[%q],"id":2}`, r.spaces[0].key)
	a := r.rpc(ctx, body)
	res.Exchanges = append(res.Exchanges, a.Exchange)
	var ans rpcAnswer
	switch {
	case a.isHTML():
		res.fact("getSpacePermissionSets("+r.spaces[0].key+")", "an HTML page (%s)", a.Shape)
		res.mean("Permission methods answer an HTML page while getServerInfo answers JSON: secure administrator sessions (WebSudo) are on, and the provider's remote API writes would meet them (contributing/confluence-api.md#websudo).")
	case a.res == nil:
		res.fact("getSpacePermissionSets("+r.spaces[0].key+")", "%s", describeFailure(a))
	case a.decode(&ans) != nil:
		res.fact("getSpacePermissionSets("+r.spaces[0].key+")", "unreadable (%s)", a.Shape)
	case ans.Error != nil:
		res.fact("getSpacePermissionSets("+r.spaces[0].key+")", "JSON-RPC error: %s", ans.Error.Message)
	default:
		res.fact("getSpacePermissionSets("+r.spaces[0].key+")", "JSON (%s)", a.Shape)
		res.mean("Permission methods answer JSON too: no WebSudo in the way.")
	}
}

func (r *run) rpc(ctx context.Context, body string) *answer {
	return r.call(ctx, transport.Request{
		Method: http.MethodPost, Path: dcRPC, RawBody: []byte(body), ContentType: "application/json",
		Idempotent: true, // getServerInfo and getSpacePermissionSets only read
	}, body)
}

// othersSucceeded reports whether any request of the run so far had a 2xx
// answer.
func (r *run) othersSucceeded() bool {
	for _, e := range r.rec.entries() {
		if e.status >= 200 && e.status < 300 {
			return true
		}
	}
	return false
}

// dcRows reads the rows of a Data Center permission read: a flat array of
// rows, or an object holding them.
type dcRows struct {
	kind string // "flat array", "object {operations: [...]}", "object {results: [...]}", other
	rows []map[string]json.RawMessage
	ops  []string // operationKey/targetType of each row
}

func readDCRows(body []byte) (dcRows, error) {
	body = bytes.TrimSpace(body)
	var out dcRows
	if len(body) == 0 {
		return out, fmt.Errorf("empty body")
	}
	var items []json.RawMessage
	switch body[0] {
	case '[':
		out.kind = "flat array"
		if err := json.Unmarshal(body, &items); err != nil {
			return out, err
		}
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return out, err
		}
		switch {
		case m["operations"] != nil:
			out.kind = "object {operations: [...]}"
			if err := json.Unmarshal(m["operations"], &items); err != nil {
				return out, err
			}
		case m["results"] != nil:
			out.kind = "object {results: [...]}"
			if err := json.Unmarshal(m["results"], &items); err != nil {
				return out, err
			}
		default:
			out.kind = "object without rows"
		}
	default:
		return out, fmt.Errorf("not JSON")
	}
	for _, it := range items {
		var row map[string]json.RawMessage
		if json.Unmarshal(it, &row) != nil {
			continue
		}
		out.rows = append(out.rows, row)
		op := row
		if raw, ok := row["operation"]; ok {
			_ = json.Unmarshal(raw, &op)
		}
		var key, target string
		_ = json.Unmarshal(op["operationKey"], &key)
		_ = json.Unmarshal(op["targetType"], &target)
		out.ops = append(out.ops, key+"/"+target)
	}
	return out, nil
}

// Kinds of subject subjectForm tells apart.
const (
	subjectNamed     = ""
	subjectAnonymous = "anonymous"
	// subjectNameless has a type but no name: anonymous, or the "all
	// users" subject, which the remote API is reported to send with both
	// names null (contributing/confluence-api.md#anonymous-on-data-center).
	subjectNameless = "nameless"
)

// subjectForm describes a row's subject by its field names, such as
// "user {type, userKey}", "no subject" or "user {name=null, type,
// userKey=null}", and says whether it is anonymous in a form the provider
// reads (no subject, or type anonymous) or has no name at all
// (contributing/confluence-api.md#anonymous-on-data-center).
func subjectForm(row map[string]json.RawMessage) (form, kind string) {
	raw, ok := row["subject"]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return "no subject", subjectAnonymous
	}
	var subject map[string]json.RawMessage
	if json.Unmarshal(raw, &subject) != nil {
		return "subject not an object", subjectNamed
	}
	var typ string
	_ = json.Unmarshal(subject["type"], &typ)
	var fields []string
	named := false
	for _, k := range sortedKeys(subject) {
		v := string(bytes.TrimSpace(subject[k]))
		if v == "null" {
			fields = append(fields, k+"=null")
			continue
		}
		fields = append(fields, k)
		if k != "type" {
			named = true
		}
	}
	label := typ
	if label == "" {
		label = "(no type)"
	}
	form = label + " {" + strings.Join(fields, ", ") + "}"
	switch {
	case strings.EqualFold(typ, "anonymous"):
		return form, subjectAnonymous
	case !named:
		return form, subjectNameless
	}
	return form, subjectNamed
}

// checkPermissionsShape reads the REST permission lists and the anonymous
// read (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#anonymous-on-data-center).
func checkPermissionsShape(ctx context.Context, r *run, res *Result) {
	if !r.needSpaces(res) {
		return
	}
	kinds := map[string]int{}
	forms := map[string]int{}
	anonInList, nameless := 0, 0
	absent, read := 0, 0
	var anonKinds []string
	anonOps := 0
	for _, s := range r.spaces {
		a := r.get(ctx, dcPermissionsPath(s.key), nil)
		if !res.record(a) {
			return
		}
		if a.res == nil {
			res.fact(s.key, "%s", describeFailure(a))
			if a.Status == http.StatusNotFound && envelope(a) == envXML {
				// An unknown route: no space will have it.
				absent++
				break
			}
			if a.Status == http.StatusInternalServerError {
				res.mean("A 500 on a permission read is what Data Center answers an account that is not admin of the space (CONFSERVER-99908).")
			}
			continue
		}
		rows, err := readDCRows(a.body)
		if err != nil {
			res.fact(s.key, "unreadable: %v (%s)", err, a.Shape)
			continue
		}
		read++
		kinds[rows.kind]++
		n := 0
		for _, row := range rows.rows {
			f, kind := subjectForm(row)
			forms[f]++
			switch kind {
			case subjectAnonymous:
				n++
			case subjectNameless:
				nameless++
			}
		}
		anonInList += n
		an := r.get(ctx, dcPermissionsPath(s.key)+"/anonymous", nil)
		res.Exchanges = append(res.Exchanges, an.Exchange)
		anonDesc := describeFailure(an)
		if an.res != nil {
			if ar, err := readDCRows(an.body); err == nil {
				anonDesc = fmt.Sprintf("%s with %d operation(s)", ar.kind, len(ar.ops))
				if !slices.Contains(anonKinds, ar.kind) {
					anonKinds = append(anonKinds, ar.kind)
				}
				anonOps += len(ar.ops)
			}
		}
		res.fact(s.key, "%s of %d row(s), %d anonymous; /anonymous: %s", rows.kind, len(rows.rows), n, anonDesc)
	}
	if read == 0 {
		if absent > 0 {
			res.answered("no REST permission API (404)")
			res.mean("The REST space permission API exists from 9.1 (javadoc Since 9.1.0): this site is older, or the address lacks the context path. The provider then uses the remote API.")
			return
		}
		res.failed("no permission list could be read")
		return
	}
	res.fact("top level", "%s", countList(kinds))
	res.fact("subjects", "%s", countList(forms))
	if len(anonKinds) > 0 {
		res.fact("anonymous read", "%s", strings.Join(anonKinds, "; "))
	}
	var parts []string
	parts = append(parts, strings.Join(sortedKeys(kinds), ", "))
	parts = append(parts, sortedKeys(forms)...)
	res.answered("%s", strings.Join(parts, "; "))
	if kinds["flat array"] == read {
		res.mean("One flat array of rows, as CONFSERVER-100505 shows.")
	} else {
		res.mean("Not one flat array on every space, unlike CONFSERVER-100505: please report it.")
	}
	for f := range forms {
		switch {
		case strings.HasPrefix(f, "user ") && !strings.Contains(f, "userKey"):
			res.mean("User subjects without userKey (%s): the provider matches users by userKey and would not recognise these.", f)
		case strings.HasPrefix(f, "group ") && !strings.Contains(f, "name"):
			res.mean("Group subjects without name (%s): the provider matches groups by name.", f)
		}
	}
	if nameless > 0 {
		res.mean("%d row(s) have a subject with a type but no name: anonymous, or the \"all users\" subject reported for the remote API. The provider reads them as anonymous, which would be wrong for \"all users\": please report which they are.", nameless)
	}
	switch {
	case anonInList > 0:
		res.mean("Anonymous grants appear in the whole-space list (%d row(s)); the forms are listed under subjects. The simulator writes {type: anonymous}.", anonInList)
	case anonOps > 0:
		res.mean("Anonymous grants do not appear in the whole-space list but the /anonymous read shows %d: the provider asks /anonymous when the list has no anonymous row, so it still finds them.", anonOps)
	default:
		res.mean("No space read grants anonymous access, so how anonymous rows look stays open: name a space with anonymous access with -space KEY, or run the write check on a sandbox space.")
	}
}

// checkDCErrorBodies asks for a REST resource's error and an unknown
// route's (contributing/confluence-api.md#data-center-error-bodies).
func checkDCErrorBodies(ctx context.Context, r *run, res *Result) {
	got, ok := r.askForErrors(ctx, res,
		errorRequest{label: "missing space", path: dcPermissionsPath(noSuchKey)},
		errorRequest{label: "unknown route", path: dcNoRoute})
	if !ok {
		return
	}
	missing, unknown := got[0], got[1]
	switch {
	case missing.env == envDC:
		res.mean("A REST resource answers the JSON envelope, as recorded on a real server; the simulator does the same on its REST resources.")
	case missing.env == envXML && strings.Contains(missing.Message, "null for uri"):
		res.mean("The permission path is an unknown route here (\"null for uri\"): no REST permission API, so before 9.1.")
	default:
		res.mean("A REST resource's error is not the recorded JSON envelope: the provider reads the XML and JSON envelopes, please report this one.")
	}
	if unknown.env == envXML && strings.Contains(unknown.Message, "null for uri") {
		res.mean("An unknown route answers Jersey's XML \"null for uri\", as recorded (atlassian-python-api#882).")
	} else {
		res.mean("An unknown route does not answer Jersey's XML \"null for uri\", unlike the record: please report it.")
	}
}

// atLeast compares a version "9.2.1" with major.minor.
func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}
