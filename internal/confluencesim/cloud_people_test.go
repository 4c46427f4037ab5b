package confluencesim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
)

func TestGetUser(t *testing.T) {
	h := newHarness(t)
	got := decode[cloud.V1User](t, h.get(asBob, "/wiki/rest/api/user?accountId="+aliceID).expect(t, http.StatusOK))
	if got.Type != "known" || got.AccountID != aliceID || got.DisplayName != "Alice Martin" || got.PublicName != "Alice Martin" ||
		got.Email != "alice@example.com" || got.AccountType != "atlassian" || got.Links["base"] != h.url+"/wiki" {
		t.Errorf("user %+v", got)
	}
	msg := h.get(asBob, "/wiki/rest/api/user?accountId=nobody").expect(t, http.StatusNotFound).v1Message(t)
	if msg != notFound+"No user found with the given accountId: nobody" {
		t.Errorf("message %q", msg)
	}
	h.get(asBob, "/wiki/rest/api/user").expect(t, http.StatusBadRequest).v1Message(t)
}

// v1 User.accountType is atlassian, app or "" only.
func TestGetUserMapsAccountTypeToV1Enum(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.AddUser(SeedUser{AccountID: "qm:customer-1", DisplayName: "Portal Customer", AccountType: "customer"}); err != nil {
		t.Fatal(err)
	}
	got := decode[cloud.V1User](t, h.get(asBob, "/wiki/rest/api/user?accountId=qm:customer-1").expect(t, http.StatusOK))
	if got.AccountType != "" {
		t.Errorf("accountType %q", got.AccountType)
	}
}

func TestGetGroupByID(t *testing.T) {
	h := newHarness(t)
	got := decode[cloud.V1Group](t, h.get(asAlice, "/wiki/rest/api/group/by-id?id="+hrGroupID).expect(t, http.StatusOK))
	if got.Type != "group" || got.ID != hrGroupID || got.Name != "hr-team" {
		t.Errorf("group %+v", got)
	}
	h.get(asAlice, "/wiki/rest/api/group/by-id?id=hr-team").expect(t, http.StatusNotFound).v1Message(t) // names are not ids
	h.get(asAlice, "/wiki/rest/api/group/by-id").expect(t, http.StatusBadRequest).v1Message(t)
}

func groupNames(p cloud.V1GroupPage) string {
	return joined(p.Results, func(g cloud.V1Group) string { return g.Name })
}

func TestSearchGroups(t *testing.T) {
	h := newHarness(t)
	for i := range 205 {
		if err := h.sim.AddGroup(SeedGroup{ID: fmt.Sprintf("bulk-%03d", i), Name: fmt.Sprintf("team-%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query      string
		names      string
		start      int
		limit      int
		size       int
		next       string
		totalSize  int64
		checkNames bool
	}{
		{query: "query=ENG", names: "engineering", limit: 200, size: 1, checkNames: true},
		{query: "query=-", names: "confluence-users,hr-team", limit: 200, size: 200, next: "/rest/api/group/picker?limit=200&query=-&start=200"},
		{query: "query=-&start=200", limit: 200, size: 7},
		{query: "query=-&limit=500", limit: 200, size: 200, next: "/rest/api/group/picker?limit=200&query=-&start=200"}, // "restricted to a maximum limit of 200"
		{query: "query=team-00&limit=5&shouldReturnTotalSize=true", names: "team-000,team-001,team-002,team-003,team-004", limit: 5, size: 5,
			next: "/rest/api/group/picker?limit=5&query=team-00&start=5", totalSize: 10, checkNames: true},
		{query: "query=nothing-matches", names: "", limit: 200, checkNames: true},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p := decode[cloud.V1GroupPage](t, h.get(asAlice, "/wiki/rest/api/group/picker?"+tt.query).expect(t, http.StatusOK))
			if tt.checkNames && groupNames(p) != tt.names {
				t.Errorf("names %q, want %q", groupNames(p), tt.names)
			}
			if !tt.checkNames && tt.names != "" && !strings.HasPrefix(groupNames(p), tt.names) {
				t.Errorf("names %q, want a prefix %q", groupNames(p), tt.names)
			}
			if p.Limit != tt.limit || p.Size != tt.size || p.Size != len(p.Results) || p.Links["next"] != tt.next {
				t.Errorf("start %d limit %d size %d next %q", p.Start, p.Limit, p.Size, p.Links["next"])
			}
			if (tt.totalSize == 0) != (p.TotalSize == nil) || (p.TotalSize != nil && *p.TotalSize != tt.totalSize) {
				t.Errorf("totalSize %v, want %d", p.TotalSize, tt.totalSize)
			}
		})
	}
	for _, q := range []string{"", "query=a&start=-1", "query=a&limit=x"} {
		h.get(asAlice, "/wiki/rest/api/group/picker?"+q).expect(t, http.StatusBadRequest).v1Message(t)
	}
}

func TestUsersBulk(t *testing.T) {
	h := newHarness(t)
	r := h.do(asAlice, http.MethodPost, "/wiki/api/v2/users-bulk", map[string]any{"accountIds": []string{carolID, "nobody", aliceID, carolID}})
	p := decode[cloud.V2Page[cloud.V2User]](t, r.expect(t, http.StatusOK))
	if len(p.Results) != 2 || p.Results[0].AccountID != carolID || p.Results[1].AccountID != aliceID {
		t.Fatalf("results %+v", p.Results)
	}
	want := cloud.V2User{AccountID: carolID, AccountType: "atlassian", AccountStatus: "active", DisplayName: "Carol Okafor", PublicName: "Carol Okafor", Email: "carol@example.com"}
	if p.Results[0] != want {
		t.Errorf("user %+v", p.Results[0])
	}
	if r.header.Get("Link") != `<`+h.url+`/wiki>; rel="base"` {
		t.Errorf("Link %q", r.header.Get("Link"))
	}
	empty := decode[cloud.V2Page[cloud.V2User]](t, h.do(asAlice, http.MethodPost, "/wiki/api/v2/users-bulk", map[string]any{"accountIds": []string{"nobody"}}))
	if empty.Results == nil || len(empty.Results) != 0 {
		t.Errorf("unknown ids give %s, want an empty results array", r.body)
	}
	tooMany := make([]string, 251)
	for i := range tooMany {
		tooMany[i] = aliceID
	}
	for name, body := range map[string]any{
		"no ids":   map[string]any{"accountIds": []string{}},
		"too many": map[string]any{"accountIds": tooMany},
		"not JSON": "accountIds=1",
	} {
		t.Run(name, func(t *testing.T) {
			h.do(asAlice, http.MethodPost, "/wiki/api/v2/users-bulk", body).expect(t, http.StatusBadRequest).v2Error(t)
		})
	}
}
