package scriptedhttp

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that records failures and cleanups instead of
// acting on them, so that a test can see what the fake reports.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// finish runs the cleanups, as the end of a test does, and returns the
// failures.
func (r *recorder) finish() []string {
	for _, f := range slices.Backward(r.cleanups) {
		f()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errors
}

// answer is what send read: the response's status and header, and its body.
type answer struct {
	StatusCode int
	Header     http.Header
}

func send(t *testing.T, method, target, contentType, body string) (answer, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	read, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{StatusCode: resp.StatusCode, Header: resp.Header}, string(read)
}

func TestServesTheScriptInOrder(t *testing.T) {
	rec := &recorder{TB: t}
	var checked []string
	s := Start(rec, Options{Prefix: "/confluence", Check: func(_ testing.TB, s Served) {
		checked = append(checked, fmt.Sprintf("%d %s %s %d %s", s.N, s.Request.URL.EscapedPath(), s.RequestBody, s.Status, s.Header.Get("Content-Type")))
	}},
		Exchange{Method: "GET", Path: "/rest/api/group/team%20a%2Fb", Query: url.Values{"limit": {"1"}}, Answer: `{"name":"team a/b"}`},
		Exchange{Method: "POST", Path: "/rpc", Body: `{"a":[1,2],"b":{"c":null}}`, Status: 500, ContentType: "text/html",
			Header: http.Header{"retry-after": {"3"}}, Answer: `<html>busy</html>`},
	)
	if !strings.HasSuffix(s.URL, "/confluence") {
		t.Errorf("URL %q does not end with the prefix", s.URL)
	}
	resp, answer := send(t, "GET", s.URL+"/rest/api/group/team%20a%2Fb?limit=1", "", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || answer != `{"name":"team a/b"}` {
		t.Errorf("first answer %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), answer)
	}
	// Members in another order, other spacing: the same JSON.
	resp, answer = send(t, "POST", s.URL+"/rpc", "application/json", `{ "b": {"c": null}, "a": [1, 2.0] }`)
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "text/html" || resp.Header.Get("Retry-After") != "3" || answer != `<html>busy</html>` {
		t.Errorf("second answer %d %v %s", resp.StatusCode, resp.Header, answer)
	}
	if errs := rec.finish(); len(errs) != 0 {
		t.Errorf("failures %q", errs)
	}
	want := []string{
		"1 /confluence/rest/api/group/team%20a%2Fb  200 application/json",
		`2 /confluence/rpc { "b": {"c": null}, "a": [1, 2.0] } 500 text/html`,
	}
	if !slices.Equal(checked, want) {
		t.Errorf("the check saw\n%q\nwant\n%q", checked, want)
	}
	if s.Served() != 2 {
		t.Errorf("Served = %d", s.Served())
	}
}

func TestReportsEveryDifference(t *testing.T) {
	tests := []struct {
		name                        string
		want                        Exchange
		method, target, ctype, body string // target is below the server's root
		failure                     string
	}{
		{"method", Exchange{Method: "PUT", Path: "/a"}, "POST", "/p/a", "", "", "request 1: got POST /p/a, want PUT /p/a"},
		{"path", Exchange{Method: "GET", Path: "/a%2Fb"}, "GET", "/p/a/b", "", "", "request 1: got GET /p/a/b, want GET /p/a%2Fb"},
		{"prefix missing", Exchange{Method: "GET", Path: "/a"}, "GET", "/a", "", "", "got GET /a, want GET /p/a"},
		{"query missing", Exchange{Method: "GET", Path: "/a", Query: url.Values{"limit": {"5"}}}, "GET", "/p/a", "", "", "query map[], want map[limit:[5]]"},
		{"query unexpected", Exchange{Method: "GET", Path: "/a"}, "GET", "/p/a?x=1", "", "", "query map[x:[1]], want map[]"},
		{"query value", Exchange{Method: "GET", Path: "/a", Query: url.Values{"x": {"1"}}}, "GET", "/p/a?x=2", "", "", "query map[x:[2]]"},
		{"body unexpected", Exchange{Method: "POST", Path: "/a"}, "POST", "/p/a", "application/json", `{}`, "unexpected body {}"},
		{"body missing", Exchange{Method: "POST", Path: "/a", Body: `{"x":1}`}, "POST", "/p/a", "application/json", "", "body is not JSON"},
		{"body differs", Exchange{Method: "POST", Path: "/a", Body: `{"x":1}`}, "POST", "/p/a", "application/json", `{"x":"1"}`, "body\n{\"x\":\"1\"}\nwant\n{\"x\":1}"},
		{"body content type", Exchange{Method: "POST", Path: "/a", Body: `{"x":1}`}, "POST", "/p/a", "text/plain", `{"x":1}`, `Content-Type "text/plain"`},
		{"script body not JSON", Exchange{Method: "POST", Path: "/a", Body: `{x}`}, "POST", "/p/a", "application/json", `{}`, "the script's body is not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := Start(rec, Options{Prefix: "/p"}, tt.want)
			root := strings.TrimSuffix(s.URL, "/p")
			send(t, tt.method, root+tt.target, tt.ctype, tt.body)
			errs := rec.finish()
			if len(errs) != 1 || !strings.Contains(errs[0], tt.failure) {
				t.Errorf("failures %q, want one containing %q", errs, tt.failure)
			}
		})
	}
}

func TestReportsRequestsBeyondAndShortOfTheScript(t *testing.T) {
	rec := &recorder{TB: t}
	s := Start(rec, Options{}, Exchange{Method: "GET", Path: "/a"})
	send(t, "GET", s.URL+"/a", "", "")
	if resp, _ := send(t, "DELETE", s.URL+"/b", "", ""); resp.StatusCode != http.StatusTeapot {
		t.Errorf("a request beyond the script was answered %d", resp.StatusCode)
	}
	if errs := rec.finish(); len(errs) != 1 || !strings.Contains(errs[0], "unexpected request 2: DELETE /b") {
		t.Errorf("failures %q", errs)
	}

	rec = &recorder{TB: t}
	s = Start(rec, Options{}, Exchange{Method: "GET", Path: "/a"}, Exchange{Method: "PUT", Path: "/b"}, Exchange{Method: "GET", Path: "/c"})
	send(t, "GET", s.URL+"/a", "", "")
	if errs := rec.finish(); len(errs) != 1 || errs[0] != "the client sent 1 of the 3 expected requests; next expected: PUT /b" {
		t.Errorf("failures %q", errs)
	}
}

func TestCheckFailuresAreTheTests(t *testing.T) {
	rec := &recorder{TB: t}
	s := Start(rec, Options{Check: func(t testing.TB, s Served) {
		if s.Request.Header.Get("X-Atlassian-Token") != "no-check" {
			t.Errorf("%s: no X-Atlassian-Token", s)
		}
	}}, Exchange{Method: "PUT", Path: "/a"})
	send(t, "PUT", s.URL+"/a", "", "")
	if errs := rec.finish(); len(errs) != 1 || errs[0] != "request 1 (PUT /a): no X-Atlassian-Token" {
		t.Errorf("failures %q", errs)
	}
}

// Run with -race: concurrent requests take the exchanges in arrival order.
func TestConcurrentRequests(t *testing.T) {
	const n = 32
	script := make([]Exchange, n)
	for i := range script {
		script[i] = Exchange{Method: "GET", Path: "/same", Answer: `{}`}
	}
	rec := &recorder{TB: t}
	var mu sync.Mutex
	seen := map[int]bool{}
	s := Start(rec, Options{Check: func(_ testing.TB, s Served) {
		mu.Lock()
		defer mu.Unlock()
		seen[s.N] = true
	}}, script...)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			resp, err := http.Get(s.URL + "/same")
			if err != nil {
				t.Error(err)
				return
			}
			_ = resp.Body.Close()
		})
	}
	wg.Wait()
	if errs := rec.finish(); len(errs) != 0 {
		t.Errorf("failures %q", errs)
	}
	if len(seen) != n || s.Served() != n {
		t.Errorf("served %d, positions seen %d", s.Served(), len(seen))
	}
}
