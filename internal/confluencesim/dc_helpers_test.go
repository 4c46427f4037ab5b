package confluencesim

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Data Center identities of seeds/demo.json.
const (
	terraformKey = "4028800d98315ec60198315f45c00000"
	aliceKey     = "4028800d98315ec60198316a2b7e0001"
	bobKey       = "4028800d98315ec60198316a2b7e0002"
	carolKey     = "4028800d98315ec60198316a2b7e0003"
)

// On Data Center, Basic authentication sends username:password, where the
// seed's API token is the password, and the OAuth token is the PAT.
var (
	dcAsTerraform = basicAuth("terraform", "demo-token")
	dcAsAlice     = basicAuth("alice", "alice-token")
	dcAsBob       = basicAuth("bob", "bob-token")
	dcAsCarol     = basicAuth("carol", "carol-token")
	dcPAT         = "Bearer demo-oauth-token"
)

// newDCHarness serves the demo seed as Data Center 9.2.1 with the remote
// API on. There is no OpenAPI document for Data Center, so exchanges are not
// checked; the tests pin the shapes of the notes themselves.
func newDCHarness(t *testing.T, options ...harnessOption) *harness {
	t.Helper()
	return newHarness(t, append([]harnessOption{unchecked, withDCOptions(Options{RemoteAPI: true})}, options...)...)
}

func withDCOptions(o Options) harnessOption {
	o.Flavour = DataCenter
	return withOptions(o)
}

// dcMessage checks the JSON envelope of a Data Center REST resource's
// error and returns its message.
func (r response) dcMessage(t *testing.T) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q, want application/json", ct)
	}
	e := decode[datacenter.ErrorBody](t, r)
	if e.StatusCode != r.status || e.Reason != http.StatusText(r.status) || e.Data.Errors == nil {
		t.Errorf("envelope %s for status %d", r.body, r.status)
	}
	return e.Message
}

// dcXMLMessage checks the XML status body of what no Data Center resource
// answers (unknown paths, missing credentials, the remote API's paths) and
// returns its message.
func (r response) dcXMLMessage(t *testing.T) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Errorf("content type %q, want application/xml", ct)
	}
	var s datacenter.StatusBody
	if err := xml.Unmarshal(r.body, &s); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	if s.StatusCode != r.status {
		t.Errorf("status-code %d in a %d answer", s.StatusCode, r.status)
	}
	return s.Message
}

// pairs builds REST pairs from "targetType/operationKey" strings.
func pairs(specs ...string) []datacenter.OperationDescription {
	out := []datacenter.OperationDescription{}
	for _, s := range specs {
		target, key, _ := strings.Cut(s, "/")
		out = append(out, datacenter.OperationDescription{TargetType: target, OperationKey: key})
	}
	return out
}

func permissionsPathDC(key, subject string) string {
	p := "/rest/api/space/" + key + "/permissions"
	if subject != "" {
		p += "/" + subject
	}
	return p
}

// rowKeys renders permission rows as "subject operation" strings, subjects
// as user:KEY, group:NAME or anonymous, for compact comparisons.
func rowKeys(t *testing.T, r response) []string {
	t.Helper()
	var out []string
	for _, row := range decode[[]datacenter.PermissionRow](t, r) {
		subject := row.Subject.Type
		switch row.Subject.Type {
		case "user":
			subject += ":" + row.Subject.UserKey
		case "group":
			subject += ":" + row.Subject.Name
		}
		out = append(out, subject+" "+row.Operation.TargetType+"/"+row.Operation.OperationKey)
	}
	return out
}

// holds lists what p holds in the space as sorted "key/target" strings.
func (h *harness) holds(key string, p permissions.Principal) []string {
	ops := h.operationsOf(key, p)
	slices.Sort(ops)
	return ops
}

func sorted(ops ...string) []string {
	return slices.Sorted(slices.Values(ops))
}

// rpcReply is a JSON-RPC response of either kind.
type rpcReply struct {
	JSONRPC string               `json:"jsonrpc"`
	ID      json.RawMessage      `json:"id"`
	Result  json.RawMessage      `json:"result"`
	Error   *datacenter.RPCError `json:"error"`
}

// rpc calls a method through the envelope with id 1.
func (h *harness) rpc(auth, method string, params ...any) (response, rpcReply) {
	h.t.Helper()
	if params == nil {
		params = []any{}
	}
	r := h.do(auth, http.MethodPost, datacenter.RPCPath, map[string]any{"jsonrpc": "2.0", "method": method, "params": params, "id": 1})
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		return r, rpcReply{}
	}
	return r, decode[rpcReply](h.t, r)
}

// rpcOK calls a method and fails the test unless it answers a result.
func (h *harness) rpcOK(auth, method string, params ...any) json.RawMessage {
	h.t.Helper()
	r, reply := h.rpc(auth, method, params...)
	if r.status != http.StatusOK || reply.Error != nil || reply.JSONRPC != "2.0" || string(reply.ID) != "1" {
		h.t.Fatalf("%s: status %d, body %s", method, r.status, r.body)
	}
	return reply.Result
}
