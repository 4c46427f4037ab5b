package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitForFile returns the file's content once it exists.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
			return strings.TrimSpace(string(data))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s was not written", path)
	return ""
}

// startServe runs "confluencesim serve" with args, writing its output to
// stdout, and returns the site's URL, read from the URL file, and stop,
// which ends the command and returns what it returned.
func startServe(t *testing.T, stdout io.Writer, args ...string) (url string, stop func() error) {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append(append([]string{"serve"}, args...), "--url-file", urlFile), stdout, &syncBuffer{})
	}()
	return waitForFile(t, urlFile), func() error {
		cancel()
		return <-done
	}
}

// send sends req and returns the status and the body of the answer.
func send(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func TestServeDemo(t *testing.T) {
	var stdout syncBuffer
	url, stop := startServe(t, &stdout, "--addr", "127.0.0.1:0", "--latency", "1ms")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q", url)
	}

	req, _ := http.NewRequest(http.MethodGet, url+"/wiki/api/v2/spaces?keys=DOCS", nil)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("terraform@example.com:demo-token")))
	if status, _ := send(t, req); status != http.StatusOK {
		t.Errorf("status %d", status)
	}

	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if !strings.Contains(out, "confluencesim: Confluence Cloud simulator listening on "+url+"\n") {
		t.Errorf("output %q", out)
	}
	if !strings.Contains(out, "stopped after 1 requests") {
		t.Errorf("output %q", out)
	}
}

