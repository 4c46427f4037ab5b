package confluencesim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/openapicheck"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Accounts and groups of seeds/demo.json.
const (
	terraformID  = "63d2f0a1b2c3d4e5f6a7b8c9"
	aliceID      = "5b10ac8d82e05b22cc7d4ef5"
	bobID        = "5b10a2844c20165700ede21f"
	carolID      = "5c3f8e9a1b2d4e6f7a8b9c0d"
	usersGroupID = "8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f"
	engGroupID   = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
	hrGroupID    = "c4a8e2d6-7b1f-4c9e-8d3a-2f6b0e9c1d57"
)

var (
	asTerraform = basicAuth("terraform@example.com", "demo-token")
	asAlice     = basicAuth("alice@example.com", "alice-token")
	asBob       = basicAuth("bob@example.com", "bob-token")
	asCarol     = basicAuth("carol@example.com", "carol-token")
)

func basicAuth(email, token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(email+":"+token))
}

func op(s string) permissions.Operation {
	o, err := permissions.ParseOperation(s)
	if err != nil {
		panic(err)
	}
	return o
}

// harness is a simulator served on 127.0.0.1. Unless built with unchecked,
// every exchange is validated against the OpenAPI documents and the test
// fails on any violation: every behaviour test is a conformance test too.
type harness struct {
	t       *testing.T
	sim     *Server
	url     string
	checker *openapicheck.Checker
}

type harnessOption func(*harnessConfig)

type harnessConfig struct {
	seed    Seed
	opts    Options
	checked bool
}

// unchecked is for tests that call outside the spec on purpose (wrong
// methods, unknown paths).
func unchecked(c *harnessConfig) { c.checked = false }

func withSeed(s Seed) harnessOption       { return func(c *harnessConfig) { c.seed = s } }
func withOptions(o Options) harnessOption { return func(c *harnessConfig) { c.opts = o } }

func newHarness(t *testing.T, options ...harnessOption) *harness {
	t.Helper()
	cfg := harnessConfig{seed: DemoSeed(), checked: true}
	for _, o := range options {
		o(&cfg)
	}
	sim, err := New(cfg.seed, cfg.opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: sim}
	var handler http.Handler = sim
	if cfg.checked {
		h.checker = openapicheck.NewForTest(t, openapicheck.Options{AcceptRejectedRequests: true})
		handler = h.checker.Middleware(sim)
		t.Cleanup(func() {
			for _, v := range h.checker.Violations() {
				t.Errorf("OpenAPI violation: %s", v)
			}
		})
	}
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	h.url = ts.URL
	return h
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; body is JSON-encoded unless it is a string.
func (h *harness) do(auth, method, path string, body any) response {
	h.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, h.url+path, r)
	if err != nil {
		h.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

func (h *harness) get(auth, path string) response { return h.do(auth, http.MethodGet, path, nil) }

// decode unmarshals the body, failing the test on bad JSON.
func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	return v
}

// expect checks the status and returns the body for more checks.
func (r response) expect(t *testing.T, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// v1Message checks a v1 error envelope and returns its message.
func (r response) v1Message(t *testing.T) string {
	t.Helper()
	e := decode[cloud.V1ErrorBody](t, r)
	if e.StatusCode != r.status {
		t.Errorf("statusCode %d in a %d answer", e.StatusCode, r.status)
	}
	if e.Data.Errors == nil {
		t.Errorf("data.errors missing in %s", r.body)
	}
	return e.Message
}

// v2Error checks a v2 error envelope and returns its single error.
func (r response) v2Error(t *testing.T) cloud.V2Error {
	t.Helper()
	e := decode[cloud.V2ErrorBody](t, r)
	if len(e.Errors) != 1 || e.Errors[0].Status != r.status {
		t.Fatalf("v2 envelope %s for status %d", r.body, r.status)
	}
	return e.Errors[0]
}

func (h *harness) grants(key string) []Grant {
	h.t.Helper()
	gs, err := h.sim.Grants(key)
	if err != nil {
		h.t.Fatal(err)
	}
	return gs
}

// operationsOf lists what p holds in the space, as "key/target" strings.
func (h *harness) operationsOf(key string, p permissions.Principal) []string {
	var out []string
	for _, g := range h.grants(key) {
		if g.Principal == p {
			out = append(out, g.Operation.String())
		}
	}
	return out
}

func (h *harness) spaceID(key string) string {
	sp, ok := h.sim.Space(key)
	if !ok {
		h.t.Fatalf("no space %s", key)
	}
	return strconv.FormatInt(sp.ID, 10)
}

// joined lists one field of items, comma-separated, for compact
// comparisons.
func joined[T any](items []T, field func(T) string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = field(it)
	}
	return strings.Join(out, ",")
}

func permissionBody(subjectType, identifier, key, target string) map[string]any {
	return map[string]any{
		"subject":   map[string]string{"type": subjectType, "identifier": identifier},
		"operation": map[string]string{"key": key, "target": target},
	}
}
