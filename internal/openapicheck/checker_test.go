package openapicheck

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func exchange(method, target, reqBody string, status int, respBody string) Exchange {
	r := httptest.NewRequest(method, "https://example.atlassian.net"+target, strings.NewReader(reqBody))
	if reqBody != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	h := http.Header{}
	if respBody != "" {
		h.Set("Content-Type", "application/json")
	}
	return Exchange{Request: r, RequestBody: []byte(reqBody), StatusCode: status, Header: h, ResponseBody: []byte(respBody)}
}

const (
	validAssignments = `{"results":[{"id":"7405569","principal":{"type":"group","id":"8f2d9c0e"},"operation":{"key":"read","targetType":"space"}}],` +
		`"_links":{"next":"/wiki/api/v2/spaces/98306/permissions?cursor=eyJpZCI6Ijc0MDU1NzAifQ%3D%3D","base":"https://example.atlassian.net/wiki"}}`
	addBody     = `{"subject":{"type":"user","identifier":"5b10ac8d82e05b22cc7d4ef5"},"operation":{"key":"read","target":"space"}}`
	addResponse = `{"id":7405572,"subject":{"type":"user","identifier":"5b10ac8d82e05b22cc7d4ef5"},"operation":{"key":"read","target":"space"},` +
		`"_links":{"base":"https://example.atlassian.net/wiki","context":"/wiki"}}`
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		x    Exchange
		opts Options
		want string // substring of the only violation; "" for none
	}{
		{name: "v2 list", x: exchange("GET", "/wiki/api/v2/spaces/98306/permissions?limit=25", "", 200, validAssignments)},
		{name: "v1 write", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission", addBody, 200, addResponse)},
		{name: "v1 delete", x: exchange("DELETE", "/wiki/rest/api/space/DOCS/permission/7405572", "", 204, "")},
		{name: "error without a schema", x: exchange("DELETE", "/wiki/rest/api/space/DOCS/permission/1", "", 400, `{"statusCode":400}`)},
		{name: "gateway prefix", x: exchange("GET", "/ex/confluence/0a1b2c3d/wiki/api/v2/space-role-mode", "", 200, `{"mode":"ROLES"}`)},
		{name: "literal path beats parameter", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission/custom-content",
			`{"subject":{"type":"user","identifier":"a"},"operations":[{"key":"read","target":"ac:app:type","access":true}]}`, 200, "")},
		{name: "401 on an operation that omits it", x: exchange("GET", "/wiki/rest/api/group/picker?query=eng", "", 401, "")},
		{name: "429 anywhere", x: exchange("GET", "/wiki/api/v2/spaces", "", 429, `{"errors":[]}`)},
		{name: "comma-separated ids", x: exchange("GET", "/wiki/api/v2/spaces?ids=1,2&keys=A,B", "", 200, `{"results":[],"_links":{}}`)},
		{name: "string id of GET /space-roles/{id}", x: exchange("GET", "/wiki/api/v2/space-roles/3c9a7b1e-2d4f-4e6a-8b0c-1d2e3f4a5b6c", "", 200, `{"id":"3c9a7b1e"}`)},
		{name: "composed schema members", x: exchange("GET", "/wiki/api/v2/spaces/98306", "", 200, `{"id":"98306","_links":{"webui":"/spaces/DOCS","base":"https://x/wiki"}}`)},
		{name: "free-form links", x: exchange("GET", "/wiki/rest/api/group/by-id?id=g1", "", 200, `{"type":"group","name":"n","id":"g1","_links":{"anything":"x"}}`)},
		{name: "additionalProperties true", x: exchange("GET", "/wiki/rest/api/user?accountId=a", "", 200, `{"type":"known","accountId":"a","whatever":1}`)},

		{name: "unknown path", x: exchange("GET", "/wiki/api/v2/space-permission-list", "", 200, `{}`), want: "path is not declared"},
		{name: "unknown method", x: exchange("GET", "/wiki/rest/api/space/DOCS/permission", "", 405, `{}`), want: "method GET is not declared"},
		{name: "undeclared status", x: exchange("DELETE", "/wiki/rest/api/space/DOCS/permission/1", "", 409, ""), want: "status 409 is not declared"},
		{name: "wrong type", x: exchange("GET", "/wiki/api/v2/spaces/98306/permissions", "", 200, strings.Replace(validAssignments, `"targetType":"space"`, `"targetType":3`, 1)), want: "targetType"},
		{name: "undeclared member", x: exchange("GET", "/wiki/api/v2/spaces/98306", "", 200, `{"id":"98306","_links":{"webui":"/x","self":"/y"}}`), want: "body._links.self is not declared"},
		{name: "nested undeclared member", x: exchange("GET", "/wiki/api/v2/spaces/98306/permissions", "", 200, strings.Replace(validAssignments, `"type":"group"`, `"type":"group","name":"g"`, 1)), want: "body.results[0].principal.name"},
		{name: "v1 id as string", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission", addBody, 200, strings.Replace(addResponse, "7405572", `"7405572"`, 1)), want: `Error at "/id"`},
		{name: "body not matching the request schema", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission", strings.Replace(addBody, `"user"`, `"role"`, 1), 200, addResponse), want: "request"},
		{name: "invalid request refused with 400", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission", `{}`, 400, ""), opts: Options{AcceptRejectedRequests: true}},
		{name: "invalid request answered 200", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission", `{}`, 200, addResponse), opts: Options{AcceptRejectedRequests: true}, want: "request"},
		{name: "limit out of range", x: exchange("GET", "/wiki/api/v2/spaces?limit=500", "", 200, `{"results":[]}`), want: "limit"},
		{name: "comma-separated ids that are not numbers", x: exchange("GET", "/wiki/api/v2/spaces?ids=1,x", "", 200, `{"results":[]}`), want: "ids"},
		{name: "undeclared query parameter", x: exchange("GET", "/wiki/api/v2/spaces?spaceKey=DOCS", "", 200, `{"results":[]}`), want: `query parameter "spaceKey" is not declared`},
		{name: "allowed operation", x: exchange("GET", "/wiki/api/v2/space-role-mode", "", 200, `{"mode":"ROLES"}`),
			opts: Options{Operations: []string{"GET /wiki/api/v2/space-role-mode"}}},
		{name: "operation not allowed", x: exchange("GET", "/wiki/api/v2/spaces/98306", "", 200, `{"id":"98306"}`),
			opts: Options{Operations: []string{"GET /wiki/api/v2/space-role-mode"}}, want: "[GET /wiki/api/v2/spaces/{id}]: request: the operation is not one of Options.Operations"},
		{name: "operation not allowed although refused", x: exchange("POST", "/wiki/rest/api/space/DOCS/permission", `{}`, 400, ""),
			opts: Options{Operations: []string{}, AcceptRejectedRequests: true}, want: "not one of Options.Operations"},
		{name: "undeclared members allowed", x: exchange("GET", "/wiki/api/v2/spaces/98306", "", 200, `{"id":"98306","extra":true}`), opts: Options{AllowUndeclaredMembers: true}},
		{name: "wrong content type", x: func() Exchange {
			x := exchange("GET", "/wiki/api/v2/space-role-mode", "", 200, `{"mode":"ROLES"}`)
			x.Header.Set("Content-Type", "text/html")
			return x
		}(), want: "text/html"},
	}
	docs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(docs, tt.opts)
			vs := c.Check(tt.x)
			if tt.want == "" {
				for _, v := range vs {
					t.Errorf("unexpected violation: %s", v)
				}
				return
			}
			if len(vs) == 0 {
				t.Fatalf("no violation, want one about %q", tt.want)
			}
			if !strings.Contains(vs[0].String(), tt.want) {
				t.Errorf("violation %q does not mention %q", vs[0], tt.want)
			}
			if got := c.Violations(); len(got) != len(vs) || c.Exchanges() != 1 {
				t.Errorf("recorded %d violations of %d exchanges", len(got), c.Exchanges())
			}
		})
	}
}

