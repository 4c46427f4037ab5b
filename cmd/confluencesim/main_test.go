package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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

func TestServeDemo(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--latency", "1ms", "--url-file", urlFile}, &stdout, &syncBuffer{})
	}()
	url := waitForFile(t, urlFile)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q", url)
	}

	req, _ := http.NewRequest(http.MethodGet, url+"/wiki/api/v2/spaces?keys=DOCS", nil)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("terraform@example.com:demo-token")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
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
	seedFile, urlFile := filepath.Join(dir, "seed.json"), filepath.Join(dir, "url")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--seed", seedFile, "--path-prefix", "/ex/confluence/abc", "--url-file", urlFile}, &syncBuffer{}, &syncBuffer{})
	}()
	url := waitForFile(t, urlFile)
	if !strings.HasSuffix(url, "/ex/confluence/abc") {
		t.Fatalf("url %q does not carry the prefix", url)
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/wiki/api/v2/space-role-mode", nil)
	req.Header.Set("Authorization", "Bearer demo-oauth-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
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
		{[]string{"serve", "--flavour", "datacenter"}, `flavour "datacenter" is not simulated`},
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
