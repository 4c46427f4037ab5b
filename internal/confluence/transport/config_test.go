package transport

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNewValidatesBaseURL(t *testing.T) {
	valid := map[string]string{
		"https://x.atlassian.net":                    "https://x.atlassian.net",
		"https://x.atlassian.net/":                   "https://x.atlassian.net/",
		"https://api.atlassian.com/ex/confluence/c1": "https://api.atlassian.com/ex/confluence/c1",
		"https://dc.example.com/confluence/":         "https://dc.example.com/confluence/",
		"http://127.0.0.1:8090":                      "http://127.0.0.1:8090",
		"http://localhost:8090/confluence":           "http://localhost:8090/confluence",
		"http://[::1]:8090":                          "http://[::1]:8090",
		"  HTTPS://X.atlassian.net  ":                "https://X.atlassian.net",
	}
	for raw, want := range valid {
		c, err := New(Config{BaseURL: raw})
		if err != nil {
			t.Errorf("New(%q): %v", raw, err)
			continue
		}
		if got := c.BaseURL(); got != want {
			t.Errorf("New(%q).BaseURL() = %q, want %q", raw, got, want)
		}
	}

	invalid := map[string]string{
		"":                                 "empty",
		"x.atlassian.net":                  "https://",
		"ftp://x.atlassian.net":            "https://",
		"/wiki":                            "https://",
		"https://":                         "no host",
		"https://x.atlassian.net?a=b":      "query",
		"https://x.atlassian.net/?":        "query",
		"https://x.atlassian.net/#top":     "fragment",
		"https://x.atlassian.net/%zz":      "not a valid URL",
		"http://wiki.example.com":          "plain http",
		"https://me:hunter22@x.example/":   "must not contain a user name or password",
		"https://me:hunter22@x.example/%z": "must not contain a user name or password",
		"me:hunter22@x example":            "must not contain a user name or password",
	}
	for raw, want := range invalid {
		_, err := New(Config{BaseURL: raw})
		if err == nil {
			t.Errorf("New(%q) accepted an invalid base URL", raw)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("New(%q) = %q, want it to mention %q", raw, err, want)
		}
		if strings.Contains(err.Error(), "hunter22") {
			t.Errorf("New(%q) error echoes the password: %q", raw, err)
		}
	}
}

func TestNewValidatesAuth(t *testing.T) {
	for _, a := range []Auth{Basic{User: "u"}, Basic{Token: "t"}, Bearer{}} {
		if _, err := New(Config{BaseURL: "https://x.atlassian.net", Auth: a}); err == nil {
			t.Errorf("New accepted incomplete credentials %T", a)
		}
	}
}

func TestNewAppliesDefaults(t *testing.T) {
	c, err := New(Config{BaseURL: "https://x.atlassian.net"})
	if err != nil {
		t.Fatal(err)
	}
	if c.httpClient == nil || c.logger == nil || c.sleep == nil {
		t.Error("nil HTTP client, logger or sleep after New")
	}
	if c.timeout != DefaultTimeout || c.maxRetries != DefaultMaxRetries ||
		c.maxRetryWait != DefaultMaxRetryWait || c.userAgent != DefaultUserAgent {
		t.Errorf("defaults not applied: %+v", c)
	}
	c, _ = New(Config{BaseURL: "https://x.atlassian.net", MaxRetries: -1, MaxRetryWait: time.Second})
	if c.maxRetries != 0 || c.maxRetryWait != time.Second {
		t.Errorf("MaxRetries -1 → %d retries, MaxRetryWait → %s", c.maxRetries, c.maxRetryWait)
	}
}

func TestAuthIsRedactedWhenPrinted(t *testing.T) {
	cfg := Config{BaseURL: "https://x.atlassian.net", Auth: Basic{User: "alice@example.com", Token: "tok-0123456789"}}
	bearer := Config{Auth: Bearer{Token: "tok-0123456789"}}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{cfg, &cfg, cfg.Auth, bearer, bearer.Auth} {
			out := fmt.Sprintf(format, v)
			if strings.Contains(out, "tok-0123456789") || strings.Contains(out, "alice") {
				t.Errorf("Sprintf(%q, %T) leaks credentials: %s", format, v, out)
			}
		}
	}
}

// Whatever address is given, ParseBaseURL either refuses it or returns an
// http(s) address with a host and no userinfo, query or fragment; an
// address with userinfo is always refused with ErrUserInfo, whose message
// repeats nothing of it.
func FuzzParseBaseURL(f *testing.F) {
	for _, seed := range []string{
		"https://example.atlassian.net", "https://example.atlassian.net/wiki/", "http://localhost:8090/confluence",
		"https://api.atlassian.com/ex/confluence/0a1b2c3d", "https://user:pa%zzss@example.com", "http://[::1]:8090",
		"https://example.com/a%2Fb?x=1#f", "example.com", " https://x.example.com ", "https://@host", "https://h/p@q",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseBaseURL(raw)
		if hasUserInfo(raw) && !errors.Is(err, ErrUserInfo) {
			t.Fatalf("ParseBaseURL(%q) = %v, %v; want ErrUserInfo", raw, u, err)
		}
		if err != nil {
			return
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			t.Fatalf("ParseBaseURL(%q) = %#v", raw, u)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			t.Fatalf("plain http accepted for %q", raw)
		}
	})
}