func TestUnknownOperationsAreRefused(t *testing.T) {
	docs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Operations: []string{"GET /wiki/api/v2/space-role-mode", "GET /spaces"}}
	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), `["GET /spaces"]`) {
				t.Errorf("New panicked with %v, want the unknown name", p)
			}
		}()
		New(docs, opts)
	}()
	ft := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		NewForTest(ft, opts)
	}()
	<-done
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], `["GET /spaces"]`) {
		t.Errorf("NewForTest failed with %q, want the unknown name", ft.errors)
	}
}

func TestCoverageAndReset(t *testing.T) {
	c := NewForTest(t, Options{})
	c.Check(exchange("GET", "/wiki/api/v2/space-role-mode", "", 200, `{"mode":"ROLES"}`))
	c.Check(exchange("GET", "/ex/confluence/abc/wiki/api/v2/space-role-mode", "", 200, `{"mode":"ROLES"}`))
	c.Check(exchange("GET", "/nowhere", "", 404, ""))
	if got := c.Coverage(); got["GET /wiki/api/v2/space-role-mode"] != 2 || len(got) != 1 {
		t.Errorf("coverage %v", got)
	}
	if c.Exchanges() != 3 || len(c.Violations()) != 1 {
		t.Errorf("%d exchanges, violations %v", c.Exchanges(), c.Violations())
	}
	c.Reset()
	if c.Exchanges() != 0 || len(c.Violations()) != 0 || len(c.Coverage()) != 0 {
		t.Error("Reset left state behind")
	}
}

