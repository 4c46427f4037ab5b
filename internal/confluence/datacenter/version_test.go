package datacenter

import (
	"context"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

func TestParseVersionAndChooseTheAPI(t *testing.T) {
	tests := []struct {
		in   string
		want Version
		rest bool
	}{
		{"9.1.0", Version{9, 1, 0}, true},
		{"9.1", Version{9, 1, 0}, true},
		{"9.2.1", Version{9, 2, 1}, true},
		{"9.10.2", Version{9, 10, 2}, true}, // numerically, not as text
		{"10.0.1", Version{10, 0, 1}, true},
		{"10", Version{10, 0, 0}, true},
		{" 9.1.0-m12 ", Version{9, 1, 0}, true},
		{"9.0.3", Version{9, 0, 3}, false},
		{"8.5.16", Version{8, 5, 16}, false},
		{"8.9.10+b2", Version{8, 9, 10}, false},
		{"7.19.16.1", Version{7, 19, 16}, false},
		{"5.9.9", Version{5, 9, 9}, false},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if err != nil || got != tt.want || got.HasRESTPermissions() != tt.rest {
			t.Errorf("ParseVersion(%q) = %v, %v (REST %v); want %v (REST %v)", tt.in, got, err, got.HasRESTPermissions(), tt.want, tt.rest)
		}
	}
	for _, junk := range []string{"", "junk", "9.x", "9..1", "v9.1", "-1.0", "9.1.0.0.0", "9,1", "+9.1", "9. 1"} {
		if v, err := ParseVersion(junk); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", junk, v)
		}
	}
	if s := (Version{9, 2, 1}).String(); s != "9.2.1" {
		t.Errorf("String = %q", s)
	}
}

func TestServerVersion(t *testing.T) {
	info := func(status int, answer string) exchange {
		return exchange{Method: "GET", Path: "/rest/api/server-information", Status: status, Answer: answer}
	}
	api := newAPI(t,
		info(200, `{"baseUrl":"https://dc.example.com/confluence","version":"9.2.1","buildNumber":9201,"buildDate":"2024-11-01"}`),
		info(200, `{"baseUrl":"https://dc.example.com/confluence"}`),
		info(200, `{"version":"nine"}`),
		info(404, `{"statusCode":404,"message":"null for uri"}`),
	)
	ctx := context.Background()
	if v, err := ServerVersion(ctx, api); err != nil || v != (Version{9, 2, 1}) {
		t.Errorf("ServerVersion = %v, %v", v, err)
	}
	if _, err := ServerVersion(ctx, api); err == nil || !strings.Contains(err.Error(), "without a version") {
		t.Errorf("err = %v", err)
	}
	if _, err := ServerVersion(ctx, api); err == nil || !strings.Contains(err.Error(), `"nine"`) {
		t.Errorf("err = %v", err)
	}
	if _, err := ServerVersion(ctx, api); !confluence.IsNotFound(err) {
		t.Errorf("err = %v", err)
	}
}
