package datacenter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

const (
	janeKey  = "4028800d98315ec60198315f45c00000"
	janeJSON = `{"type":"known","username":"jane","userKey":"` + janeKey + `","displayName":"Jane Doe",` +
		`"profilePicture":{"path":"/images/icons/profilepics/default.svg","width":48,"height":48,"isDefault":true},` +
		`"_links":{"self":"https://dc.example.com/confluence/rest/api/user?key=` + janeKey + `"},"_expandable":{"status":""}}`
	userNotFoundXML = `<status><status-code>404</status-code><message>No user found with the given username or userkey</message></status>`
)

func userLookup(param, value string, status int, answer string) exchange {
	ctype := ""
	if strings.HasPrefix(answer, "<") {
		ctype = "application/xml"
	}
	return exchange{Method: "GET", Path: "/rest/api/user", Query: url.Values{param: {value}}, Status: status, ContentType: ctype, Answer: answer}
}

func TestUserIsNamedByUserKeyOnRESTAndByUsernameOnRPC(t *testing.T) {
	rest := newREST(t, userLookup("username", "jane", 200, janeJSON))
	got, err := rest.User(context.Background(), "jane")
	want := confluence.User{ID: janeKey, Username: "jane", Key: janeKey, DisplayName: "Jane Doe", Active: true}
	if err != nil || got != want {
		t.Errorf("REST User = %+v, %v; want %+v", got, err, want)
	}
	rpc := newRPC(t, userLookup("username", "Jane", 200, janeJSON))
	got, err = rpc.User(context.Background(), "Jane")
	want.ID = "jane" // as Confluence spells it
	if err != nil || got != want {
		t.Errorf("RPC User = %+v, %v; want %+v", got, err, want)
	}
}

func TestUserFallsBackToTheUserKey(t *testing.T) {
	// The client diagnoses a refused grant by looking up the id the grant
	// carries, which is a userKey on the REST backend.
	b := newREST(t,
		userLookup("username", janeKey, 404, userNotFoundXML),
		userLookup("key", janeKey, 200, janeJSON),
	)
	got, err := b.User(context.Background(), janeKey)
	if err != nil || got.ID != janeKey || got.Username != "jane" {
		t.Errorf("User = %+v, %v", got, err)
	}
	// Now the key is known: asked again, it goes straight to ?key=.
	b = newREST(t, userLookup("key", janeKey, 200, janeJSON))
	b.Remember("jane", janeKey)
	if _, err := b.User(context.Background(), janeKey); err != nil {
		t.Error(err)
	}
}

func TestUserNotFound(t *testing.T) {
	tests := []struct {
		name, id   string
		keyStatus  int
		cloudHint  bool
		keyMessage string
	}{
		{"username", "nobody", 404, false, userNotFoundXML},
		{"not a valid key either", "nobody", 400, false, `{"statusCode":400,"message":"invalid key"}`},
		{"Cloud accountId", "5b10ac8d82e05b22cc7d4ef5", 404, true, userNotFoundXML},
		{"old Cloud accountId", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", 404, true, userNotFoundXML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newREST(t,
				userLookup("username", tt.id, 404, userNotFoundXML),
				userLookup("key", tt.id, tt.keyStatus, tt.keyMessage),
			)
			_, err := b.User(context.Background(), tt.id)
			var nf *confluence.NotFoundError
			if !errors.As(err, &nf) || nf.Kind != "user" || nf.Name != tt.id || !confluence.IsNotFound(err) {
				t.Fatalf("err = %v, want a NotFoundError for user %q", err, tt.id)
			}
			if hint := strings.Contains(err.Error(), "looks like a Cloud accountId; Data Center names users by username"); hint != tt.cloudHint {
				t.Errorf("err = %v; Cloud hint present = %v, want %v", err, hint, tt.cloudHint)
			}
		})
	}
}

func TestUserReportsOtherFailures(t *testing.T) {
	b := newREST(t, userLookup("username", "jane", 401, `<status><status-code>401</status-code><message>Client must be authenticated to access this resource.</message></status>`))
	if _, err := b.User(context.Background(), "jane"); !confluence.IsUnauthorized(err) {
		t.Errorf("err = %v", err)
	}
	if _, err := b.User(context.Background(), ""); err == nil {
		t.Error("an empty username was accepted")
	}
}

func TestGroupIsLookedUpByEscapedNameAndReturnedAsStored(t *testing.T) {
	b := newREST(t,
		exchange{Method: "GET", Path: "/rest/api/group/Confluence-Users",
			Answer: `{"type":"group","name":"confluence-users","_links":{"self":"x"}}`},
		exchange{Method: "GET", Path: "/rest/api/group/team%20a%2Fb", Answer: `{"type":"group","name":"team a/b"}`},
		exchange{Method: "GET", Path: "/rest/api/group/ghosts", Status: 404,
			Answer: `{"statusCode":404,"message":"com.atlassian.confluence.api.service.exceptions.NotFoundException: Group not found"}`},
	)
	ctx := context.Background()
	if g, err := b.GroupByName(ctx, "Confluence-Users"); err != nil || g != (confluence.Group{ID: "confluence-users", Name: "confluence-users"}) {
		t.Errorf("GroupByName = %+v, %v", g, err)
	}
	if g, err := b.Group(ctx, "Confluence-Users"); err != nil || g.ID != "confluence-users" {
		t.Errorf("Group (cached) = %+v, %v", g, err)
	}
	if g, err := b.Group(ctx, "team a/b"); err != nil || g.Name != "team a/b" {
		t.Errorf("Group = %+v, %v", g, err)
	}
	_, err := b.Group(ctx, "ghosts")
	var nf *confluence.NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "group" || nf.Name != "ghosts" {
		t.Errorf("err = %v", err)
	}
	if _, err := b.Group(ctx, ""); err == nil {
		t.Error("an empty group name was accepted")
	}
}