func TestMiddlewareAndTransport(t *testing.T) {
	c := NewForTest(t, Options{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(addResponse))
			return
		}
		_, _ = w.Write([]byte(`{"mode":"PRE_ROLES","extra":1}`))
	})
	ts := httptest.NewServer(c.Middleware(handler))
	defer ts.Close()
	client := &http.Client{Transport: c.Transport(nil)}
	resp, err := client.Post(ts.URL+"/wiki/rest/api/space/DOCS/permission", "application/json", strings.NewReader(addBody))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = client.Get(ts.URL + "/wiki/api/v2/space-role-mode")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Each exchange is seen twice: by the client's transport and the server's middleware.
	if c.Exchanges() != 4 {
		t.Errorf("%d exchanges", c.Exchanges())
	}
	vs := c.Violations()
	if len(vs) != 2 || !strings.Contains(vs[0].Problem, "body.extra is not declared") {
		t.Errorf("violations %v", vs)
	}
}

func TestConcurrentChecks(t *testing.T) {
	c := NewForTest(t, Options{})
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			c.Check(exchange("GET", "/wiki/api/v2/spaces/98306/permissions", "", 200, validAssignments))
			c.Check(exchange("POST", "/wiki/rest/api/space/DOCS/permission", addBody, 200, addResponse))
		})
	}
	wg.Wait()
	if c.Exchanges() != 64 || len(c.Violations()) != 0 {
		t.Errorf("%d exchanges, violations %v", c.Exchanges(), c.Violations())
	}
}

func TestAssertClean(t *testing.T) {
	c := NewForTest(t, Options{})
	ft := &fakeTB{TB: t}
	c.AssertClean(ft)
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "no exchange was checked") {
		t.Errorf("errors %q", ft.errors)
	}
	c.Check(exchange("GET", "/wiki/api/v2/nowhere", "", 404, ""))
	ft = &fakeTB{TB: t}
	c.AssertClean(ft)
	if len(ft.errors) != 1 || !strings.Contains(ft.errors[0], "path is not declared") {
		t.Errorf("errors %q", ft.errors)
	}
}

// fakeTB records failures instead of failing the test.
type fakeTB struct {
	testing.TB
	errors []string
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatal(args ...any) {
	f.errors = append(f.errors, fmt.Sprint(args...))
	runtime.Goexit()
}

func (f *fakeTB) Helper() {}
