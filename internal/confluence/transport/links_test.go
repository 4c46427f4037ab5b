package transport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

func TestNextRequestJoiningRule(t *testing.T) {
	const (
		site    = "https://x.atlassian.net"
		gateway = "https://api.atlassian.com/ex/confluence/0a1b-cloud"
		dc      = "https://dc.example.com/confluence"
	)
	tests := []struct {
		name, base, link, want string
	}{
		{"cloud site", site,
			"/wiki/api/v2/spaces/98306/permissions?cursor=eyJpZCI6Ijc0MDU1NzAifQ%3D%3D",
			"https://x.atlassian.net/wiki/api/v2/spaces/98306/permissions?cursor=eyJpZCI6Ijc0MDU1NzAifQ%3D%3D"},
		{"cloud site, trailing slash in base", site + "/",
			"/wiki/api/v2/spaces?cursor=a",
			"https://x.atlassian.net/wiki/api/v2/spaces?cursor=a"},
		{"gateway keeps its prefix", gateway,
			"/wiki/api/v2/spaces?cursor=a&limit=250",
			"https://api.atlassian.com/ex/confluence/0a1b-cloud/wiki/api/v2/spaces?cursor=a&limit=250"},
		{"gateway link already prefixed", gateway,
			"/ex/confluence/0a1b-cloud/wiki/api/v2/spaces?cursor=a",
			"https://api.atlassian.com/ex/confluence/0a1b-cloud/wiki/api/v2/spaces?cursor=a"},
		{"data center link relative to base", dc,
			"/rest/api/space?limit=25&start=25",
			"https://dc.example.com/confluence/rest/api/space?limit=25&start=25"},
		{"data center link carrying the context", dc + "/",
			"/confluence/rest/api/space?limit=25&start=25",
			"https://dc.example.com/confluence/rest/api/space?limit=25&start=25"},
		{"prefix matched on whole segments only", dc,
			"/confluence-archive/rest/api/space",
			"https://dc.example.com/confluence/confluence-archive/rest/api/space"},
		{"escaped path kept", site,
			"/wiki/api/v2/spaces/A%2FB/permissions?cursor=a%2Bb",
			"https://x.atlassian.net/wiki/api/v2/spaces/A%2FB/permissions?cursor=a%2Bb"},
		{"absolute link to the site", site,
			"https://x.atlassian.net/wiki/api/v2/spaces?cursor=a",
			"https://x.atlassian.net/wiki/api/v2/spaces?cursor=a"},
		{"absolute link, host case and default port", gateway,
			"https://API.atlassian.com:443/ex/confluence/0a1b-cloud/wiki/api/v2/spaces?cursor=a",
			"https://api.atlassian.com/ex/confluence/0a1b-cloud/wiki/api/v2/spaces?cursor=a"},
		{"surrounding spaces", site, "  /wiki/api/v2/spaces?cursor=a ", "https://x.atlassian.net/wiki/api/v2/spaces?cursor=a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{BaseURL: tt.base})
			if err != nil {
				t.Fatal(err)
			}
			req, err := c.NextRequest(tt.link)
			if err != nil {
				t.Fatalf("NextRequest(%q): %v", tt.link, err)
			}
			if req.Method != http.MethodGet || req.link == nil {
				t.Fatalf("NextRequest(%q) = %+v", tt.link, req)
			}
			if got := req.link.String(); got != tt.want {
				t.Errorf("NextRequest(%q) → %s, want %s", tt.link, got, tt.want)
			}
		})
	}
}

func TestNextRequestRefusesOtherHostsAndOddLinks(t *testing.T) {
	c, err := New(Config{BaseURL: "https://x.atlassian.net"})
	if err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{
		"https://evil.example.com/wiki/api/v2/spaces?cursor=a",
		"//evil.example.com/wiki/api/v2/spaces",
		"https://x.atlassian.net.evil.example.com/wiki",
		"https://x.atlassian.net@evil.example.com/wiki",
		"http://x.atlassian.net/wiki/api/v2/spaces", // would send credentials in clear text
		"https://x.atlassian.net:8443/wiki",
		"ftp://x.atlassian.net/wiki",
		"wiki/api/v2/spaces?cursor=a",
		"?cursor=a",
		"",
		"/wiki/%zz",
		"https://x.atlassian.net/wiki/%zz",
	} {
		if req, err := c.NextRequest(link); err == nil {
			t.Errorf("NextRequest(%q) accepted: %v", link, req.link)
		}
	}
}

func TestNextRequestIsSentWithRetriesAndErrors(t *testing.T) {
	n := &counter{}
	c, sleeper := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != "/confluence/rest/api/space" || r.URL.RawQuery != "limit=2&start=2" {
			t.Errorf("request to %s", r.URL)
		}
		if n.inc() == 1 {
			writeJSON(w, http.StatusBadGateway, `{}`)
			return
		}
		writeJSON(w, http.StatusNotFound, `{"message":"gone"}`)
	}, withPrefix("/confluence"))
	req, err := c.NextRequest("/rest/api/space?limit=2&start=2")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), req)
	var e *confluence.Error
	if !errors.As(err, &e) || e.StatusCode != 404 || e.Path != "/rest/api/space" || e.Message != "gone" {
		t.Errorf("err = %#v", err)
	}
	if len(sleeper.recorded()) != 1 {
		t.Errorf("the 502 was not retried: %v", sleeper.recorded())
	}
}

func TestNextFromLinkHeader(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   string
	}{
		{"documented example", []string{`</wiki/api/v2/spaces?cursor=abc>; rel="next", <https://site.atlassian.net/wiki>; rel="base"`}, "/wiki/api/v2/spaces?cursor=abc"},
		{"base first", []string{`<https://site.atlassian.net/wiki>; rel="base", </wiki/api/v2/spaces?cursor=abc>; rel="next"`}, "/wiki/api/v2/spaces?cursor=abc"},
		{"unquoted rel", []string{`</next>; rel=next`}, "/next"},
		{"several relation types", []string{`</n>; rel="prev next"`}, "/n"},
		{"relation names are case-insensitive", []string{`</n>; REL="Next"`}, "/n"},
		{"comma inside a quoted parameter", []string{`</p>; title="a, b"; rel="prev", </n>; rel="next"`}, "/n"},
		{"second header line", []string{`</b>; rel="base"`, `</n>; rel="next"`}, "/n"},
		{"no next", []string{`<https://site.atlassian.net/wiki>; rel="base"`}, ""},
		{"next is not nextpage", []string{`</x>; rel="nextpage"`}, ""},
		{"unterminated", []string{`</wiki/api/v2/spaces?cursor=abc; rel="next"`}, ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		h := http.Header{}
		for _, v := range tt.values {
			h.Add("Link", v)
		}
		if got := nextFromLinkHeader(h); got != tt.want {
			t.Errorf("%s: nextFromLinkHeader = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRefusalNamesTheSiteNotTheCredentials(t *testing.T) {
	c, _ := New(Config{BaseURL: "https://x.atlassian.net", Auth: Bearer{Token: testToken}})
	_, err := c.NextRequest("https://evil.example.com/x")
	if err == nil || !strings.Contains(err.Error(), "evil.example.com") || strings.Contains(err.Error(), testToken) {
		t.Errorf("err = %v", err)
	}
}
