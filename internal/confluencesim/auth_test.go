package confluencesim

import (
	"net/http"
	"testing"
)

func TestAuthentication(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.AddUser(SeedUser{AccountID: "5d1e2f3a4b5c6d7e8f9a0b1c", DisplayName: "Gone", Email: "gone@example.com", AccountStatus: "inactive"}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.AddCredential(SeedCredential{AccountID: "5d1e2f3a4b5c6d7e8f9a0b1c", APIToken: "gone-token"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, auth string
		ok         bool
	}{
		{"basic email and API token", asTerraform, true},
		{"email is case-insensitive", basicAuth("Terraform@Example.com", "demo-token"), true},
		{"OAuth bearer token", "Bearer demo-oauth-token", true},
		{"scheme is case-insensitive", "bearer demo-oauth-token", true},
		{"no header", "", false},
		{"wrong token", basicAuth("terraform@example.com", "nope"), false},
		{"another user's token", basicAuth("alice@example.com", "demo-token"), false},
		{"token without email", "Basic ZGVtby10b2tlbg==", false},
		{"not base64", "Basic %%%", false},
		{"unknown bearer", "Bearer nope", false},
		{"API token as bearer", "Bearer demo-token", false},
		{"other scheme", "Digest demo-token", false},
		{"inactive account", basicAuth("gone@example.com", "gone-token"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v2 := h.get(tt.auth, "/wiki/api/v2/space-role-mode")
			v1 := h.get(tt.auth, "/wiki/rest/api/user?accountId="+aliceID)
			if tt.ok {
				v2.expect(t, http.StatusOK)
				v1.expect(t, http.StatusOK)
				return
			}
			if e := v2.expect(t, http.StatusUnauthorized).v2Error(t); e.Code != "UNAUTHORIZED" {
				t.Errorf("v2 401 %+v", e)
			}
			if msg := v1.expect(t, http.StatusUnauthorized).v1Message(t); msg != "Client must be authenticated to access this resource." {
				t.Errorf("v1 401 message %q", msg)
			}
		})
	}
}

// A write without credentials is refused before anything else, and changes
// nothing.
func TestUnauthenticatedWriteChangesNothing(t *testing.T) {
	h := newHarness(t)
	before := len(h.grants("HR"))
	h.do("", http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).
		expect(t, http.StatusUnauthorized).v1Message(t)
	if len(h.grants("HR")) != before {
		t.Error("grants changed")
	}
}
