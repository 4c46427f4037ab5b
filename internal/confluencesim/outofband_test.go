package confluencesim

import (
	"net/http"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The out-of-band API obeys the same rules as the REST API.
func TestOutOfBandGrantRules(t *testing.T) {
	sim, err := New(DemoSeed(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		space string
		p     permissions.Principal
		op    string
		rule  Rule
	}{
		{"unknown space", "NOPE", state.UserPrincipal(bobID), "read/space", RuleUnknownSpace},
		{"invalid operation", "HR", state.UserPrincipal(bobID), "administer/page", RuleInvalidOperation},
		{"Data Center operation", "HR", state.UserPrincipal(bobID), "delete_mail/space", RuleInvalidOperation},
		{"unknown user", "HR", state.UserPrincipal("nobody"), "read/space", RuleUnknownUser},
		{"unknown group", "HR", state.GroupPrincipal("nobody"), "read/space", RuleUnknownGroup},
		{"anonymous admin", "DOCS", permissions.AnonymousPrincipal, "administer/space", RuleAnonymousAdmin},
		{"read first", "HR", state.UserPrincipal(bobID), "create/page", RuleReadSpaceFirst},
		{"duplicate", "HR", state.UserPrincipal(carolID), "read/space", RuleDuplicateGrant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sim.AddGrant(tt.space, tt.p, op(tt.op))
			if !IsRule(err, tt.rule) {
				t.Fatalf("err = %v, want rule %s", err, tt.rule)
			}
			if err.Error() == "" || strings.Contains(err.Error(), "%!") {
				t.Errorf("message %q", err)
			}
		})
	}
	if _, err := sim.AddGrant("HR", permissions.Principal{Type: "role", ID: "x"}, op("read/space")); err == nil {
		t.Error("a role principal was accepted")
	}
}

func TestOutOfBandRemoval(t *testing.T) {
	sim, err := New(DemoSeed(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := sim.RemoveGrantOf("DOCS", state.GroupPrincipal(usersGroupID), permissions.ReadSpace)
	if err != nil || len(gone) != 4 {
		t.Fatalf("removed %v, err %v; want the group's 4 grants", gone, err)
	}
	if _, err := sim.RemoveGrantOf("DOCS", state.GroupPrincipal(usersGroupID), permissions.ReadSpace); !IsRule(err, RuleUnknownGrant) {
		t.Errorf("err = %v", err)
	}
	if _, err := sim.RemoveGrantOf("DOCS", state.UserPrincipal(aliceID), permissions.AdministerSpace); !IsRule(err, RuleLastAdmin) {
		t.Errorf("err = %v", err)
	}
	if _, err := sim.RemoveGrant("NOPE", 1); !IsRule(err, RuleUnknownSpace) {
		t.Errorf("err = %v", err)
	}
}

func TestOutOfBandSpacesUsersAndGroups(t *testing.T) {
	h := newHarness(t)
	sp, err := h.sim.CreateSpace(SeedSpace{Key: "NEW", Name: "New", Grants: []SeedGrant{
		{Principal: SeedPrincipal{Type: "user", ID: aliceID}, Operations: []string{"read/space", "administer/space"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if sp.ID == 0 || sp.AuthorID != aliceID || sp.Type != "global" || sp.Status != "current" {
		t.Errorf("space %+v", sp)
	}
	if keys := spaceKeys(decode[spacePage](t, h.get(asAlice, "/wiki/api/v2/spaces"))); keys != "DOCS,ENG,NEW" {
		t.Errorf("alice sees %s", keys)
	}
	for _, bad := range []SeedSpace{
		{Key: "NEW", Name: "Again", Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: aliceID}, Operations: []string{"read/space", "administer/space"}}}},
		{Key: "NOADMIN", Name: "No admin", Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: aliceID}, Operations: []string{"read/space"}}}},
		{Key: "CLASH", Name: "Id clash", ID: sp.ID, Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: aliceID}, Operations: []string{"read/space", "administer/space"}}}},
	} {
		if _, err := h.sim.CreateSpace(bad); err == nil {
			t.Errorf("space %s was accepted", bad.Key)
		}
	}

	id := h.spaceID("NEW")
	if err := h.sim.DeleteSpace("NEW"); err != nil {
		t.Fatal(err)
	}
	h.get(asAlice, "/wiki/api/v2/spaces/"+id).expect(t, http.StatusNotFound)
	h.get(asAlice, "/wiki/api/v2/spaces/"+id+"/permissions").expect(t, http.StatusNotFound)
	if err := h.sim.DeleteSpace("NEW"); !IsRule(err, RuleUnknownSpace) {
		t.Errorf("err = %v", err)
	}

	if err := h.sim.AddUser(SeedUser{AccountID: aliceID, DisplayName: "Clone"}); err == nil {
		t.Error("a duplicate user was accepted")
	}
	if err := h.sim.AddGroup(SeedGroup{ID: "g-1", Name: "ENGINEERING"}); err == nil {
		t.Error("a group named like another was accepted")
	}
	if err := h.sim.AddGroup(SeedGroup{ID: "g-1", Name: "auditors", Members: []string{carolID}}); err != nil {
		t.Fatal(err)
	}
	if g, ok := h.sim.Group("g-1"); !ok || g.Name != "auditors" {
		t.Errorf("group %+v", g)
	}
	if err := h.sim.AddGroupMember("g-1", carolID); err == nil {
		t.Error("a second membership was accepted")
	}
	if u, ok := h.sim.User(carolID); !ok || u.DisplayName != "Carol Okafor" {
		t.Errorf("user %+v", u)
	}
	if h.sim.RoleMode() != PreRoles {
		t.Errorf("role mode %s", h.sim.RoleMode())
	}
}
