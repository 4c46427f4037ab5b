package confluencesim

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The rules that differ between flavours are switches of the flavours table:
// Cloud enforces read/space first, the cascade and last admin
// (contributing/confluence-api.md#permission-writes-v1,
// contributing/confluence-api.md#removing-a-grant-v1); Data Center enforces
// none of them
// (contributing/confluence-api.md#data-center-ordering-and-the-last-admin).
// Both refuse anonymous admin and operations they do not offer.
func TestRulesPerFlavour(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Server) ([]Grant, error)
		cloud  Rule // "" when Cloud allows it
		dc     Rule
	}{
		{"grant without read/space", func(s *Server) ([]Grant, error) {
			g, err := s.AddGrant("HR", state.UserPrincipal(bobID), op("create/page"))
			return []Grant{g}, err
		}, RuleReadSpaceFirst, ""},
		{"remove the last admin", func(s *Server) ([]Grant, error) {
			return s.RemoveGrantOf("HR", state.UserPrincipal(carolID), permissions.AdministerSpace)
		}, RuleLastAdmin, ""},
		{"anonymous admin", func(s *Server) ([]Grant, error) {
			g, err := s.AddGrant("DOCS", permissions.AnonymousPrincipal, permissions.AdministerSpace)
			return []Grant{g}, err
		}, RuleAnonymousAdmin, RuleAnonymousAdmin},
		{"archive/page", func(s *Server) ([]Grant, error) {
			g, err := s.AddGrant("DOCS", state.GroupPrincipal(usersGroupID), op("archive/page"))
			return []Grant{g}, err
		}, "", RuleInvalidOperation},
		{"delete_mail/space", func(s *Server) ([]Grant, error) {
			g, err := s.AddGrant("DOCS", state.GroupPrincipal(usersGroupID), op("delete_mail/space"))
			return []Grant{g}, err
		}, RuleInvalidOperation, ""},
		{"duplicate", func(s *Server) ([]Grant, error) {
			g, err := s.AddGrant("HR", state.UserPrincipal(carolID), permissions.ReadSpace)
			return []Grant{g}, err
		}, RuleDuplicateGrant, RuleDuplicateGrant},
	}
	for _, tt := range tests {
		for flavour, want := range map[Flavour]Rule{Cloud: tt.cloud, DataCenter: tt.dc} {
			t.Run(tt.name+" on "+string(flavour), func(t *testing.T) {
				sim, err := New(DemoSeed(), Options{Flavour: flavour})
				if err != nil {
					t.Fatal(err)
				}
				_, err = tt.change(sim)
				if want == "" && err != nil || want != "" && !IsRule(err, want) {
					t.Errorf("err = %v, want rule %q", err, want)
				}
			})
		}
	}
}

// Removing read/space cascades on Cloud only
// (contributing/confluence-api.md#removing-a-grant-v1).
func TestReadCascadePerFlavour(t *testing.T) {
	for flavour, removed := range map[Flavour]int{Cloud: 4, DataCenter: 1} {
		sim, err := New(DemoSeed(), Options{Flavour: flavour})
		if err != nil {
			t.Fatal(err)
		}
		gone, err := sim.RemoveGrantOf("DOCS", state.GroupPrincipal(usersGroupID), permissions.ReadSpace)
		if err != nil || len(gone) != removed {
			t.Errorf("%s: removed %d grants (err %v), want %d", flavour, len(gone), err, removed)
		}
	}
}

// A Data Center site in a state Cloud never reaches (grants without
// read/space, a space without admin) still exports and rebuilds, and still
// accepts new users: seeds are checked under the flavour's rules.
func TestDCSnapshotOfStatesCloudRefuses(t *testing.T) {
	sim, err := New(DemoSeed(), Options{Flavour: DataCenter})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddGrant("HR", state.UserPrincipal(bobID), op("create/page")); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.RemoveGrantOf("HR", state.UserPrincipal(carolID), permissions.AdministerSpace); err != nil {
		t.Fatal(err)
	}
	if err := sim.AddUser(SeedUser{AccountID: "5d0e1f2a3b4c5d6e7f8a9b0c", DisplayName: "Dave", Username: "dave"}); err != nil {
		t.Fatal(err)
	}
	snap := sim.Snapshot()
	again, err := New(snap, Options{Flavour: DataCenter})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Snapshot(), snap) {
		t.Error("snapshot of a rebuilt site differs")
	}
	if _, err := New(snap, Options{Flavour: Cloud}); err == nil {
		t.Error("Cloud accepted a space without admin")
	}
}

// The demo seed serves both flavours with the same people, and the Data
// Center seed rules refuse what Data Center does not have.
func TestSeedsForDataCenter(t *testing.T) {
	if _, err := New(DemoSeed(), Options{Flavour: DataCenter}); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		terraformID: {"terraform", terraformKey}, aliceID: {"alice", aliceKey}, bobID: {"bob", bobKey}, carolID: {"carol", carolKey},
	}
	for _, u := range DemoSeed().Users {
		if got := want[u.AccountID]; got != [2]string{u.Username, u.UserKey} {
			t.Errorf("%s: username %q, userKey %q", u.AccountID, u.Username, u.UserKey)
		}
	}
	tests := []struct {
		name string
		edit func(*Seed)
		want string // "" when valid on Data Center
	}{
		{"Cloud-only operation", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"read/space", "archive/page"} },
			`"archive/page" does not exist on Confluence Data Center`},
		{"Cloud space type", func(s *Seed) { s.Spaces[0].Type = "collaboration" }, `type "collaboration" is not one of global, personal`},
		{"space roles", func(s *Seed) { s.RoleMode = RolesOnly }, "space roles exist on Confluence Cloud only"},
		{"username taken in another case", func(s *Seed) { s.Users[1].Username = "Bob" }, `username "bob" is also the username of ` + aliceID},
		{"default usernames collide", func(s *Seed) {
			s.Users[1].Username, s.Users[2].Username = "", ""
			s.Users[2].Email = "alice@example.org"
		}, `username "alice" (the default) is also the username of ` + aliceID},
		{"user key twice", func(s *Seed) { s.Users[2].UserKey = aliceKey }, "is also the userKey of " + aliceID},
		{"user key with a slash", func(s *Seed) { s.Users[2].UserKey = "a/b" }, `userKey "a/b" must not contain spaces or slashes`},
		{"username with a space", func(s *Seed) { s.Users[2].Username = "bob n" }, `username "bob n" must be one word`},
		{"grants without read/space", func(s *Seed) { s.Spaces[0].Grants[1].Operations = []string{"create/page"} }, ""},
		{"a space without admin", func(s *Seed) { s.Spaces[0].Grants = s.Spaces[0].Grants[1:] }, ""},
		{"API token without email", func(s *Seed) { s.Users[1].Email = "" }, ""},
		{"anonymous admin", func(s *Seed) { s.Spaces[0].Grants[2].Operations = []string{"read/space", "administer/space"} }, "anonymous users cannot hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := DemoSeed()
			tt.edit(&seed)
			err := seed.ValidateFor(permissions.DataCenter)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
