package confluencesim

import (
	"net/http"
	"strings"
	"testing"
)

func TestStart(t *testing.T) {
	sim, ts := Start(t, DemoSeed(), Options{})
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/wiki/api/v2/space-role-mode", nil)
	req.Header.Set("Authorization", asTerraform)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || sim.TotalRequests() != 1 || !strings.HasPrefix(ts.URL, "http://127.0.0.1:") {
		t.Errorf("status %d, %d requests, url %s", resp.StatusCode, sim.TotalRequests(), ts.URL)
	}
}

func TestListen(t *testing.T) {
	sim, err := New(DemoSeed(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := sim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/wiki/api/v2/spaces")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d", resp.StatusCode)
	}
	if _, err := sim.Listen("0.0.0.0:0"); err == nil {
		t.Error("a wildcard address was accepted")
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "127.0.0.2:8080": true, "[::1]:0": true, "localhost:9000": true,
		":8080": false, "0.0.0.0:80": false, "[::]:80": false, "10.0.0.5:80": false, "example.com:80": false, "127.0.0.1": false,
	} {
		if err := CheckLoopback(addr); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", addr, err)
		}
	}
}
