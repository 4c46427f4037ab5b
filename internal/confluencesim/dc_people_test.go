package confluencesim

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
)

func TestDCGetUser(t *testing.T) {
	h := newDCHarness(t)
	tests := []struct {
		query  string
		status int
		key    string
	}{
		{"username=alice", 200, aliceKey},
		{"username=ALICE", 200, aliceKey},
		{"key=" + bobKey, 200, bobKey},
		{"username=nobody", 404, ""},
		{"key=" + strings.ToUpper(bobKey), 404, ""}, // user keys are case-sensitive (contributing/confluence-api.md#data-center-users-user-keys-and-groups)
		{"", 400, ""},
		{"username=alice&key=" + aliceKey, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := h.get(dcAsBob, "/rest/api/user?"+tt.query).expect(t, tt.status)
			if tt.status != http.StatusOK {
				r.dcMessage(t)
				return
			}
			if u := decode[datacenter.User](t, r); u.UserKey != tt.key {
				t.Errorf("user %+v", u)
			}
		})
	}
	r := h.get(dcAsBob, "/rest/api/user?username=carol")
	u := decode[datacenter.User](t, r)
	if u.Type != "known" || u.Username != "carol" || u.DisplayName != "Carol Okafor" || !u.ProfilePicture.IsDefault ||
		u.Links["self"] != h.url+"/rest/api/user?key="+carolKey {
		t.Errorf("user %+v", u)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(slices.Sorted(maps.Keys(raw)), ","); got != "_expandable,_links,displayName,profilePicture,type,userKey,username" {
		t.Errorf("fields %s: Data Center sends no email or accountId", got)
	}
}

func TestDCGetGroup(t *testing.T) {
	h := newDCHarness(t)
	for _, name := range []string{"engineering", "Engineering", "ENGINEERING"} {
		g := decode[datacenter.Group](t, h.get(dcAsAlice, "/rest/api/group/"+name).expect(t, http.StatusOK))
		if g.Type != "group" || g.Name != "engineering" || g.Links["self"] != h.url+"/rest/api/group/engineering" {
			t.Errorf("%s: group %+v", name, g)
		}
	}
	if msg := h.get(dcAsAlice, "/rest/api/group/nobody").expect(t, http.StatusNotFound).dcMessage(t); msg != "No group found with name: nobody" {
		t.Errorf("message %q", msg)
	}
}

// The Go API finds people by their Data Center identity; users without one
// in the seed get a username from their email and a stable derived key.
func TestDCIdentityLookups(t *testing.T) {
	h := newDCHarness(t)
	if u, ok := h.sim.UserByUsername("Bob"); !ok || u.AccountID != bobID || u.UserKey != bobKey {
		t.Errorf("by username: %+v %v", u, ok)
	}
	if u, ok := h.sim.UserByKey(carolKey); !ok || u.Username != "carol" {
		t.Errorf("by key: %+v %v", u, ok)
	}
	if g, ok := h.sim.GroupByName("HR-team"); !ok || g.ID != hrGroupID {
		t.Errorf("group: %+v %v", g, ok)
	}
	if _, ok := h.sim.UserByKey("nope"); ok {
		t.Error("found an unknown key")
	}
	const dave = "5d0e1f2a3b4c5d6e7f8a9b0c"
	if err := h.sim.AddUser(SeedUser{AccountID: dave, DisplayName: "Dave", Email: "dave.k@example.com"}); err != nil {
		t.Fatal(err)
	}
	u, _ := h.sim.User(dave)
	_, derivedKey := SeedUser{AccountID: dave}.DCIdentity()
	if u.Username != "dave.k" || len(u.UserKey) != 32 || u.UserKey != derivedKey || strings.Trim(u.UserKey, "0123456789abcdef") != "" {
		t.Errorf("defaults: %+v", u)
	}
	if got := decode[datacenter.User](t, h.get(dcAsAlice, "/rest/api/user?username=dave.k")); got.UserKey != u.UserKey {
		t.Errorf("REST user %+v", got)
	}
}
