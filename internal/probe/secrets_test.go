package probe

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// echoingProxy stands for a proxy or gateway that copies the request's
// credentials into its answers: in an error message, in headers the report
// shows, in a JSON field name (which a body shape shows) and in an HTML
// title. The report must show none of them.
func echoingProxy(token string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth := r.Header.Get("Authorization")
			switch r.URL.Path {
			case "/wiki/api/v2/space-role-mode", "/rest/api/server-information":
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Failure-Category", auth)
				w.Header().Set("RateLimit-Reason", "echo "+auth)
				w.Header().Set("X-Seraph-LoginReason", token)
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, `{"code":401,"message":"you sent %s, token %s","%s":"%s"}`, auth, token, token, auth)
				return
			case "/wiki/api/v2/spaces/0", "/rest/api/nosuchroute":
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprintf(w, `{"errors":[{"status":404,"code":"NOT_FOUND","title":"%s","detail":"%s"}],"%s":1}`, auth, token, auth)
				return
			case "/wiki/api/v2/space-roles", "/rpc/json-rpc/confluenceservice-v2":
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprintf(w, "<html><head><title>Hello %s</title></head></html>", token)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// leaks lists the forms of the credentials that must not appear.
func leaks(user, secret string) []string {
	pair := base64.StdEncoding.EncodeToString([]byte(user + ":" + secret))
	return []string{secret, pair, "Bearer " + secret, "Basic " + pair, "Authorization:"}
}

func TestNoSecretInAnyFormat(t *testing.T) {
	const apiToken = "ATATT3xFfGF0-secret-api-token"
	const bearer = "eyJhbGciOi.secret-bearer-token"
	for _, tc := range []struct {
		name   string
		flavor confluencesim.Flavour
		edit   func(*Config)
		secret string
	}{
		{"cloud basic", confluencesim.Cloud, func(c *Config) { c.APIToken = apiToken }, apiToken},
		{"cloud bearer", confluencesim.Cloud, func(c *Config) { c.User, c.APIToken, c.Token = "", "", bearer }, bearer},
		{"datacenter basic", confluencesim.DataCenter, func(c *Config) { c.APIToken = apiToken }, apiToken},
		{"datacenter bearer", confluencesim.DataCenter, func(c *Config) { c.User, c.APIToken, c.Token = "", "", bearer }, bearer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := confluencesim.DemoSeed()
			// The site accepts the test's secrets for the demo account.
			seed.Credentials[0].APIToken, seed.Credentials[0].OAuthToken = apiToken, bearer
			s := startWrapped(t, seed, confluencesim.Options{Flavour: tc.flavor}, echoingProxy(tc.secret))
			if tc.flavor == confluencesim.DataCenter {
				s.dep = "datacenter"
			}
			cfg := s.config(tc.edit, func(c *Config) { c.WriteSpace = "ENG" })
			rep := probeSite(t, cfg)
			if result(t, rep, "credentials").Status != Answered {
				t.Fatalf("the credentials check did not run")
			}
			// The report itself is clean, before Render's last pass.
			raw, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			for _, leak := range leaks(cfg.User, tc.secret) {
				if strings.Contains(string(raw), leak) {
					t.Errorf("the Report value contains %q", leak)
				}
			}
			for _, f := range []Format{FormatText, FormatMarkdown, FormatJSON} {
				out := render(t, rep, f)
				for _, leak := range leaks(cfg.User, tc.secret) {
					if strings.Contains(out, leak) {
						t.Errorf("%s report contains %q", f, leak)
					}
				}
				if !strings.Contains(out, redacted) {
					t.Errorf("%s report shows no %s: the proxy's echo did not reach it, so the test proves nothing", f, redacted)
				}
			}
		})
	}
}

func TestAnAddressWithUserinfoIsRefused(t *testing.T) {
	for _, raw := range []string{
		"https://me%40example.com:hunter2secret@example.atlassian.net",
		"https://hunter2secret@example.atlassian.net",
	} {
		_, err := Run(context.Background(), Config{URL: raw, User: "me@example.com", APIToken: "hunter2secret"})
		if !IsConfigError(err) {
			t.Fatalf("%s: got %v, want a configuration error", raw, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}

func TestRequestHeadersAreNeverRecorded(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	rep := probeSite(t, s.config())
	var b strings.Builder
	_ = Render(&b, rep, FormatJSON)
	out := strings.ToLower(b.String())
	for _, h := range []string{"authorization", "user-agent", "x-atlassian-token", "cookie"} {
		if strings.Contains(out, h) {
			t.Errorf("the report names the header %s", h)
		}
	}
}

func TestScrubberCoversEncodings(t *testing.T) {
	s := newScrubber("me@example.com", "tok/en+with=chars", "")
	for _, in := range []string{"tok/en+with=chars", "tok%2Fen%2Bwith%3Dchars", base64.StdEncoding.EncodeToString([]byte("me@example.com:tok/en+with=chars"))} {
		if got := s.clean("x " + in + " y"); got != "x "+redacted+" y" {
			t.Errorf("clean(%q) = %q", in, got)
		}
	}
	if got := newScrubber("u", "abc", "").clean("abc"); got != "abc" {
		t.Errorf("a three-letter secret was scrubbed: %q", got)
	}
}
