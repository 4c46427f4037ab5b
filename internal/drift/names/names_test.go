package names

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
)

// The demo seed's people and groups (internal/confluencesim/seeds/demo.json).
const (
	alice       = "5b10ac8d82e05b22cc7d4ef5"
	bob         = "5b10a2844c20165700ede21f"
	carol       = "5c3f8e9a1b2d4e6f7a8b9c0d"
	engineering = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
	hrTeam      = "c4a8e2d6-7b1f-4c9e-8d3a-2f6b0e9c1d57"
)

const (
	usersBulkRoute = "POST /wiki/api/v2/users-bulk"
	cloudUserRoute = "GET /wiki/rest/api/user"
	groupByIDRoute = "GET /wiki/rest/api/group/by-id"
	dcUserRoute    = "GET /rest/api/user"
)

func start(t *testing.T, opts confluencesim.Options) (*confluencesim.Server, *confluence.Client) {
	t.Helper()
	sim, srv := confluencesim.Start(t, confluencesim.DemoSeed(), opts)
	deployment, user := "cloud", "terraform@example.com"
	if opts.Flavour == confluencesim.DataCenter {
		deployment, user = "datacenter", "terraform"
	}
	token, retries := "demo-token", int64(0)
	settings, problems := setup.Resolve(setup.Given{URL: &srv.URL, User: &user, APIToken: &token, Deployment: &deployment, MaxRetries: &retries},
		func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatalf("settings: %+v", problems)
	}
	client, err := setup.Open(context.Background(), settings, setup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sim.ResetRequestCounts() // opening a Data Center client reads its version
	return sim, client
}

// report names each principal in one change of space DOCS.
func report(keys ...string) *drift.Report {
	r := &drift.Report{Names: map[string]string{}}
	for _, k := range keys {
		typ, id, _ := strings.Cut(k, ":")
		r.Changes = append(r.Changes, drift.Change{Space: "DOCS", Principal: drift.Principal{Type: typ, ID: id},
			Kind: drift.Granted, Operation: "read/space", Action: drift.UndoDrift})
	}
	return r
}

func TestFillOnCloudAsksForUsersInBulk(t *testing.T) {
	sim, client := start(t, confluencesim.Options{Flavour: confluencesim.Cloud})
	r := report("user:"+alice, "user:"+bob, "user:"+carol, "user:nobody", "group:"+engineering, "group:"+hrTeam, "group:gone",
		"anonymous", "access_class:authenticated-users")
	r.Names["user:"+carol] = "Carol (from a data source)"

	res := New(client).Fill(context.Background(), r)

	want := map[string]string{"user:" + alice: "Alice Martin", "user:" + bob: "Bob Nguyen", "user:" + carol: "Carol (from a data source)",
		"group:" + engineering: "engineering", "group:" + hrTeam: "hr-team"}
	for k, v := range want {
		if r.Names[k] != v {
			t.Errorf("name of %s = %q, want %q", k, r.Names[k], v)
		}
	}
	if got := keysOf(res.Missing); !slices.Equal(got, []string{"user:nobody", "group:gone"}) {
		t.Errorf("missing = %v", got)
	}
	if len(res.Failed) > 0 {
		t.Errorf("failed: %v", res.Failed)
	}
	// One request for every user not named yet; one per group, which Cloud
	// can only look up one at a time; none for anonymous and access classes.
	counts := map[string]int{usersBulkRoute: 1, cloudUserRoute: 0, groupByIDRoute: 3}
	for route, n := range counts {
		if got := sim.RequestCount(route); got != n {
			t.Errorf("%s: %d requests, want %d", route, got, n)
		}
	}
	if total := sim.TotalRequests(); total != 4 {
		t.Errorf("%d requests in all, want 4: %v", total, sim.RequestCounts())
	}
}

func TestFillRemembersWhatItLookedUp(t *testing.T) {
	sim, client := start(t, confluencesim.Options{Flavour: confluencesim.Cloud})
	resolver := New(client)
	resolver.Fill(context.Background(), report("user:"+alice, "user:nobody", "group:"+engineering))
	before := sim.TotalRequests()

	again := report("user:"+alice, "user:nobody", "group:"+engineering)
	res := resolver.Fill(context.Background(), again)
	if n := sim.TotalRequests() - before; n != 0 {
		t.Errorf("a second report of the same principals sent %d requests", n)
	}
	if again.Names["user:"+alice] != "Alice Martin" || len(res.Missing) != 1 {
		t.Errorf("names %v, missing %v", again.Names, keysOf(res.Missing))
	}
}

func TestFillOnDataCenterAsksForEachUserAndNoGroup(t *testing.T) {
	sim, client := start(t, confluencesim.Options{Flavour: confluencesim.DataCenter, DCVersion: "9.2.1"})
	r := report("user:alice", "user:bob", "user:nobody", "group:engineering")
	res := New(client).Fill(context.Background(), r)
	if r.Names["user:alice"] != "Alice Martin" || r.Names["user:bob"] != "Bob Nguyen" {
		t.Errorf("names = %v", r.Names)
	}
	if got := keysOf(res.Missing); !slices.Equal(got, []string{"user:nobody"}) {
		t.Errorf("missing = %v", got)
	}
	// A group's id is its name on Data Center: nothing to ask. A username
	// Confluence does not know is tried as a user key too.
	if n := sim.RequestCount(dcUserRoute); n != 4 {
		t.Errorf("%d user lookups, want 4: %v", n, sim.RequestCounts())
	}
	if n := sim.TotalRequests(); n != 4 {
		t.Errorf("%d requests, want 4: %v", n, sim.RequestCounts())
	}
}

func TestFillKeepsIdsWhenLookupsFail(t *testing.T) {
	sim, client := start(t, confluencesim.Options{Flavour: confluencesim.Cloud})
	for _, route := range []string{usersBulkRoute, groupByIDRoute} {
		if err := sim.InjectFault(confluencesim.ServerError(route, 10, 503)); err != nil {
			t.Fatal(err)
		}
	}
	r := report("user:"+alice, "group:"+engineering)
	res := New(client).Fill(context.Background(), r)
	if len(r.Names) != 0 || len(res.Missing) != 0 {
		t.Errorf("names %v, missing %v", r.Names, keysOf(res.Missing))
	}
	if len(res.Failed) != 2 || !strings.Contains(res.Failed[0], "looking up 1 users") || !strings.Contains(res.Failed[1], "looking up group:"+engineering) {
		t.Errorf("failed = %q", res.Failed)
	}
}

func TestUserNameSaysDeactivated(t *testing.T) {
	for _, tt := range []struct {
		u    confluence.User
		want string
	}{
		{confluence.User{DisplayName: "Jane Doe", Active: true}, "Jane Doe"},
		{confluence.User{DisplayName: "Jane Doe"}, "Jane Doe (deactivated)"},
		{confluence.User{Username: "jdoe", Active: true}, "jdoe"},
		{confluence.User{}, ""},
	} {
		if got := userName(tt.u); got != tt.want {
			t.Errorf("userName(%+v) = %q, want %q", tt.u, got, tt.want)
		}
	}
}

func keysOf(ps []drift.Principal) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Key())
	}
	return out
}
