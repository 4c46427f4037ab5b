package setup

import (
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func ptr[T any](v T) *T { return &v }

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestResolve(t *testing.T) {
	basic := env("CONFLUENCE_USER", "me@example.com", "CONFLUENCE_API_TOKEN", "secret")
	tests := []struct {
		name       string
		given      func(g *Given)
		getenv     func(string) string
		check      func(t *testing.T, s Settings)
		wantErrors []string // each must appear in one problem (attr + env var named)
	}{
		{
			name:   "cloud from environment, deployment inferred, /wiki stripped",
			getenv: env("CONFLUENCE_URL", "https://acme.atlassian.net/wiki/", "CONFLUENCE_USER", "me@example.com", "CONFLUENCE_API_TOKEN", "secret"),
			check: func(t *testing.T, s Settings) {
				if s.URL.String() != "https://acme.atlassian.net" || s.Deployment != permissions.Cloud {
					t.Errorf("got %s %q", s.URL, s.Deployment)
				}
				if s.RequestTimeout != transport.DefaultTimeout || s.MaxRetries != transport.DefaultMaxRetries || s.MaxConcurrency != transport.DefaultMaxConcurrency {
					t.Errorf("defaults not applied: %v %d %d", s.RequestTimeout, s.MaxRetries, s.MaxConcurrency)
				}
			},
		},
		{
			name:   "gateway url means cloud",
			given:  func(g *Given) { g.URL = ptr("https://api.atlassian.com/ex/confluence/abc-123") },
			getenv: env("CONFLUENCE_TOKEN", "oauth"),
			check: func(t *testing.T, s Settings) {
				if s.Deployment != permissions.Cloud || s.Token != "oauth" {
					t.Errorf("got %q token=%q", s.Deployment, s.Token)
				}
			},
		},
		{
			name:   "other hosts are Data Center; block overrides environment",
			given:  func(g *Given) { g.URL = ptr("https://wiki.example.com/confluence") },
			getenv: env("CONFLUENCE_URL", "https://ignored.example.com", "CONFLUENCE_TOKEN", "pat", "CONFLUENCE_REQUEST_TIMEOUT", "15s", "CONFLUENCE_MAX_RETRIES", "2", "CONFLUENCE_MAX_CONCURRENCY", "4"),
			check: func(t *testing.T, s Settings) {
				if s.URL.String() != "https://wiki.example.com/confluence" || s.Deployment != permissions.DataCenter {
					t.Errorf("got %s %q", s.URL, s.Deployment)
				}
				if s.RequestTimeout != 15*time.Second || s.MaxRetries != 2 || s.MaxConcurrency != 4 {
					t.Errorf("got %v %d %d", s.RequestTimeout, s.MaxRetries, s.MaxConcurrency)
				}
			},
		},
		{
			name: "explicit deployment",
			given: func(g *Given) {
				g.URL = ptr("http://127.0.0.1:8090")
				g.Deployment = ptr("DataCenter")
			},
			getenv: basic,
			check: func(t *testing.T, s Settings) {
				if s.Deployment != permissions.DataCenter {
					t.Errorf("got %q", s.Deployment)
				}
			},
		},
		{
			name:   "data center api",
			given:  func(g *Given) { g.URL = ptr("https://wiki.example.com") },
			getenv: env("CONFLUENCE_TOKEN", "pat", "CONFLUENCE_DATA_CENTER_API", "RPC"),
			check: func(t *testing.T, s Settings) {
				if s.DataCenterAPI != "rpc" {
					t.Errorf("got %q", s.DataCenterAPI)
				}
			},
		},
		{
			name: "data center api on cloud, and a bad one",
			given: func(g *Given) {
				g.URL = ptr("https://acme.atlassian.net")
				g.DataCenterAPI = ptr("rest")
			},
			getenv:     basic,
			wantErrors: []string{`data_center_api (or the CONFLUENCE_DATA_CENTER_API environment variable) is "rest", but the site is Confluence Cloud`},
		},
		{
			name: "unknown data center api",
			given: func(g *Given) {
				g.URL = ptr("https://wiki.example.com")
				g.DataCenterAPI = ptr("soap")
			},
			getenv:     basic,
			wantErrors: []string{`it must be "rest"`},
		},
		{
			name: "data center deployment with a cloud address",
			given: func(g *Given) {
				g.URL = ptr("https://acme.atlassian.net")
				g.Deployment = ptr("datacenter")
			},
			getenv: basic,
			wantErrors: []string{`deployment (or the CONFLUENCE_DEPLOYMENT environment variable) is "datacenter", but url (or the CONFLUENCE_URL environment variable) is "https://acme.atlassian.net"`,
				`set deployment (or the CONFLUENCE_DEPLOYMENT environment variable) to "cloud"`},
		},
		{
			name: "data center deployment with the gateway address",
			given: func(g *Given) {
				g.URL = ptr("https://api.atlassian.com/ex/confluence/abc-123")
				g.Deployment = ptr("datacenter")
			},
			getenv:     env("CONFLUENCE_TOKEN", "t"),
			wantErrors: []string{`an Atlassian Cloud address`},
		},
		{
			name:       "password in the url",
			given:      func(g *Given) { g.URL = ptr("http://me:secret@wiki.example.com") },
			getenv:     basic,
			wantErrors: []string{"must not contain a user name or password", "api_token (or the CONFLUENCE_API_TOKEN environment variable)"},
		},
		{
			name:       "password in an unparseable url",
			given:      func(g *Given) { g.URL = ptr("https://me:sec%zzret@wiki example.com/") },
			getenv:     basic,
			wantErrors: []string{"must not contain a user name or password"},
		},
		{
			name:       "nothing set",
			getenv:     env(),
			wantErrors: []string{"url (or the CONFLUENCE_URL environment variable)", "CONFLUENCE_API_TOKEN"},
		},
		{
			name:       "plain http to a remote host",
			given:      func(g *Given) { g.URL = ptr("http://wiki.example.com") },
			getenv:     basic,
			wantErrors: []string{"plain http"},
		},
		{
			name:       "not a url",
			given:      func(g *Given) { g.URL = ptr("acme.atlassian.net") },
			getenv:     basic,
			wantErrors: []string{"not an absolute http(s) URL"},
		},
		{
			name: "both kinds of credentials",
			given: func(g *Given) {
				g.URL = ptr("https://acme.atlassian.net")
				g.Token = ptr("t")
			},
			getenv:     basic,
			wantErrors: []string{"token (or the CONFLUENCE_TOKEN environment variable)", "not both"},
		},
		{
			name:       "token without user",
			given:      func(g *Given) { g.URL = ptr("https://acme.atlassian.net") },
			getenv:     env("CONFLUENCE_API_TOKEN", "secret"),
			wantErrors: []string{"user (or the CONFLUENCE_USER environment variable)"},
		},
		{
			name:       "user without token",
			given:      func(g *Given) { g.URL = ptr("https://acme.atlassian.net") },
			getenv:     env("CONFLUENCE_USER", "me"),
			wantErrors: []string{"api_token (or the CONFLUENCE_API_TOKEN environment variable)"},
		},
		{
			name: "bad deployment, timeout and retries",
			given: func(g *Given) {
				g.URL = ptr("https://acme.atlassian.net")
				g.MaxRetries = ptr[int64](99)
			},
			getenv:     env("CONFLUENCE_USER", "me", "CONFLUENCE_API_TOKEN", "x", "CONFLUENCE_DEPLOYMENT", "server", "CONFLUENCE_REQUEST_TIMEOUT", "soon"),
			wantErrors: []string{`CONFLUENCE_DEPLOYMENT environment variable) is "server"`, "CONFLUENCE_REQUEST_TIMEOUT", "between 0 and 20"},
		},
		{
			name: "concurrency out of range in the block, not a number in the environment",
			given: func(g *Given) {
				g.URL = ptr("https://acme.atlassian.net")
				g.MaxConcurrency = ptr[int64](0)
			},
			getenv:     env("CONFLUENCE_USER", "me", "CONFLUENCE_API_TOKEN", "x", "CONFLUENCE_MAX_RETRIES", "many"),
			wantErrors: []string{"max_concurrency (or the CONFLUENCE_MAX_CONCURRENCY environment variable) is 0; it must be between 1 and 100", `CONFLUENCE_MAX_RETRIES environment variable) is "many"`},
		},
		{
			name:       "concurrency not a number",
			given:      func(g *Given) { g.URL = ptr("https://acme.atlassian.net") },
			getenv:     env("CONFLUENCE_USER", "me", "CONFLUENCE_API_TOKEN", "x", "CONFLUENCE_MAX_CONCURRENCY", "lots"),
			wantErrors: []string{`CONFLUENCE_MAX_CONCURRENCY environment variable) is "lots"; it must be a whole number`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g Given
			if tt.given != nil {
				tt.given(&g)
			}
			s, problems := Resolve(g, tt.getenv)
			var all []string
			for _, p := range problems {
				all = append(all, p.Setting.Attr+": "+p.Summary+": "+p.Detail)
			}
			joined := strings.Join(all, "\n")
			if len(tt.wantErrors) == 0 && len(problems) > 0 {
				t.Fatalf("unexpected problems:\n%s", joined)
			}
			for _, want := range tt.wantErrors {
				if !strings.Contains(joined, want) {
					t.Errorf("no problem mentions %q; got:\n%s", want, joined)
				}
			}
			for _, secret := range []string{"secret", "sec%zzret", "me:"} {
				if strings.Contains(joined, secret) {
					t.Errorf("a message leaks %q:\n%s", secret, joined)
				}
			}
			if tt.check != nil && len(problems) == 0 {
				tt.check(t, s)
			}
		})
	}
}
