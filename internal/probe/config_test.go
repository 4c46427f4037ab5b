package probe

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestConfigChecks(t *testing.T) {
	basic := func(u string) Config { return Config{URL: u, User: "me@example.com", APIToken: "secret-token"} }
	for _, tc := range []struct {
		name   string
		cfg    Config
		want   permissions.Deployment
		errHas string
	}{
		{"cloud site", basic("https://example.atlassian.net"), permissions.Cloud, ""},
		{"cloud gateway", basic("https://api.atlassian.com/ex/confluence/0a1b2c3d"), permissions.Cloud, ""},
		{"data center", basic("https://wiki.example.com/confluence"), permissions.DataCenter, ""},
		{"deployment given", func() Config { c := basic("https://wiki.example.com"); c.Deployment = permissions.Cloud; return c }(), permissions.Cloud, ""},
		{"loopback http", basic("http://127.0.0.1:8090"), permissions.DataCenter, ""},
		{"plain http elsewhere", basic("http://wiki.example.com"), "", "plain http"},
		{"no url", basic(""), "", "CONFLUENCE_URL"},
		{"relative url", basic("example.atlassian.net"), "", "absolute"},
		{"no credentials", Config{URL: "https://example.atlassian.net"}, "", "Set user (or the CONFLUENCE_USER environment variable) and api_token"},
		{"both credentials", func() Config { c := basic("https://example.atlassian.net"); c.Token = "t0ken"; return c }(), "", "not both"},
		{"user without token", Config{URL: "https://example.atlassian.net", User: "me"}, "", EnvAPIToken},
		{"token without user", Config{URL: "https://example.atlassian.net", APIToken: "secret-token"}, "", EnvUser},
		{"bad deployment", func() Config { c := basic("https://example.atlassian.net"); c.Deployment = "server"; return c }(), "", `it must be "cloud" or "datacenter"`},
		{"bad space key", func() Config { c := basic("https://example.atlassian.net"); c.Spaces = []string{"A/B"}; return c }(), "", "space key"},
		{"bad write space", func() Config { c := basic("https://example.atlassian.net"); c.WriteSpace = "A,B"; return c }(), "", "space key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cfg.check()
			switch {
			case tc.errHas != "":
				if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), tc.errHas) {
					t.Errorf("got %v, want a configuration error with %q", err, tc.errHas)
				}
				if err != nil && strings.Contains(err.Error(), "secret-token") {
					t.Errorf("the error shows the token: %v", err)
				}
			case err != nil:
				t.Errorf("unexpected error %v", err)
			case got.deployment != tc.want:
				t.Errorf("deployment %q, want %q", got.deployment, tc.want)
			}
		})
	}
}

func TestConfigDeduplicatesSpaces(t *testing.T) {
	c, err := Config{URL: "https://example.atlassian.net", Token: "t0ken", Spaces: []string{"DOCS", " ENG ", "DOCS"}}.check()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.Spaces, ",") != "DOCS,ENG" {
		t.Errorf("spaces %v", c.Spaces)
	}
}

func TestFromEnvKeepsTheURLFlag(t *testing.T) {
	env := map[string]string{EnvURL: "https://env.atlassian.net", EnvUser: "me", EnvAPIToken: "tok", EnvToken: ""}
	c := Config{URL: "https://flag.atlassian.net"}
	c.FromEnv(func(k string) string { return env[k] })
	if c.URL != "https://flag.atlassian.net" || c.User != "me" || c.APIToken != "tok" {
		t.Errorf("%+v", c)
	}
	c = Config{}
	c.FromEnv(func(k string) string { return env[k] })
	if c.URL != "https://env.atlassian.net" {
		t.Errorf("url %q", c.URL)
	}
}

func TestAnUnreachableSiteFailsTheChecks(t *testing.T) {
	ts := httptest.NewServer(nil)
	url := ts.URL
	ts.Close()
	rep, err := Run(context.Background(), Config{
		URL: url, Deployment: permissions.Cloud, User: "me", APIToken: "tok", MaxRetries: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Failed() {
		t.Fatal("an unreachable site did not fail the run")
	}
	res := result(t, rep, "role-mode")
	if res.Status != Failed || !strings.Contains(res.Answer, "no answer") {
		t.Errorf("role-mode %s %q", res.Status, res.Answer)
	}
	wantAnswer(t, result(t, rep, "credentials"), Answered, "no answer came")
}
