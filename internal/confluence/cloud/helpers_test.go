package cloud

import (
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/testutil/scriptedhttp"
)

// exchange is one request the backend must send, exactly, and the answer
// the fake site gives it.
type exchange = scriptedhttp.Exchange

// site is what a fake site is beside its script.
type site struct {
	// prefix is a BaseURL path prefix, such as the gateway's
	// /ex/confluence/{cloudId}.
	prefix string
	// offSpec are the departures from Atlassian's documents that the
	// script's answers make on purpose (see specCheck).
	offSpec []string
}

// newBackend returns a backend talking to a fake site that expects exactly
// the script, in order, and checks every exchange against Atlassian's
// OpenAPI documents (spec_test.go).
func newBackend(t *testing.T, script ...exchange) *Backend {
	t.Helper()
	return newBackendOn(t, site{}, script...)
}

// newBackendOn is newBackend on a site that differs from the plain one.
func newBackendOn(t *testing.T, s site, script ...exchange) *Backend {
	t.Helper()
	fake := scriptedhttp.Start(t, scriptedhttp.Options{Prefix: s.prefix, Check: specCheck(t, s.offSpec)}, script...)
	api, err := transport.New(transport.Config{
		BaseURL:    fake.URL,
		Auth:       transport.Basic{User: "bot@example.com", Token: "test-token-123"},
		MaxRetries: -1, // the script must list every request; retries are the transport's tests
	})
	if err != nil {
		t.Fatal(err)
	}
	return New(api)
}
