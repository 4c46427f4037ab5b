package transport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// Envelopes as recorded in contributing/confluence-api.md#cloud-error-bodies and
// contributing/confluence-api.md#data-center-error-bodies.
var errorBodies = []struct {
	name        string
	contentType string
	body        string
	code        string
	message     string
}{
	{
		name:        "v1 with Java exception prefix",
		contentType: "application/json",
		body: `{"statusCode":400,"data":{"authorized":true,"valid":true,"errors":[],"successful":true},` +
			`"message":"com.atlassian.confluence.api.service.exceptions.BadRequestException: Operation not supported for target OperationCheckResult{operation=administer, targetType=page}"}`,
		message: "Operation not supported for target OperationCheckResult{operation=administer, targetType=page}",
	},
	{
		name:        "v1 403",
		contentType: "application/json;charset=UTF-8",
		body:        `{"statusCode":403,"message":"com.atlassian.confluence.api.service.exceptions.PermissionException: User isn't authorized to modify permissions."}`,
		message:     "User isn't authorized to modify permissions.",
	},
	{
		name:    "v1 roles-only refusal",
		body:    `{"statusCode":400,"message":"com.atlassian.confluence.api.service.exceptions.BadRequestException: Space permission updates that are not from RBAC are not supported in roles-only mode"}`,
		message: "Space permission updates that are not from RBAC are not supported in roles-only mode",
	},
	{
		name:    "v1 nested exception classes",
		body:    `{"statusCode":500,"message":"java.lang.IllegalStateException: com.atlassian.Foo$Bar: it broke"}`,
		message: "it broke",
	},
	{
		name:    "v1 message only a class name is kept",
		body:    `{"statusCode":500,"message":"com.atlassian.confluence.rpc.WebSudoRequiredException"}`,
		message: "com.atlassian.confluence.rpc.WebSudoRequiredException",
	},
	{
		name:    "v1 details in data.errors",
		body:    `{"statusCode":400,"data":{"errors":[{"message":{"key":"k","args":[],"translation":"The group does not exist"}}]},"message":""}`,
		message: "The group does not exist",
	},
	{
		name:    "v2 with null detail",
		body:    `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}`,
		code:    "NOT_FOUND",
		message: "Not Found",
	},
	{
		name:    "v2 with detail",
		body:    `{"errors":[{"status":400,"code":"INVALID_REQUEST_PARAMETER","title":"Bad Request","detail":"limit must be at most 250"},{"status":400,"code":"X","title":"Bad Request","detail":"cursor is invalid"}]}`,
		code:    "INVALID_REQUEST_PARAMETER",
		message: "limit must be at most 250; cursor is invalid",
	},
	{
		name:    "v2-style 405 on a v1 path",
		body:    `{"errors":[{"status":405,"code":"METHOD_NOT_ALLOWED","title":"Request method 'GET' is not supported","detail":null}]}`,
		code:    "METHOD_NOT_ALLOWED",
		message: "Request method 'GET' is not supported",
	},
	{
		name:    "gateway",
		body:    `{"timestamp":"2026-01-01T00:00:00.000+00:00","status":404,"error":"Not Found","message":"No message available","path":"/ex/confluence/abc/wiki/api/v2/spaces"}`,
		message: "Not Found",
	},
	{
		name:    "gateway with message",
		body:    `{"timestamp":1700000000000,"status":401,"error":"Unauthorized","message":"Unauthorized; scope does not match","path":"/ex/confluence/abc/wiki"}`,
		message: "Unauthorized; scope does not match",
	},
	{
		name:    "JSON-RPC error object",
		body:    `{"jsonrpc":"2.0","error":{"code":500,"message":"com.atlassian.confluence.rpc.RemoteException: No space found"}}`,
		message: "No space found",
	},
	{
		name:    "errors as strings",
		body:    `{"errors":["first","second","first"]}`,
		message: "first; second",
	},
	{
		name:        "Data Center XML",
		contentType: "application/xml",
		body:        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><status><status-code>404</status-code><message>No space with key : NOPE</message></status>`,
		message:     "No space with key : NOPE",
	},
	{
		name:        "XML with another root",
		contentType: "application/xml",
		body:        `<error><message>not ours</message></error>`,
	},
	{
		name:        "HTML login page",
		contentType: "text/html; charset=UTF-8",
		body:        "<!DOCTYPE html>\n<html><head><title>Log In - Confluence</title></head><body>...</body></html>",
		message:     `Confluence answered with an HTML page instead of JSON (page title "Log In - Confluence")`,
	},
	{
		name:    "HTML without content type or title",
		body:    "<html><body>Secure administrator access</body></html>",
		message: "Confluence answered with an HTML page instead of JSON",
	},
	{name: "empty body"},
	{name: "whitespace body", body: " \n\t"},
	{name: "plain text is not shown", contentType: "text/plain", body: "upstream connect error, Authorization: Basic abc"},
	{name: "JSON array", body: `[1,2,3]`},
	{name: "JSON with unknown shape", body: `{"foo":"bar"}`},
	{name: "broken JSON", body: `{"message":`},
	{
		name:    "message whitespace collapsed",
		body:    "{\"message\":\"  line one\\n\\tline two  \"}",
		message: "line one line two",
	},
}

func TestDecodeErrorBody(t *testing.T) {
	for _, tt := range errorBodies {
		t.Run(tt.name, func(t *testing.T) {
			code, message := decodeErrorBody(tt.contentType, []byte(tt.body))
			if code != tt.code || message != tt.message {
				t.Errorf("decodeErrorBody = (%q, %q), want (%q, %q)", code, message, tt.code, tt.message)
			}
		})
	}
}

func TestDecodeErrorBodyBoundsMessages(t *testing.T) {
	long := strings.Repeat("é", 5000)
	_, message := decodeErrorBody("", []byte(`{"message":"`+long+`"}`))
	if n := utf8.RuneCountInString(message); n != maxMessageRunes+1 || !strings.HasSuffix(message, "…") {
		t.Errorf("message has %d runes, want %d plus an ellipsis", n, maxMessageRunes)
	}
	_, message = decodeErrorBody("text/html", []byte("<html><title>"+strings.Repeat("x", 500)+"</title></html>"))
	if message != htmlInsteadOfJSON {
		t.Errorf("a long title should be dropped, got %q", message)
	}
}

func TestFailedAnswersBecomeConfluenceErrors(t *testing.T) {
	for _, tt := range errorBodies {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(tt.body))
			}, withPrefix("/ex/confluence/abc"))
			_, err := c.Do(context.Background(), Request{Method: http.MethodDelete, Path: "/wiki/rest/api/space/DOCS/permission/7", Query: map[string][]string{"q": {"1"}}})
			var e *confluence.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %#v, want *confluence.Error", err)
			}
			want := confluence.Error{StatusCode: 400, Method: "DELETE", Path: "/wiki/rest/api/space/DOCS/permission/7", Code: tt.code, Message: tt.message}
			if *e != want {
				t.Errorf("error = %+v, want %+v", *e, want)
			}
			if !confluence.IsBadRequest(err) {
				t.Error("IsBadRequest is false")
			}
		})
	}
}

func TestErrorBodyReadIsBounded(t *testing.T) {
	c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, `{"message":"`+strings.Repeat("a", 3*maxErrorBody)+`"}`)
	})
	_, err := c.Do(context.Background(), Request{Path: "/x"})
	// The body is cut at 1 MiB, so the JSON is incomplete and yields no message.
	var e *confluence.Error
	if !errors.As(err, &e) || e.StatusCode != 404 || e.Message != "" {
		t.Errorf("err = %v", err)
	}
}

func FuzzDecodeError(f *testing.F) {
	for _, tt := range errorBodies {
		f.Add(tt.contentType, []byte(tt.body))
	}
	f.Add("application/json", []byte(`{"errors":[{"detail":{"nested":true},"message":{"translation":7}}],"error":[1]}`))
	f.Add("", []byte("<status><message>\xff\xfe</message></status>"))
	f.Add("text/html", []byte("<title>"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		code, message := decodeErrorBody(contentType, body)
		for _, s := range []string{code, message} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
			if utf8.RuneCountInString(s) > maxMessageRunes+1 {
				t.Fatalf("unbounded text: %d runes", utf8.RuneCountInString(s))
			}
			if strings.ContainsAny(s, "\n\r\t") {
				t.Fatalf("multi-line text %q", s)
			}
		}
	})
}
