package cloud

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// exchange is one request the backend must send, exactly, and the answer
// the fake site gives it.
type exchange struct {
	method string
	path   string     // escaped, below the BaseURL prefix
	query  url.Values // exact; nil means none
	body   string     // expected JSON body; "" means none
	status int        // 0 means 200
	header http.Header
	answer string
}

// fakeCloud serves a script of exchanges in order, fails the test on any
// difference, and checks every request against the published OpenAPI
// documents.
type fakeCloud struct {
	t      *testing.T
	prefix string
	mu     sync.Mutex
	script []exchange
	served int
}

// newBackend returns a backend talking to a fake site that expects exactly
// the script, in order.
func newBackend(t *testing.T, script ...exchange) *Backend {
	return newBackendWithPrefix(t, "", script...)
}

// newBackendWithPrefix is newBackend behind a BaseURL path prefix, such as
// the gateway's /ex/confluence/{cloudId}.
func newBackendWithPrefix(t *testing.T, prefix string, script ...exchange) *Backend {
	t.Helper()
	f := &fakeCloud{t: t, prefix: prefix, script: script}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.served != len(f.script) {
			t.Errorf("the backend sent %d of the %d expected requests; next expected: %s %s",
				f.served, len(f.script), f.script[f.served].method, f.script[f.served].path)
		}
	})
	api, err := transport.New(transport.Config{
		BaseURL:    srv.URL + prefix,
		Auth:       transport.Basic{User: "bot@example.com", Token: "test-token-123"},
		MaxRetries: -1, // the script must list every request; retries are the transport's tests
	})
	if err != nil {
		t.Fatal(err)
	}
	return New(api)
}

func (f *fakeCloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	f.mu.Unlock()

	path := r.URL.EscapedPath()
	if got, wantPath := path, f.prefix+want.path; r.Method != want.method || got != wantPath {
		t.Errorf("request %d: got %s %s, want %s %s", f.served, r.Method, got, want.method, wantPath)
	}
	if got := r.URL.Query(); !(len(got) == 0 && len(want.query) == 0) && !reflect.DeepEqual(got, want.query) {
		t.Errorf("request %d (%s %s): query %v, want %v", f.served, r.Method, want.path, got, want.query)
	}
	checkJSONBody(t, want, body, r.Header.Get("Content-Type"))

	status := want.status
	if status == 0 {
		status = http.StatusOK
	}
	header := http.Header{"Content-Type": {"application/json"}}
	for k, v := range want.header {
		header[k] = v
	}
	checkAgainstSpec(t, r, want.path, body, status, header, []byte(want.answer))
	for k, v := range header {
		w.Header()[k] = v
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
		t.Errorf("%s %s: body %s, want %s", want.method, want.path, body, want.body)
	}
}
