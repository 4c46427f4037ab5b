package confluencesim

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestDemoSeedIsValidAndRealistic(t *testing.T) {
	seed := DemoSeed()
	if err := seed.ValidateFor(permissions.Cloud); err != nil {
		t.Fatal(err)
	}
	if got := joined(seed.Spaces, func(sp SeedSpace) string { return sp.Key }); got != "DOCS,ENG,HR,OPS" {
		t.Errorf("spaces %s", got)
	}
	for _, u := range seed.Users {
		if len(u.AccountID) != 24 {
			t.Errorf("accountId %q is not 24 hex characters like real ones", u.AccountID)
		}
	}
	if _, err := New(seed, Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestParseSeedRejectsUnknownFields(t *testing.T) {
	_, err := ParseSeed(strings.NewReader(`{"users": [], "spacez": []}`))
	if err == nil || !strings.Contains(err.Error(), `unknown field "spacez"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadSeedNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte(`{"roleMode": "NOPE"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSeed(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `roleMode "NOPE"`) {
		t.Fatalf("err = %v", err)
	}
}

// TestSeedValidation edits the demo seed into every kind of mistake and
// checks that the error says what and where.
func TestSeedValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Seed)
		want string
	}{
		{"bad role mode", func(s *Seed) { s.RoleMode = "roles" }, `roleMode "roles" is not one of`},
		{"missing accountId", func(s *Seed) { s.Users[1].AccountID = "" }, "users[1]: accountId is required"},
		{"duplicate accountId", func(s *Seed) { s.Users[2].AccountID = aliceID }, "accountId is used twice"},
		{"anonymous accountId", func(s *Seed) { s.Users = append(s.Users, SeedUser{AccountID: "anonymous", DisplayName: "x"}) }, "reserved for anonymous"},
		{"duplicate email", func(s *Seed) { s.Users[2].Email = "ALICE@example.com" }, `is also the email of ` + aliceID},
		{"bad account type", func(s *Seed) { s.Users[1].AccountType = "robot" }, `accountType "robot" is not one of`},
		{"missing display name", func(s *Seed) { s.Users[1].DisplayName = " " }, "displayName is required"},
		{"group without id", func(s *Seed) { s.Groups[0].ID = "" }, "id is required"},
		{"duplicate group name", func(s *Seed) { s.Groups[1].Name = "Confluence-Users" }, "name is used twice"},
		{"unknown member", func(s *Seed) { s.Groups[0].Members = append(s.Groups[0].Members, "nobody") }, `member "nobody" is not a seeded user`},
		{"credential of unknown user", func(s *Seed) { s.Credentials[0].AccountID = "nobody" }, "accountId is not a seeded user"},
		{"credential without token", func(s *Seed) { s.Credentials[1].APIToken = "" }, "give an apiToken, an oauthToken or both"},
		{"api token without email", func(s *Seed) { s.Users[1].Email = "" }, "an apiToken needs the user's email"},
		{"bad space key", func(s *Seed) { s.Spaces[0].Key = "DO CS" }, `key "DO CS" must be letters and digits`},
		{"duplicate space key", func(s *Seed) { s.Spaces[1].Key = "DOCS" }, "key is used twice"},
		{"duplicate space id", func(s *Seed) { s.Spaces[0].ID, s.Spaces[1].ID = 7, 7 }, "id 7 is used twice"},
		{"bad space type", func(s *Seed) { s.Spaces[0].Type = "team" }, `type "team" is not one of`},
		{"bad status", func(s *Seed) { s.Spaces[0].Status = "deleted" }, `status "deleted" is not one of`},
		{"bad label", func(s *Seed) { s.Spaces[0].Labels = []string{"a,b"} }, `label "a,b" must be one word`},
		{"unknown grant user", func(s *Seed) { s.Spaces[0].Grants[0].Principal.ID = "nobody" }, `user "nobody" is not a seeded user`},
		{"unknown grant group", func(s *Seed) { s.Spaces[0].Grants[1].Principal.ID = "engineering" }, `group id "engineering" is not a seeded group`},
		{"bad principal type", func(s *Seed) { s.Spaces[0].Grants[0].Principal.Type = "role" }, `principal type "role"`},
		{"anonymous with id", func(s *Seed) { s.Spaces[0].Grants[2].Principal.ID = "x" }, "takes no id"},
		{"unknown operation", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"read/space", "administer/page"} }, `"administer/page" is not a Confluence space permission`},
		{"malformed operation", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"read-space"} }, "not of the form key/target"},
		{"no read/space", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"create/page"} }, `must include "read/space"`},
		{"anonymous admin", func(s *Seed) { s.Spaces[0].Grants[2].Operations = []string{"read/space", "administer/space"} }, "anonymous users cannot hold"},
		{"duplicate operation", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"read/space", "read/space"} }, "listed twice"},
		{"principal twice", func(s *Seed) { s.Spaces[0].Grants = append(s.Spaces[0].Grants, s.Spaces[0].Grants[0]) }, "the principal is listed twice"},
		{"no admin", func(s *Seed) { s.Spaces[0].Grants = s.Spaces[0].Grants[1:] }, "no user or group holds administer/space"},
		{"data center operation", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"read/space", "delete_mail/space"} }, "does not exist on Confluence Cloud"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := DemoSeed()
			tt.edit(&seed)
			err := seed.ValidateFor(permissions.Cloud)
			var se *SeedError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a SeedError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not contain %q:\n%v", tt.want, err)
			}
			if _, err := New(seed, Options{}); err == nil {
				t.Errorf("New accepted the seed")
			}
		})
	}
}

func TestSnapshotRoundTrips(t *testing.T) {
	sim, err := New(DemoSeed(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddGrant("HR", state.UserPrincipal(bobID), op("read/space")); err != nil {
		t.Fatal(err)
	}
	snap := sim.Snapshot()
	again, err := New(snap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Snapshot(), snap) {
		t.Errorf("snapshot of a site built from a snapshot differs")
	}
	if !reflect.DeepEqual(again.Spaces(), sim.Spaces()) {
		t.Errorf("spaces differ")
	}
}

func TestNewRefusesUnknownFlavourAndBadPrefix(t *testing.T) {
	if _, err := New(DemoSeed(), Options{Flavour: "server"}); err == nil || !strings.Contains(err.Error(), "not simulated") {
		t.Errorf("err = %v", err)
	}
	if _, err := New(DemoSeed(), Options{PathPrefix: "/ex/confluence/x/"}); err == nil {
		t.Errorf("a prefix ending in / was accepted")
	}
}
