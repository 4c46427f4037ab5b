package confluencesim

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"testing"
)

// Start builds a simulator from seed and serves it on 127.0.0.1 for the
// life of the test. The site's base URL is the returned server's URL.
func Start(t testing.TB, seed Seed, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(seed, opts)
	if err != nil {
		t.Fatalf("confluencesim: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// Listen serves s on addr, which must be a loopback address such as
// 127.0.0.1:0 (the simulator accepts any seeded token, so it must never be
// reachable from other machines). Close the returned server to stop.
func (s *Server) Listen(addr string) (*httptest.Server, error) {
	if err := CheckLoopback(addr); err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("confluencesim: %w", err)
	}
	ts := httptest.NewUnstartedServer(s)
	_ = ts.Listener.Close()
	ts.Listener = l
	ts.Start()
	return ts, nil
}

// CheckLoopback refuses listen addresses that are not on a loopback
// interface: an empty host listens on every interface.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("listen address %q is not a loopback address; use 127.0.0.1:PORT or [::1]:PORT", addr)
}
