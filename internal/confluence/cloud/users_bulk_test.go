package cloud

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/openapicheck"
	"github.com/spacekeeper/terraform-provider-confluence/internal/testutil/scriptedhttp"
)

// bulkBackend is newBackend for UsersBulk, whose operation is checked
// against Atlassian's v2 document like every other call of the backend.
func bulkBackend(t *testing.T, script ...exchange) *Backend {
	t.Helper()
	checker := openapicheck.NewForTest(t, openapicheck.Options{Operations: []string{"POST " + usersBulkPath}})
	check := func(t testing.TB, s scriptedhttp.Served) {
		for _, v := range checker.Check(openapicheck.Exchange{Request: s.Request, RequestBody: s.RequestBody,
			StatusCode: s.Status, Header: s.Header, ResponseBody: []byte(s.Want.Answer)}) {
			t.Errorf("%s: openapicheck: %s", s, v)
		}
	}
	fake := scriptedhttp.Start(t, scriptedhttp.Options{Check: check}, script...)
	api, err := transport.New(transport.Config{BaseURL: fake.URL, Auth: transport.Basic{User: "bot@example.com", Token: "test-token-123"}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return New(api)
}

func bulkUser(id, name, status string) string {
	return fmt.Sprintf(`{"accountId":%q,"accountType":"atlassian","accountStatus":%q,"displayName":%q,"publicName":"x","email":""}`, id, status, name)
}

func bulkAnswer(users ...string) string {
	return `{"results":[` + strings.Join(users, ",") + `],"_links":{"base":"https://example.atlassian.net/wiki"}}`
}

func TestUsersBulkSendsEachIdOnceAndMapsUsers(t *testing.T) {
	b := bulkBackend(t, exchange{Method: "POST", Path: usersBulkPath,
		Body:   `{"accountIds":["a1","a2","gone"]}`,
		Answer: bulkAnswer(bulkUser("a1", "Jane Doe", "active"), bulkUser("a2", "", "inactive"))})
	got, err := b.UsersBulk(context.Background(), []string{"a1", "", "a2", "a1", "gone"})
	if err != nil {
		t.Fatal(err)
	}
	want := []confluence.User{
		{ID: "a1", DisplayName: "Jane Doe", AccountType: "atlassian", Active: true},
		{ID: "a2", DisplayName: "x", AccountType: "atlassian", Active: false}, // publicName stands in for a hidden displayName
	}
	if !slices.Equal(got, want) {
		t.Errorf("UsersBulk = %+v\nwant %+v", got, want)
	}
}

func TestUsersBulkSplitsAt250(t *testing.T) {
	ids := make([]string, 251)
	for i := range ids {
		ids[i] = fmt.Sprintf("id%03d", i)
	}
	body := func(ids []string) string { return `{"accountIds":["` + strings.Join(ids, `","`) + `"]}` }
	b := bulkBackend(t,
		exchange{Method: "POST", Path: usersBulkPath, Body: body(ids[:250]), Answer: bulkAnswer(bulkUser("id000", "First", "active"))},
		exchange{Method: "POST", Path: usersBulkPath, Body: body(ids[250:]), Answer: bulkAnswer(bulkUser("id250", "Last", "active"))},
	)
	got, err := b.UsersBulk(context.Background(), ids)
	if err != nil || len(got) != 2 || got[0].DisplayName != "First" || got[1].DisplayName != "Last" {
		t.Errorf("UsersBulk = %+v, %v", got, err)
	}
}

func TestUsersBulkSendsNothingForNoIds(t *testing.T) {
	b := bulkBackend(t)
	if got, err := b.UsersBulk(context.Background(), []string{""}); err != nil || len(got) != 0 {
		t.Errorf("UsersBulk = %+v, %v", got, err)
	}
}

func TestUsersBulkReturnsErrors(t *testing.T) {
	b := bulkBackend(t, exchange{Method: "POST", Path: usersBulkPath, Body: `{"accountIds":["a1"]}`,
		Status: 400, Answer: `{"errors":[{"status":400,"code":"INVALID_REQUEST_PARAMETER","title":"accountIds is invalid","detail":null}]}`})
	_, err := b.UsersBulk(context.Background(), []string{"a1"})
	var apiErr *confluence.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("err = %v", err)
	}
}
