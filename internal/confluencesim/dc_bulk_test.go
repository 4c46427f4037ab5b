package confluencesim

import (
	"cmp"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

type setEntry = map[string]any

func userEntry(key string, ops ...string) setEntry {
	return setEntry{"userKey": key, "operations": pairs(ops...)}
}

func groupEntry(name string, ops ...string) setEntry {
	return setEntry{"groupName": name, "operations": pairs(ops...)}
}

func anonymousEntry(ops ...string) setEntry { return setEntry{"operations": pairs(ops...)} }

// The bulk POST replaces the operations of each subject it names and leaves
// the others alone; an entry with neither userKey nor groupName is the
// anonymous user; at most 40 subjects
// (contributing/confluence-api.md#rest-space-permissions).
func TestDCBulkSet(t *testing.T) {
	alice, bob, users := state.UserPrincipal(aliceID), state.UserPrincipal(bobID), state.GroupPrincipal(usersGroupID)
	anonymous := permissions.AnonymousPrincipal
	tests := []struct {
		name    string
		auth    string
		space   string
		body    any
		status  int
		message string
		// after maps principals to what they hold in space afterwards.
		after map[permissions.Principal][]string
	}{
		{name: "replace the named, keep the others", space: "DOCS", status: 200,
			body: []setEntry{groupEntry("Confluence-Users", "space/read"), userEntry(bobKey, "space/read", "page/create")},
			after: map[permissions.Principal][]string{
				users: {"read/space"}, bob: sorted("read/space", "create/page"),
				alice: sorted("read/space", "administer/space", "export/space"), anonymous: {"read/space"},
			}},
		{name: "empty list revokes everything, even the last admin", space: "DOCS", status: 200,
			body:  []setEntry{userEntry(aliceKey)},
			after: map[permissions.Principal][]string{alice: nil, users: sorted("read/space", "create/page", "create/comment", "create/attachment")}},
		{name: "anonymous entry", space: "DOCS", status: 200,
			body:  []setEntry{anonymousEntry("space/read", "space/export")},
			after: map[permissions.Principal][]string{anonymous: sorted("read/space", "export/space"), alice: sorted("read/space", "administer/space", "export/space")}},
		{name: "no read/space needed", space: "HR", status: 200,
			body:  []setEntry{groupEntry("engineering", "page/create")},
			after: map[permissions.Principal][]string{state.GroupPrincipal(engGroupID): {"create/page"}}},
		{name: "empty request", space: "DOCS", status: 200, body: []setEntry{},
			after: map[permissions.Principal][]string{anonymous: {"read/space"}}},
		{name: "both userKey and groupName", space: "DOCS", status: 400, message: "Entry 0 names both",
			body: []setEntry{{"userKey": bobKey, "groupName": "engineering", "operations": pairs("space/read")}}},
		{name: "no operations", space: "DOCS", status: 400, message: "Entry 0 has no operations",
			body: []setEntry{{"userKey": bobKey}}},
		{name: "a subject twice", space: "DOCS", status: 400, message: "Entry 1 names a subject already",
			body: []setEntry{groupEntry("engineering", "space/read"), groupEntry("ENGINEERING")}},
		{name: "anonymous twice", space: "DOCS", status: 400, message: "Entry 1",
			body: []setEntry{anonymousEntry(), anonymousEntry("space/read")}},
		{name: "unknown user: nothing changes", space: "DOCS", status: 404, message: "No user found with key: nope",
			body:  []setEntry{groupEntry("confluence-users"), userEntry("nope", "space/read")},
			after: map[permissions.Principal][]string{users: sorted("read/space", "create/page", "create/comment", "create/attachment")}},
		{name: "unknown group", space: "DOCS", status: 404, message: "No group found with name: nope",
			body: []setEntry{groupEntry("nope", "space/read")}},
		{name: "invalid pair: nothing changes", space: "DOCS", status: 400, message: "(targetType=page, operationKey=archive)",
			body:  []setEntry{userEntry(bobKey, "space/read"), groupEntry("engineering", "page/archive")},
			after: map[permissions.Principal][]string{bob: nil}},
		{name: "anonymous admin: nothing changes", space: "DOCS", status: 400, message: "can't be granted to anonymous users",
			body:  []setEntry{userEntry(bobKey, "space/read"), anonymousEntry("space/read", "space/administer")},
			after: map[permissions.Principal][]string{bob: nil, anonymous: {"read/space"}}},
		{name: "caller is not a space admin", auth: dcAsBob, space: "DOCS", status: 403, body: []setEntry{anonymousEntry()},
			after: map[permissions.Principal][]string{anonymous: {"read/space"}}},
		{name: "unknown space", space: "NOPE", status: 404, body: []setEntry{anonymousEntry()}},
		{name: "an object, not an array", space: "DOCS", status: 400, body: anonymousEntry()},
		{name: "misspelt member", space: "DOCS", status: 400, message: "unknown field",
			body: []setEntry{{"groupname": "engineering", "operations": pairs()}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newDCHarness(t)
			r := h.do(cmp.Or(tt.auth, dcAsTerraform), http.MethodPost, permissionsPathDC(tt.space, ""), tt.body).expect(t, tt.status)
			if tt.status == http.StatusOK {
				if len(r.body) != 0 {
					t.Errorf("body %q, want none", r.body)
				}
			} else if msg := r.dcMessage(t); !strings.Contains(msg, tt.message) {
				t.Errorf("message %q does not contain %q", msg, tt.message)
			}
			for p, want := range tt.after {
				if got := h.holds(tt.space, p); !slices.Equal(got, want) {
					t.Errorf("%s holds %v, want %v", p, got, want)
				}
			}
		})
	}
}

// Forty subjects are the most one request may name
// (contributing/confluence-api.md#rest-space-permissions); a refused request
// of 41 changes nothing.
func TestDCBulkSetLimit(t *testing.T) {
	h := newDCHarness(t)
	var entries []setEntry
	for i := range 41 {
		id := fmt.Sprintf("5a%022d", i)
		if err := h.sim.AddUser(SeedUser{AccountID: id, DisplayName: id, Username: fmt.Sprintf("user%d", i)}); err != nil {
			t.Fatal(err)
		}
		u, _ := h.sim.User(id)
		entries = append(entries, userEntry(u.UserKey, "space/read"))
	}
	before := h.grants("OPS")
	msg := h.do(dcAsTerraform, http.MethodPost, permissionsPathDC("OPS", ""), entries).expect(t, http.StatusBadRequest).dcMessage(t)
	if !strings.Contains(msg, "Maximum 40") {
		t.Errorf("message %q", msg)
	}
	if !reflect.DeepEqual(h.grants("OPS"), before) {
		t.Error("a refused request changed the space")
	}
	h.do(dcAsTerraform, http.MethodPost, permissionsPathDC("OPS", ""), entries[:40]).expect(t, http.StatusOK)
	if got := len(h.grants("OPS")) - len(before); got != 40 {
		t.Errorf("%d grants added, want 40", got)
	}
}
