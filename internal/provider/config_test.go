package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func emptyModel() providerModel {
	return providerModel{
		URL: types.StringNull(), User: types.StringNull(), APIToken: types.StringNull(), Token: types.StringNull(),
		Deployment: types.StringNull(), DataCenterAPI: types.StringNull(), RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}
}

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestResolveSettings(t *testing.T) {
	basic := env("CONFLUENCE_USER", "me@example.com", "CONFLUENCE_API_TOKEN", "secret")
	tests := []struct {
		name       string
		model      func(m *providerModel)
		getenv     func(string) string
		check      func(t *testing.T, s settings)
		wantErrors []string // each must appear in one problem (attr + env var named)
	}{
		{
			name:   "cloud from environment, deployment inferred, /wiki stripped",
			getenv: env("CONFLUENCE_URL", "https://acme.atlassian.net/wiki/", "CONFLUENCE_USER", "me@example.com", "CONFLUENCE_API_TOKEN", "secret"),
			check: func(t *testing.T, s settings) {
				if s.URL.String() != "https://acme.atlassian.net" || s.Deployment != permissions.Cloud {
					t.Errorf("got %s %q", s.URL, s.Deployment)
				}
				if s.RequestTimeout != defaultRequestTimeout || s.MaxRetries != defaultMaxRetries {
					t.Errorf("defaults not applied: %v %d", s.RequestTimeout, s.MaxRetries)
				}
			},
		},
		{
			name:   "gateway url means cloud",
			model:  func(m *providerModel) { m.URL = types.StringValue("https://api.atlassian.com/ex/confluence/abc-123") },
			getenv: env("CONFLUENCE_TOKEN", "oauth"),
			check: func(t *testing.T, s settings) {
				if s.Deployment != permissions.Cloud || s.Token != "oauth" {
					t.Errorf("got %q token=%q", s.Deployment, s.Token)
				}
			},
		},
		{
			name:   "other hosts are Data Center; block overrides environment",
			model:  func(m *providerModel) { m.URL = types.StringValue("https://wiki.example.com/confluence") },
			getenv: env("CONFLUENCE_URL", "https://ignored.example.com", "CONFLUENCE_TOKEN", "pat", "CONFLUENCE_REQUEST_TIMEOUT", "15s", "CONFLUENCE_MAX_RETRIES", "2"),
			check: func(t *testing.T, s settings) {
				if s.URL.String() != "https://wiki.example.com/confluence" || s.Deployment != permissions.DataCenter {
					t.Errorf("got %s %q", s.URL, s.Deployment)
				}
				if s.RequestTimeout != 15*time.Second || s.MaxRetries != 2 {
					t.Errorf("got %v %d", s.RequestTimeout, s.MaxRetries)
				}
			},
		},
		{
			name: "explicit deployment",
			model: func(m *providerModel) {
				m.URL = types.StringValue("http://127.0.0.1:8090")
				m.Deployment = types.StringValue("DataCenter")
			},
			getenv: basic,
			check: func(t *testing.T, s settings) {
				if s.Deployment != permissions.DataCenter {
					t.Errorf("got %q", s.Deployment)
				}
			},
		},
		{
			name:   "data center api",
			model:  func(m *providerModel) { m.URL = types.StringValue("https://wiki.example.com") },
			getenv: env("CONFLUENCE_TOKEN", "pat", "CONFLUENCE_DATA_CENTER_API", "RPC"),
			check: func(t *testing.T, s settings) {
				if s.DataCenterAPI != "rpc" {
					t.Errorf("got %q", s.DataCenterAPI)
				}
			},
		},
		{
			name: "data center api on cloud, and a bad one",
			model: func(m *providerModel) {
				m.URL = types.StringValue("https://acme.atlassian.net")
				m.DataCenterAPI = types.StringValue("rest")
			},
			getenv:     basic,
			wantErrors: []string{`data_center_api (or the CONFLUENCE_DATA_CENTER_API environment variable) is "rest", but the site is Confluence Cloud`},
		},
		{
			name: "unknown data center api",
			model: func(m *providerModel) {
				m.URL = types.StringValue("https://wiki.example.com")
				m.DataCenterAPI = types.StringValue("soap")
			},
			getenv:     basic,
			wantErrors: []string{`it must be "rest"`},
		},
		{
			name: "data center deployment with a cloud address",
			model: func(m *providerModel) {
				m.URL = types.StringValue("https://acme.atlassian.net")
				m.Deployment = types.StringValue("datacenter")
			},
			getenv: basic,
			wantErrors: []string{`deployment (or the CONFLUENCE_DEPLOYMENT environment variable) is "datacenter", but url (or the CONFLUENCE_URL environment variable) is "https://acme.atlassian.net"`,
				`set deployment (or the CONFLUENCE_DEPLOYMENT environment variable) to "cloud"`},
		},
		{
			name: "data center deployment with the gateway address",
			model: func(m *providerModel) {
				m.URL = types.StringValue("https://api.atlassian.com/ex/confluence/abc-123")
				m.Deployment = types.StringValue("datacenter")
			},
			getenv:     env("CONFLUENCE_TOKEN", "t"),
			wantErrors: []string{`an Atlassian Cloud address`},
		},
		{
			name:       "password in the url",
			model:      func(m *providerModel) { m.URL = types.StringValue("http://me:secret@wiki.example.com") },
			getenv:     basic,
			wantErrors: []string{"contains a user name or password", "api_token (or the CONFLUENCE_API_TOKEN environment variable)"},
		},
		{
			name:       "password in an unparseable url",
			model:      func(m *providerModel) { m.URL = types.StringValue("https://me:sec%zzret@wiki example.com/") },
			getenv:     basic,
			wantErrors: []string{"contains a user name or password"},
		},
		{
			name:       "nothing set",
			getenv:     env(),
			wantErrors: []string{"url (or the CONFLUENCE_URL environment variable)", "CONFLUENCE_API_TOKEN"},
		},
		{
			name:       "plain http to a remote host",
			model:      func(m *providerModel) { m.URL = types.StringValue("http://wiki.example.com") },
			getenv:     basic,
			wantErrors: []string{"plain http"},
		},
		{
			name:       "not a url",
			model:      func(m *providerModel) { m.URL = types.StringValue("acme.atlassian.net") },
			getenv:     basic,
			wantErrors: []string{"not an absolute http(s) URL"},
		},
		{
			name: "both kinds of credentials",
			model: func(m *providerModel) {
				m.URL = types.StringValue("https://acme.atlassian.net")
				m.Token = types.StringValue("t")
			},
			getenv:     basic,
			wantErrors: []string{"token (or the CONFLUENCE_TOKEN environment variable)", "not both"},
		},
		{
			name:       "token without user",
			model:      func(m *providerModel) { m.URL = types.StringValue("https://acme.atlassian.net") },
			getenv:     env("CONFLUENCE_API_TOKEN", "secret"),
			wantErrors: []string{"user (or the CONFLUENCE_USER environment variable)"},
		},
		{
			name:       "user without token",
			model:      func(m *providerModel) { m.URL = types.StringValue("https://acme.atlassian.net") },
			getenv:     env("CONFLUENCE_USER", "me"),
			wantErrors: []string{"api_token (or the CONFLUENCE_API_TOKEN environment variable)"},
		},
		{
			name: "bad deployment, timeout and retries",
			model: func(m *providerModel) {
				m.URL = types.StringValue("https://acme.atlassian.net")
				m.MaxRetries = types.Int64Value(99)
			},
			getenv:     env("CONFLUENCE_USER", "me", "CONFLUENCE_API_TOKEN", "x", "CONFLUENCE_DEPLOYMENT", "server", "CONFLUENCE_REQUEST_TIMEOUT", "soon"),
			wantErrors: []string{`CONFLUENCE_DEPLOYMENT environment variable) is "server"`, "CONFLUENCE_REQUEST_TIMEOUT", "between 0 and 20"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := emptyModel()
			if tt.model != nil {
				tt.model(&m)
			}
			s, problems := resolveSettings(m, tt.getenv)
			var all []string
			for _, p := range problems {
				all = append(all, p.attr+": "+p.summary+": "+p.detail)
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