func TestResolvePrincipalCostsOneRequestPerName(t *testing.T) {
	b := newREST(t,
		userLookup("username", "jane", 200, janeJSON),
		exchange{Method: "GET", Path: "/rest/api/group/Developers", Answer: `{"type":"group","name":"developers"}`},
	)
	ctx := context.Background()
	jane := permissions.Principal{Type: permissions.User, ID: "jane"}
	devs := permissions.Principal{Type: permissions.Group, ID: "Developers"}
	// Users first, then groups: the fake serves its script in order.
	for _, tc := range []struct{ configured, want permissions.Principal }{
		{jane, permissions.Principal{Type: permissions.User, ID: janeKey}},
		{devs, permissions.Principal{Type: permissions.Group, ID: "developers"}},
	} {
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for range 32 {
			wg.Go(func() {
				if p, err := b.ResolvePrincipal(ctx, tc.configured); err != nil || p != tc.want {
					errs <- fmt.Errorf("%v resolved to %v, %w; want %v", tc.configured, p, err, tc.want)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	// The lookup taught the key too: naming it back costs nothing.
	if p, err := b.ConfiguredPrincipal(ctx, permissions.Principal{Type: permissions.User, ID: janeKey}); err != nil || p != jane {
		t.Errorf("ConfiguredPrincipal = %v, %v", p, err)
	}
}

func TestResolvePrincipalUsesRememberedPairings(t *testing.T) {
	b := newREST(t) // no request at all
	b.Remember("jane", janeKey)
	ctx := context.Background()
	if p, err := b.ResolvePrincipal(ctx, permissions.Principal{Type: permissions.User, ID: "jane"}); err != nil || p.ID != janeKey {
		t.Errorf("ResolvePrincipal = %v, %v", p, err)
	}
	if p, err := b.ConfiguredPrincipal(ctx, permissions.Principal{Type: permissions.User, ID: janeKey}); err != nil || p.ID != "jane" {
		t.Errorf("ConfiguredPrincipal = %v, %v", p, err)
	}
	for _, p := range []permissions.Principal{permissions.AnonymousPrincipal, {Type: permissions.Group, ID: "developers"}} {
		if got, err := b.ConfiguredPrincipal(ctx, p); err != nil || got != p {
			t.Errorf("ConfiguredPrincipal(%v) = %v, %v", p, got, err)
		}
	}
	if p, err := b.ResolvePrincipal(ctx, permissions.AnonymousPrincipal); err != nil || p != permissions.AnonymousPrincipal {
		t.Errorf("ResolvePrincipal(anonymous) = %v, %v", p, err)
	}
	for _, bad := range []permissions.Principal{{Type: permissions.User}, {Type: "role", ID: "r"}, {Type: permissions.Anonymous, ID: "x"}} {
		if _, err := b.ResolvePrincipal(ctx, bad); err == nil {
			t.Errorf("ResolvePrincipal(%+v) accepted", bad)
		}
	}
}

func TestResolvePrincipalOfAnUnknownUser(t *testing.T) {
	b := newREST(t,
		userLookup("username", "5b10ac8d82e05b22cc7d4ef5", 404, userNotFoundXML),
		userLookup("username", "5b10ac8d82e05b22cc7d4ef5", 200, janeJSON), // failures are not remembered
	)
	p := permissions.Principal{Type: permissions.User, ID: "5b10ac8d82e05b22cc7d4ef5"}
	_, err := b.ResolvePrincipal(context.Background(), p)
	var nf *confluence.NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "user" || !strings.Contains(err.Error(), "Cloud accountId") {
		t.Errorf("err = %v", err)
	}
	if _, err := b.ResolvePrincipal(context.Background(), p); err != nil {
		t.Errorf("second attempt: %v", err)
	}
}

func TestConfiguredPrincipalLooksTheKeyUpOnce(t *testing.T) {
	b := newREST(t,
		userLookup("key", janeKey, 200, janeJSON),
		userLookup("key", "deleted0000", 404, userNotFoundXML),
	)
	ctx := context.Background()
	for range 3 {
		if p, err := b.ConfiguredPrincipal(ctx, permissions.Principal{Type: permissions.User, ID: janeKey}); err != nil || p.ID != "jane" {
			t.Errorf("ConfiguredPrincipal = %v, %v", p, err)
		}
	}
	if _, err := b.ConfiguredPrincipal(ctx, permissions.Principal{Type: permissions.User, ID: "deleted0000"}); !confluence.IsNotFound(err) {
		t.Errorf("err = %v", err)
	}
}

func TestRPCPrincipalsAreUsernamesAsConfluenceSpellsThem(t *testing.T) {
	b := newRPC(t, userLookup("username", "JANE", 200, janeJSON))
	ctx := context.Background()
	p, err := b.ResolvePrincipal(ctx, permissions.Principal{Type: permissions.User, ID: "JANE"})
	if err != nil || p != (permissions.Principal{Type: permissions.User, ID: "jane"}) {
		t.Errorf("ResolvePrincipal = %v, %v", p, err)
	}
	if got, err := b.ConfiguredPrincipal(ctx, p); err != nil || got != p {
		t.Errorf("ConfiguredPrincipal = %v, %v", got, err)
	}
}
