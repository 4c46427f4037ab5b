package datacenter

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// contextPath is where the fake Data Center lives, as most installations
// do: every request must keep it.
const contextPath = "/confluence"

// exchange is one request a backend must send, exactly, and the answer the
// fake Data Center gives it.
type exchange struct {
	method string
	path   string     // escaped, below the context path
	query  url.Values // exact; nil means none
	body   string     // expected JSON body; "" means none
	status int        // 0 means 200
	ctype  string     // answer Content-Type; "" means application/json
	answer string
}

// fakeDC serves a script of exchanges in order and fails the test on any
// difference, including a missing X-Atlassian-Token on a write.
type fakeDC struct {
	t      *testing.T
	mu     sync.Mutex
	script []exchange
	served int
}

// newAPI returns a transport for a fake Data Center that expects exactly
// the script, in order, configured as connect configures it.
func newAPI(t *testing.T, script ...exchange) *transport.Client {
	t.Helper()
	return newAPIWith(t, nil, script...)
}

// newAPIWith is newAPI with a chance to change the transport configuration.
func newAPIWith(t *testing.T, configure func(*transport.Config), script ...exchange) *transport.Client {
	t.Helper()
	f := &fakeDC{t: t, script: script}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Cleanup(f.checkAllServed)
	cfg := transport.Config{
		BaseURL:           srv.URL + contextPath,
		Auth:              transport.Basic{User: "admin", Token: "s3cret-password"},
		MaxRetries:        -1, // the script lists every request; retries are the transport's tests
		ExtraWriteHeaders: WriteHeaders(),
	}
	if configure != nil {
		configure(&cfg)
	}
	api, err := transport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func newREST(t *testing.T, script ...exchange) *RESTBackend {
	t.Helper()
	return NewREST(newAPI(t, script...))
}

func newRPC(t *testing.T, script ...exchange) *RPCBackend {
	t.Helper()
	return NewRPC(newAPI(t, script...))
}

func (f *fakeDC) checkAllServed() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.served != len(f.script) {
		f.t.Errorf("the backend sent %d of the %d expected requests; next expected: %s %s",
			f.served, len(f.script), f.script[f.served].method, f.script[f.served].path)
	}
}

func (f *fakeDC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := f.t
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	if f.served >= len(f.script) {
		f.mu.Unlock()
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	want := f.script[f.served]
	f.served++
	n := f.served
	f.mu.Unlock()

	if got, wantPath := r.URL.EscapedPath(), contextPath+want.path; r.Method != want.method || got != wantPath {
		t.Errorf("request %d: got %s %s, want %s %s", n, r.Method, got, want.method, wantPath)
	}
	if got := r.URL.Query(); !(len(got) == 0 && len(want.query) == 0) && !reflect.DeepEqual(got, want.query) {
		t.Errorf("request %d (%s %s): query %v, want %v", n, r.Method, want.path, got, want.query)
	}
	xsrf := r.Header.Get("X-Atlassian-Token")
	if r.Method != http.MethodGet && xsrf != "no-check" {
		t.Errorf("request %d (%s %s): X-Atlassian-Token %q, want no-check", n, r.Method, want.path, xsrf)
	}
	checkJSONBody(t, want, body, r.Header.Get("Content-Type"))

	ctype := want.ctype
	if ctype == "" {
		ctype = "application/json"
	}
	w.Header().Set("Content-Type", ctype)
	status := want.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, want.answer)
}

func checkJSONBody(t *testing.T, want exchange, body []byte, contentType string) {
	t.Helper()
	if want.body == "" {
		if len(body) != 0 {
			t.Errorf("%s %s: unexpected body %s", want.method, want.path, body)
		}
		return
	}
	if contentType != "application/json" {
		t.Errorf("%s %s: Content-Type %q", want.method, want.path, contentType)
	}
	var got, expected any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Errorf("%s %s: body is not JSON: %s", want.method, want.path, body)
	}
	if err := json.Unmarshal([]byte(want.body), &expected); err != nil {
		t.Fatalf("bad expectation %s: %v", want.body, err)
	}
	if !reflect.DeepEqual(got, expected) {
		t.Errorf("%s %s: body\n%s\nwant\n%s", want.method, want.path, body, want.body)
	}
}

// logLines records debug lines.
type logLines struct {
	mu    sync.Mutex
	lines []map[string]any
}

func (l *logLines) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entry := map[string]any{"msg": msg}
	for k, v := range fields {
		entry[k] = v
	}
	l.lines = append(l.lines, entry)
}

func (l *logLines) all() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]map[string]any(nil), l.lines...)
}

// withRetries lets the transport retry once, without waiting.
func withRetries(cfg *transport.Config) {
	cfg.MaxRetries = 1
	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
}
