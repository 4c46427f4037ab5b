package state

import (
	"slices"
	"strings"
	"testing"
)

// A user whose seed names no Data Center identity gets one: the email's
// local part (else the accountId) and a key derived from the accountId.
func TestDCIdentityDefaults(t *testing.T) {
	withEmail := SeedUser{AccountID: "5d0e1f2a3b4c5d6e7f8a9b0c", Email: "dave.k@example.com"}
	if name, key := withEmail.DCIdentity(); name != "dave.k" || key != derivedUserKey(withEmail.AccountID) {
		t.Errorf("identity %q %q", name, key)
	}
	bare := SeedUser{AccountID: "5d0e1f2a3b4c5d6e7f8a9b0d"}
	if name, _ := bare.DCIdentity(); name != bare.AccountID {
		t.Errorf("username %q", name)
	}
	keys := []string{derivedUserKey("a"), derivedUserKey("b"), derivedUserKey("a")}
	if keys[0] != keys[2] || keys[0] == keys[1] || len(keys[0]) != 32 || strings.Trim(keys[0], "0123456789abcdef") != "" {
		t.Errorf("keys %v", keys)
	}
	if got := slices.Compact(slices.Sorted(slices.Values(keys))); len(got) != 2 {
		t.Errorf("keys %v", got)
	}
}