func TestServeSeedAndPrefix(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile(filepath.Join("..", "..", "internal", "confluencesim", "seeds", "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	seedFile := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	url, stop := startServe(t, &syncBuffer{}, "--seed", seedFile, "--path-prefix", "/ex/confluence/abc")
	if !strings.HasSuffix(url, "/ex/confluence/abc") {
		t.Fatalf("url %q does not carry the prefix", url)
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/wiki/api/v2/space-role-mode", nil)
	req.Header.Set("Authorization", "Bearer demo-oauth-token")
	if status, _ := send(t, req); status != http.StatusOK {
		t.Errorf("status %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// The Data Center flavour serves the demo site under a context path, at the
// version asked for, with the remote API on: 8.5 has no REST permission API.
func TestServeDataCenter(t *testing.T) {
	var stdout syncBuffer
	url, stop := startServe(t, &stdout, "--flavour", "datacenter", "--dc-version", "8.5.4", "--remote-api", "--path-prefix", "/confluence")
	if !strings.HasSuffix(url, "/confluence") {
		t.Fatalf("url %q does not carry the context path", url)
	}
	for _, tc := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{http.MethodGet, "/rest/api/server-information", "", http.StatusNotFound, "<status-code>404</status-code>"}, // since 9.1
		{http.MethodPost, "/rpc/json-rpc/confluenceservice-v2", `{"jsonrpc":"2.0","method":"getServerInfo","params":[],"id":1}`,
			http.StatusOK, `"majorVersion":8,"minorVersion":5,"patchLevel":4`},
		{http.MethodGet, "/rest/api/space/HR/permissions", "", http.StatusNotFound, "<status-code>404</status-code>"},
		{http.MethodPost, "/rpc/json-rpc/confluenceservice-v2", `{"jsonrpc":"2.0","method":"addPermissionToSpace","params":["VIEWSPACE","bob","HR"],"id":1}`,
			http.StatusOK, `"result":true`},
	} {
		req, _ := http.NewRequest(tc.method, url+tc.path, strings.NewReader(tc.body))
		req.SetBasicAuth("terraform", "demo-token")
		if status, body := send(t, req); status != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, status, body)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if out := stdout.String(); !strings.Contains(out, "Confluence Data Center simulator listening on "+url) {
		t.Errorf("output %q", out)
	}
}

func TestServeRefusals(t *testing.T) {
	badSeed := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(badSeed, []byte(`{"spaces": [{"key": "X"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "missing subcommand"},
		{[]string{"start"}, `unknown subcommand "start"`},
		{[]string{"serve", "--addr", "0.0.0.0:8080"}, "not a loopback address"},
		{[]string{"serve", "--addr", ":8080"}, "not a loopback address"},
		{[]string{"serve", "--addr", "example.com:80"}, "not a loopback address"},
		{[]string{"serve", "--flavour", "server"}, `flavour "server" is not simulated`},
		{[]string{"serve", "--remote-api"}, "for the datacenter flavour only"},
		{[]string{"serve", "--flavour", "datacenter", "--dc-version", "nine"}, `data center version "nine"`},
		{[]string{"serve", "--cloud-anonymous", "nobody"}, `option CloudAnonymous "nobody"`},
		{[]string{"serve", "--space-keys-param", "semicolons"}, `option SpaceKeysParam "semicolons"`},
		{[]string{"serve", "--required-permissions", "ignored"}, `option RequiredPermissions "ignored"`},
		{[]string{"serve", "--flavour", "datacenter", "--free-edition"}, "for the cloud flavour only"},
		{[]string{"serve", "--flavour", "datacenter", "--remote-api-off-status", "500"}, "option RemoteAPIOffStatus 500"},
		{[]string{"serve", "--remote-api-off-status", "404"}, "for the datacenter flavour only"},
		{[]string{"serve", "--grant-policy", "all"}, `option GrantPolicy "all"`},
		{[]string{"serve", "--grant-refusal-status", "401"}, "option GrantRefusalStatus 401"},
		{[]string{"serve", "--role-assignment-failure", "some"}, `option RoleAssignmentFailure "some"`},
		{[]string{"serve", "--flavour", "datacenter", "--combinations-not-generated"}, "for the cloud flavour only"},
		{[]string{"serve", "--rate-limit", "-5"}, "option RateLimit.PerSecond -5"},
		{[]string{"serve", "--rate-burst", "3"}, "needs RateLimit.PerSecond"},
		{[]string{"serve", "--rate-limit", "fast"}, "invalid value"},
		{[]string{"serve", "--flavour", "datacenter", "--dc-version", "7.4.1", "--rate-limit", "5"}, "has no rate limiting"},
		{[]string{"serve", "--seed", badSeed}, "name is required"},
		{[]string{"serve", "--seed", "/does/not/exist.json"}, "reading seed"},
		{[]string{"serve", "--path-prefix", "ex/"}, "path prefix"},
		{[]string{"serve", "extra"}, "unexpected arguments"},
		{[]string{"serve", "--nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stderr syncBuffer
			err := run(context.Background(), tt.args, &syncBuffer{}, &stderr)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error()+stderr.String(), tt.want) {
				t.Errorf("err %v, stderr %q; want %q", err, stderr.String(), tt.want)
			}
		})
	}
}

// The flags of the options that choose between plausible answers reach
// the simulator's Options as given.
func TestServeVariantFlags(t *testing.T) {
	c, err := parseServeFlags([]string{"--cloud-anonymous", "user", "--distinct-permission-ids", "--space-keys-param", "either",
		"--free-edition", "--role-rows-in-permission-list", "--required-permissions", "refused", "--role-task-delay", "-1ns",
		"--remote-api-off-status", "404", "--grant-policy", "any-role", "--grant-refusal-status", "403",
		"--role-assignment-failure", "all-or-nothing", "--combinations-not-generated", "--rate-limit", "50", "--rate-burst", "7"}, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := confluencesim.Options{
		CloudAnonymous: confluencesim.AnonymousAsUser, DistinctPermissionIDs: true, SpaceKeysParam: confluencesim.KeysEither,
		FreeEdition: true, RoleRowsInPermissionList: true, RequiredPermissions: confluencesim.RequiredRefused, RoleTaskDelay: -1,
		RemoteAPIOffStatus: 404, GrantPolicy: confluencesim.GrantAnyRole, GrantRefusalStatus: 403,
		RoleAssignmentFailure: confluencesim.AssignmentsAllOrNothing, CombinationsNotGenerated: true,
		RateLimit: confluencesim.RateLimit{PerSecond: 50, Burst: 7},
	}
	if c.variants != want {
		t.Errorf("options %+v, want %+v", c.variants, want)
	}
	var help syncBuffer
	if _, err := parseServeFlags([]string{"-h"}, &help); err == nil {
		t.Fatal("-h did not stop")
	}
	for _, flag := range []string{"-cloud-anonymous", "-distinct-permission-ids", "-space-keys-param", "-free-edition",
		"-role-rows-in-permission-list", "-required-permissions", "-role-task-delay", "-remote-api-off-status",
		"-grant-policy", "-grant-refusal-status", "-role-assignment-failure", "-combinations-not-generated", "-rate-limit", "-rate-burst"} {
		if !strings.Contains(help.String(), flag) {
			t.Errorf("serve -h does not document %s", flag)
		}
	}
}

// --rate-limit and --rate-burst limit the site: past the burst, requests
// answer 429 with Retry-After.
func TestServeRateLimit(t *testing.T) {
	var stdout syncBuffer
	url, stop := startServe(t, &stdout, "--rate-limit", "0.5", "--rate-burst", "2")
	statuses := make([]int, 3)
	var retryAfter string
	for i := range statuses {
		req, _ := http.NewRequest(http.MethodGet, url+"/wiki/api/v2/space-role-mode", nil)
		req.Header.Set("Authorization", "Bearer demo-oauth-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		statuses[i], retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	}
	if statuses[0] != http.StatusOK || statuses[1] != http.StatusOK || statuses[2] != http.StatusTooManyRequests || retryAfter != "2" {
		t.Errorf("statuses %v, last Retry-After %q", statuses, retryAfter)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if out := stdout.String(); !strings.Contains(out, "stopped after 3 requests (1 answered 429 Too Many Requests)") {
		t.Errorf("output %q", out)
	}
}
