package probe

import (
	"net/http"
	"testing"
)

func TestBodyShape(t *testing.T) {
	for _, tc := range []struct {
		contentType, body, want string
	}{
		{"application/json", `{"results":[{"id":"1","principal":{"type":"user","id":"abc"}},{"id":"2"}],"_links":{}}`,
			`{_links: {}, results: [{id: string, principal?: {id: string, type: string}}]}`},
		{"application/json", `[1,"a",null,true]`, `[number|string|null|boolean]`},
		{"application/json", `{"a":[],"b":{"c":[{"d":1}]}}`, `{a: [], b: {c: [{d: number}]}}`},
		{"application/json", `{"broken":`, "invalid JSON (10 bytes)"},
		{"application/xml", `<?xml version="1.0"?><status><status-code>404</status-code><message>null for uri: x</message></status>`,
			"XML <status> with <status-code>, <message>"},
		{"text/html", `<html><head><title>Log in - Confluence</title></head><body>secret user data</body></html>`, `HTML page titled "Log in - Confluence"`},
		{"", `<!DOCTYPE html><html><body>no title</body></html>`, "HTML page"},
		{"text/plain", "hello alice", "text/plain, 11 bytes"},
		{"application/json", "   ", "empty"},
	} {
		if got := bodyShape(tc.contentType, []byte(tc.body)); got != tc.want {
			t.Errorf("bodyShape(%q)\n got %s\nwant %s", tc.body, got, tc.want)
		}
	}
}

func TestEnvelope(t *testing.T) {
	for _, tc := range []struct {
		status      int
		contentType string
		body, want  string
	}{
		{404, "application/json", `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}`, envV2},
		{400, "application/json", `{"statusCode":400,"data":{},"message":"x"}`, envV1},
		{404, "application/json", `{"statusCode":404,"data":{},"message":"x","reason":"Not Found"}`, envDC},
		{404, "application/json", `{"timestamp":"t","status":404,"error":"Not Found","message":"","path":"/x"}`, envGateway},
		{401, "application/json", `{"code":401,"message":"Unauthorized; scope does not match"}`, envCodeMsg},
		{404, "application/xml", `<status><status-code>404</status-code><message>null for uri</message></status>`, envXML},
		{200, "text/html", `<html></html>`, envHTML},
		{204, "", ``, envEmpty},
		{0, "", ``, envNoAnswer},
	} {
		a := &answer{Exchange: Exchange{Status: tc.status}, header: http.Header{"Content-Type": {tc.contentType}}, body: []byte(tc.body)}
		if got := envelope(a); got != tc.want {
			t.Errorf("envelope(%s) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestResetPrecision(t *testing.T) {
	for v, want := range map[string]string{
		"2026-03-26T16:00Z":      "minute precision (2006-01-02T15:04Z)",
		"2026-03-26T16:00:00Z":   "seconds (RFC 3339)",
		"2026-03-26T16:00:00.5Z": "seconds (RFC 3339)",
		"1774540800":             "unreadable",
	} {
		if got := resetPrecision(v); got != want {
			t.Errorf("resetPrecision(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestLinkNext(t *testing.T) {
	h := http.Header{"Link": {`</wiki/api/v2/spaces?cursor=abc>; rel="next", <https://x.atlassian.net/wiki>; rel="base"`}}
	if got := linkNext(h); got != "/wiki/api/v2/spaces?cursor=abc" {
		t.Errorf("linkNext = %q", got)
	}
	if got := linkNext(http.Header{"Link": {`<https://x.atlassian.net/wiki>; rel="base"`}}); got != "" {
		t.Errorf("linkNext without next = %q", got)
	}
}
