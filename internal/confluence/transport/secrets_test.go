package transport

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const (
	testUser  = "alice.secret-user@example.com"
	testToken = "ATATT3xFfGF0-RECOGNISABLE-TOKEN-4f9c"
)

// echoingServer answers like a misbehaving proxy would: it repeats the
// request's credentials in error bodies of every envelope.
func echoingServer(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		authz := r.Header.Get("Authorization")
		switch r.URL.Path {
		case "/v1":
			writeJSON(w, http.StatusUnauthorized, fmt.Sprintf(`{"statusCode":401,"message":"bad header %s and token %s"}`, authz, testToken))
		case "/v2":
			writeJSON(w, http.StatusForbidden, fmt.Sprintf(`{"errors":[{"code":"%s","title":"t","detail":"%s"}]}`, testToken, authz))
		case "/xml":
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, "<status><status-code>404</status-code><message>%s</message></status>", authz)
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><title>%s</title></html>", testToken)
		case "/text":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "upstream said: Authorization: %s", authz)
		case "/drop":
			dropConnection(t, w)
		default:
			writeJSON(w, http.StatusOK, `{}`)
		}
	}
}

func TestCredentialsNeverAppearInErrorsOrLogs(t *testing.T) {
	basicHeader := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testToken))
	forbidden := []string{testToken, basicHeader, testUser}

	for _, auth := range []Auth{Basic{User: testUser, Token: testToken}, Bearer{Token: testToken}} {
		t.Run(fmt.Sprintf("%T", auth), func(t *testing.T) {
			logs := &logRecorder{}
			c, _ := testServer(t, echoingServer(t), func(c *Config) {
				c.Auth = auth
				c.Logger = logs
				c.MaxRetries = 1
			})
			var texts []string
			for _, path := range []string{"/v1", "/v2", "/xml", "/html", "/text", "/drop", "/ok"} {
				for _, method := range []string{http.MethodGet, http.MethodPost} {
					var out map[string]any
					err := c.DoJSON(context.Background(), Request{Method: method, Path: path, Query: map[string][]string{"accountId": {"5b10"}}}, &out)
					if path != "/ok" && err == nil {
						t.Errorf("%s %s: no error", method, path)
					}
					if err != nil {
						texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
					}
				}
			}
			lines := logs.all()
			if len(lines) == 0 {
				t.Fatal("nothing was logged")
			}
			for _, l := range lines {
				texts = append(texts, l.msg+" "+fmt.Sprint(l.fields))
				for name := range l.fields {
					switch name {
					case "method", "path", "attempt", "status", "duration_ms", "error", "retry_in_ms":
					default:
						t.Errorf("unexpected log field %q", name)
					}
				}
			}
			for _, text := range texts {
				for _, secret := range forbidden {
					if strings.Contains(text, secret) {
						t.Errorf("credential %q leaked into: %s", secret, text)
					}
				}
				if strings.Contains(text, "accountId") {
					t.Errorf("query leaked into: %s", text)
				}
			}
		})
	}
}

func TestEveryAttemptIsLogged(t *testing.T) {
	logs := &logRecorder{}
	n := &counter{}
	c, _ := testServer(t, failThen(n, 1, http.StatusServiceUnavailable, http.Header{"Retry-After": {"2"}}),
		withPrefix("/confluence"), func(c *Config) { c.Logger = LoggerFunc(logs.Debug) })
	if _, err := c.Do(context.Background(), Request{Path: "/rest/api/space"}); err != nil {
		t.Fatal(err)
	}
	lines := logs.all()
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2: %v", len(lines), lines)
	}
	first, second := lines[0].fields, lines[1].fields
	if first["method"] != "GET" || first["path"] != "/rest/api/space" || first["status"] != 503 ||
		first["attempt"] != 1 || first["retry_in_ms"] != int64(2000) {
		t.Errorf("first attempt logged as %v", first)
	}
	if _, ok := first["duration_ms"]; !ok {
		t.Error("no duration logged")
	}
	if second["status"] != 200 || second["attempt"] != 2 || second["retry_in_ms"] != nil {
		t.Errorf("second attempt logged as %v", second)
	}
}
