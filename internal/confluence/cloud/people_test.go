package cloud

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

func TestUser(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		want   confluence.User
	}{
		{"active user",
			`{"type":"known","accountId":"5b10ac8d","accountType":"atlassian","email":"jane@example.com","publicName":"jane","displayName":"Jane Doe","accountStatus":"active"}`,
			confluence.User{ID: "5b10ac8d", DisplayName: "Jane Doe", Email: "jane@example.com", AccountType: "atlassian", Active: true}},
		{"deactivated user",
			`{"type":"known","accountId":"5b10ac8d","accountType":"atlassian","publicName":"jane","displayName":"Jane Doe","accountStatus":"inactive"}`,
			confluence.User{ID: "5b10ac8d", DisplayName: "Jane Doe", AccountType: "atlassian", Active: false}},
		{"no status, hidden name and email",
			`{"type":"known","accountId":"5b10ac8d","accountType":"app","email":null,"publicName":"Bot","displayName":null}`,
			confluence.User{ID: "5b10ac8d", DisplayName: "Bot", AccountType: "app", Active: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBackend(t, exchange{Method: "GET", Path: "/wiki/rest/api/user", Query: url.Values{"accountId": {"5b10ac8d"}}, Answer: tt.answer})
			got, err := b.User(context.Background(), "5b10ac8d")
			if err != nil || got != tt.want {
				t.Errorf("User = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestUserNotFound(t *testing.T) {
	b := newBackend(t, exchange{Method: "GET", Path: "/wiki/rest/api/user", Query: url.Values{"accountId": {"nobody"}},
		Status: 404, Answer: `{"statusCode":404,"message":"com.atlassian.confluence.api.service.exceptions.NotFoundException: No user found with accountId : nobody"}`})
	_, err := b.User(context.Background(), "nobody")
	if !confluence.IsNotFound(err) || !strings.Contains(err.Error(), "No user found with accountId : nobody") {
		t.Errorf("err = %v", err)
	}
	if _, err := b.User(context.Background(), ""); err == nil {
		t.Error("empty accountId accepted")
	}
}

func TestGroupByID(t *testing.T) {
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/rest/api/group/by-id", Query: url.Values{"id": {"8f2d"}},
			Answer: `{"type":"group","name":"confluence-users","id":"8f2d","usageType":"USERBASE_GROUP","managedBy":"ADMINS","_links":{}}`},
		exchange{Method: "GET", Path: "/wiki/rest/api/group/by-id", Query: url.Values{"id": {"gone"}},
			Status: 404, Answer: `{"statusCode":404,"message":"No group found"}`},
	)
	got, err := b.Group(context.Background(), "8f2d")
	if err != nil || got != (confluence.Group{ID: "8f2d", Name: "confluence-users"}) {
		t.Errorf("Group = %+v, %v", got, err)
	}
	if _, err := b.Group(context.Background(), "gone"); !confluence.IsNotFound(err) {
		t.Errorf("err = %v", err)
	}
	if _, err := b.Group(context.Background(), ""); err == nil {
		t.Error("empty groupId accepted")
	}
}

func groupJSONText(id, name string) string {
	return fmt.Sprintf(`{"type":"group","id":%q,"name":%q}`, id, name)
}

func pickerPage(start int, next bool, groups ...string) string {
	links := `{"base":"https://example.atlassian.net/wiki","context":"/wiki"}`
	if next {
		links = fmt.Sprintf(`{"next":"/rest/api/group/picker?query=dev&limit=200&start=%d","base":"https://example.atlassian.net/wiki","context":"/wiki"}`, start+len(groups))
	}
	return fmt.Sprintf(`{"results":[%s],"start":%d,"limit":200,"size":%d,"_links":%s}`, strings.Join(groups, ","), start, len(groups), links)
}

func pickerQuery(name string, start int) url.Values {
	return url.Values{"query": {name}, "start": {fmt.Sprint(start)}, "limit": {"200"}}
}

func TestGroupByNamePicksTheExactName(t *testing.T) {
	tests := []struct {
		name   string
		query  string
		groups []string
		want   confluence.Group
	}{
		{"exact match among partial ones", "dev",
			[]string{groupJSONText("1", "developers"), groupJSONText("2", "Dev"), groupJSONText("3", "dev")},
			confluence.Group{ID: "3", Name: "dev"}},
		{"unique case-insensitive match", "DEV",
			[]string{groupJSONText("1", "developers"), groupJSONText("3", "dev")},
			confluence.Group{ID: "3", Name: "dev"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBackend(t, exchange{Method: "GET", Path: "/wiki/rest/api/group/picker", Query: pickerQuery(tt.query, 0),
				Answer: pickerPage(0, false, tt.groups...)})
			got, err := b.GroupByName(context.Background(), tt.query)
			if err != nil || got != tt.want {
				t.Errorf("GroupByName = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestGroupByNameReadsEveryPickerPage(t *testing.T) {
	var first []string
	for i := range 200 {
		first = append(first, groupJSONText(fmt.Sprint(i), fmt.Sprintf("dev-%03d", i)))
	}
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/rest/api/group/picker", Query: pickerQuery("dev", 0), Answer: pickerPage(0, true, first...)},
		exchange{Method: "GET", Path: "/wiki/rest/api/group/picker", Query: pickerQuery("dev", 200), Answer: pickerPage(200, false, groupJSONText("g-dev", "dev"))},
	)
	got, err := b.GroupByName(context.Background(), "dev")
	if err != nil || got != (confluence.Group{ID: "g-dev", Name: "dev"}) {
		t.Errorf("GroupByName = %+v, %v", got, err)
	}
}

func TestGroupByNameNotFoundOrAmbiguous(t *testing.T) {
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/rest/api/group/picker", Query: pickerQuery("ops", 0),
			Answer: pickerPage(0, false, groupJSONText("1", "devops"))},
		exchange{Method: "GET", Path: "/wiki/rest/api/group/picker", Query: pickerQuery("ops", 0),
			Answer: pickerPage(0, false, groupJSONText("1", "OPS"), groupJSONText("2", "Ops"))},
	)
	_, err := b.GroupByName(context.Background(), "ops")
	if !confluence.IsNotFound(err) || !strings.Contains(err.Error(), `no group is named "ops"`) {
		t.Errorf("not found: err = %v", err)
	}
	_, err = b.GroupByName(context.Background(), "ops")
	if err == nil || confluence.IsNotFound(err) || !strings.Contains(err.Error(), `"OPS" (1), "Ops" (2)`) {
		t.Errorf("ambiguous: err = %v", err)
	}
	if _, err := b.GroupByName(context.Background(), ""); err == nil {
		t.Error("empty name accepted")
	}
}
