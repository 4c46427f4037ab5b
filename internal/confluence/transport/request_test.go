package transport

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDoJoinsPathUnderPrefixAndSetsHeaders(t *testing.T) {
	var got *http.Request
	var body string
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		writeJSON(w, http.StatusOK, `{"ok":true}`)
	}, withPrefix("/ex/confluence/cloud-1/"), func(c *Config) {
		c.Auth = Basic{User: "alice@example.com", Token: "tok-0123456789"}
		c.UserAgent = "tf-test/1.0"
	})

	var out struct{ OK bool }
	q := url.Values{"keys": {"A", "B"}, "limit": {"250"}}
	res, err := c.Do(context.Background(), Request{
		Method: http.MethodPost,
		Path:   "/wiki/rest/api/space/" + url.PathEscape("MY SPACE/X") + "/permission",
		Query:  q,
		Body:   map[string]string{"k": "v"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.DecodeJSON(&out); err != nil || !out.OK {
		t.Fatalf("DecodeJSON = %v, %+v", err, out)
	}
	if want := "/ex/confluence/cloud-1/wiki/rest/api/space/MY%20SPACE%2FX/permission"; got.URL.EscapedPath() != want {
		t.Errorf("path = %q, want %q", got.URL.EscapedPath(), want)
	}
	if res.Path != "/wiki/rest/api/space/MY%20SPACE%2FX/permission" {
		t.Errorf("Response.Path = %q, want the path below the prefix", res.Path)
	}
	if got.URL.Query()["keys"][1] != "B" || got.URL.Query().Get("limit") != "250" {
		t.Errorf("query = %q", got.URL.RawQuery)
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice@example.com:tok-0123456789"))
	for header, want := range map[string]string{
		"Accept":        "application/json",
		"Content-Type":  "application/json",
		"User-Agent":    "tf-test/1.0",
		"Authorization": wantAuth,
	} {
		if got.Header.Get(header) != want {
			t.Errorf("%s = %q, want %q", header, got.Header.Get(header), want)
		}
	}
	if body != `{"k":"v"}` {
		t.Errorf("body = %q", body)
	}
}

func TestDoSendsExtraWriteHeadersOnWritesOnly(t *testing.T) {
	seen := map[string]string{}
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		seen[r.Method] = r.Header.Get("X-Atlassian-Token")
		if r.Method == http.MethodGet {
			if r.Header.Get("Content-Type") != "" {
				t.Errorf("GET without body has Content-Type %q", r.Header.Get("Content-Type"))
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}, func(c *Config) {
		c.ExtraWriteHeaders = http.Header{"X-Atlassian-Token": {"no-check"}}
		c.Auth = Bearer{Token: "pat-0123456789"}
	})
	ctx := context.Background()
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if _, err := c.Do(ctx, Request{Method: m, Path: "/rest/api/space"}); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	want := map[string]string{"GET": "", "POST": "no-check", "PUT": "no-check", "DELETE": "no-check"}
	for m, v := range want {
		if seen[m] != v {
			t.Errorf("%s X-Atlassian-Token = %q, want %q", m, seen[m], v)
		}
	}
}

func TestDoSendsRawBody(t *testing.T) {
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "text/xml" || string(b) != "<x/>" {
			t.Errorf("got %q %q", r.Header.Get("Content-Type"), b)
		}
		w.WriteHeader(http.StatusOK)
	})
	if _, err := c.Do(context.Background(), Request{Method: "post", Path: "/rpc", RawBody: []byte("<x/>"), ContentType: "text/xml"}); err != nil {
		t.Fatal(err)
	}
}

func TestDoRejectsMalformedPaths(t *testing.T) {
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		t.Error("no request expected")
	})
	for _, p := range []string{"", "wiki/api/v2/spaces", "/wiki/api/v2/spaces?limit=1", "/a#b"} {
		if _, err := c.Do(context.Background(), Request{Path: p}); err == nil || !strings.Contains(err.Error(), "must start with /") {
			t.Errorf("Do(%q) = %v, want a path error", p, err)
		}
	}
}

func TestDoJSONHelpers(t *testing.T) {
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/wiki/api/v2/space-role-mode":
			writeJSON(w, http.StatusOK, `{"mode":"ROLES"}`)
		case r.Method == http.MethodPut && r.URL.Path == "/rest/x":
			b, _ := io.ReadAll(r.Body)
			writeJSON(w, http.StatusOK, string(b))
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
		}
	})
	ctx := context.Background()
	var mode struct{ Mode string }
	if err := c.GetJSON(ctx, "/wiki/api/v2/space-role-mode", nil, &mode); err != nil || mode.Mode != "ROLES" {
		t.Errorf("GetJSON = %v, %+v", err, mode)
	}
	var echo map[string]int
	if err := c.SendJSON(ctx, http.MethodPut, "/rest/x", map[string]int{"a": 1}, &echo); err != nil || echo["a"] != 1 {
		t.Errorf("SendJSON = %v, %v", err, echo)
	}
	if err := c.SendJSON(ctx, http.MethodDelete, "/rest/x", nil, &echo); err != nil {
		t.Errorf("SendJSON with 204: %v", err)
	}
}

func TestDecodeJSONReportsHTMLAndGarbage(t *testing.T) {
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/websudo":
			w.Header().Set("Content-Type", "text/html;charset=UTF-8")
			_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Administrator Access - Confluence</title></head></html>"))
		case "/sniffed":
			_, _ = w.Write([]byte("  <html><body>login</body></html>"))
		default:
			writeJSON(w, http.StatusOK, `{"results": [`)
		}
	})
	var out map[string]any
	err := c.GetJSON(context.Background(), "/websudo", nil, &out)
	var htmlErr *HTMLResponseError
	if !IsHTMLResponse(err) || !errors.As(err, &htmlErr) || htmlErr.Title != "Administrator Access - Confluence" ||
		htmlErr.StatusCode != 200 || htmlErr.Path != "/websudo" {
		t.Errorf("HTML page: %#v", err)
	}
	if err != nil && !strings.Contains(err.Error(), "WebSudo") {
		t.Errorf("message does not hint at WebSudo: %v", err)
	}
	if err := c.GetJSON(context.Background(), "/sniffed", nil, &out); !IsHTMLResponse(err) {
		t.Errorf("HTML without content type: %v", err)
	}
	err = c.GetJSON(context.Background(), "/broken", nil, &out)
	if err == nil || IsHTMLResponse(err) || !strings.Contains(err.Error(), "GET /broken") {
		t.Errorf("truncated JSON: %v", err)
	}
}
