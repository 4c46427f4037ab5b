package datacenter

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/testutil/scriptedhttp"
)

// contextPath is where the fake Data Center lives, as most installations
// do: every request must keep it.
const contextPath = "/confluence"

// exchange is one request a backend must send, exactly, and the answer the
// fake Data Center gives it.
type exchange = scriptedhttp.Exchange

// newAPI returns a transport for a fake Data Center that expects exactly
// the script, in order, configured as connect configures it.
func newAPI(t *testing.T, script ...exchange) *transport.API {
	t.Helper()
	return newAPIWith(t, nil, script...)
}

// newAPIWith is newAPI with a chance to change the transport configuration.
func newAPIWith(t *testing.T, configure func(*transport.Config), script ...exchange) *transport.API {
	t.Helper()
	dc := scriptedhttp.Start(t, scriptedhttp.Options{Prefix: contextPath, Check: requireXSRFToken}, script...)
	cfg := transport.Config{
		BaseURL:           dc.URL,
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

// requireXSRFToken fails a write without X-Atlassian-Token: no-check, which
// Data Center refuses (contributing/confluence-api.md).
func requireXSRFToken(t testing.TB, s scriptedhttp.Served) {
	if xsrf := s.Request.Header.Get("X-Atlassian-Token"); s.Request.Method != http.MethodGet && xsrf != "no-check" {
		t.Errorf("%s: X-Atlassian-Token %q, want no-check", s, xsrf)
	}
}

func newREST(t *testing.T, script ...exchange) *RESTBackend {
	t.Helper()
	return NewREST(newAPI(t, script...))
}

func newRPC(t *testing.T, script ...exchange) *RPCBackend {
	t.Helper()
	return NewRPC(newAPI(t, script...))
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
