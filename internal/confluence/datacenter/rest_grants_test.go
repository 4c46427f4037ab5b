package datacenter

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var proj = confluence.Space{ID: "131083", Key: "PROJ", Name: "Project", Type: "global", Status: "current"}

var (
	janeP   = permissions.Principal{Type: permissions.User, ID: janeKey}
	usersP  = permissions.Principal{Type: permissions.Group, ID: "confluence-users"}
	anonP   = permissions.AnonymousPrincipal
	read    = permissions.ReadSpace
	admin   = permissions.AdministerSpace
	addPage = permissions.Operation{Key: "create", Target: "page"}
)

// row writes one row of the bulk GET as CONFSERVER-100505 shows them.
func row(subject, targetType, operationKey string) string {
	return fmt.Sprintf(`{"operation":{"targetType":%q,"operationKey":%q},"subject":%s,"spaceKey":"PROJ","spaceId":131083}`,
		targetType, operationKey, subject)
}

const (
	userSubject  = `{"type":"user","userKey":"` + janeKey + `"}`
	groupSubject = `{"type":"group","name":"confluence-users"}`
)

func grantsOf(gs ...permissions.Grant) []confluence.StoredGrant {
	out := make([]confluence.StoredGrant, len(gs))
	for i, g := range gs {
		out[i] = confluence.StoredGrant{Principal: g.Principal, Operation: g.Operation}
	}
	return out
}

func g(p permissions.Principal, op permissions.Operation) permissions.Grant {
	return permissions.Grant{Principal: p, Operation: op}
}

func bulkGET(rows ...string) exchange {
	return exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions", Answer: "[" + strings.Join(rows, ",") + "]"}
}

func TestRESTSpaceGrantsMapsRowsAndSkipsUnknownPairs(t *testing.T) {
	log := &logLines{}
	b := NewREST(newAPI(t, bulkGET(
		row(groupSubject, "space", "read"),
		row(userSubject, "space", "read"),
		row(userSubject, "space", "administer"),
		row(userSubject, "space", "delete_own"),
		row(userSubject, "space", "administer"), // repeated
		row(groupSubject, "page", "create"),
		row(groupSubject, "space", "delete_mail"),
		row(groupSubject, "application", "use"), // not a space permission
		row(`{"type":"anonymous"}`, "space", "read"),
		row(`{"type":"unlicensed"}`, "space", "read"), // unmanaged type, kept
	)), WithLogger(log))
	got, err := b.SpaceGrants(context.Background(), proj)
	if err != nil {
		t.Fatal(err)
	}
	want := grantsOf(
		g(usersP, read),
		g(janeP, read),
		g(janeP, admin),
		g(janeP, permissions.Operation{Key: "delete", Target: "space"}),
		g(usersP, addPage),
		g(usersP, permissions.Operation{Key: "delete_mail", Target: "space"}),
		g(anonP, read),
		g(permissions.Principal{Type: "unlicensed"}, read),
	)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SpaceGrants =\n%+v\nwant\n%+v", got, want)
	}
	lines := log.all()
	if len(lines) != 1 || lines[0]["permission"] != "application/use" || lines[0]["space_key"] != "PROJ" {
		t.Errorf("debug lines = %v, want one about application/use", lines)
	}
}

func TestRESTSubjectShapesOfAnonymous(t *testing.T) {
	tests := []struct {
		subject string
		want    permissions.Principal
	}{
		{`null`, anonP},
		{`{"type":"anonymous"}`, anonP},
		{`{"type":"ANONYMOUS","displayName":"Anonymous"}`, anonP},
		{`{"type":"user"}`, anonP},
		{`{"type":"user","displayName":"Anonymous"}`, anonP},
		{`{}`, anonP},
		{`{"type":"user","userKey":"k1"}`, permissions.Principal{Type: permissions.User, ID: "k1"}},
		{`{"type":"group","name":"g1"}`, permissions.Principal{Type: permissions.Group, ID: "g1"}},
		{`{"name":"g1"}`, permissions.Principal{Type: permissions.Group, ID: "g1"}},
	}
	for _, tt := range tests {
		t.Run(tt.subject, func(t *testing.T) {
			// An anonymous row besides saves the anonymous endpoint.
			b := newREST(t, bulkGET(row(tt.subject, "space", "read"), row(`{"type":"anonymous"}`, "space", "export")))
			got, err := b.SpaceGrants(context.Background(), proj)
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Principal != tt.want {
				t.Errorf("subject %s read as %v, want %v", tt.subject, got[0].Principal, tt.want)
			}
		})
	}
}

func TestRESTSpaceGrantsReadsTheAnonymousEndpointWhenTheListShowsNone(t *testing.T) {
	anonymousGET := func(answer string) exchange {
		return exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions/anonymous", Answer: answer}
	}
	tests := []struct {
		name      string
		anonymous exchange
		want      []confluence.StoredGrant
	}{
		{"flat list of rows", anonymousGET(`[{"operation":{"targetType":"space","operationKey":"read"},"subject":{"type":"anonymous"},"spaceKey":"PROJ"},` +
			`{"operation":{"targetType":"comment","operationKey":"create"}},{"operation":{"targetType":"page","operationKey":"archive"}}]`),
			grantsOf(g(usersP, read), g(anonP, read), g(anonP, permissions.Operation{Key: "create", Target: "comment"}))},
		{"operations envelope", anonymousGET(`{"operations":[{"targetType":"space","operationKey":"read"},{"targetType":"space","operationKey":"export"}]}`),
			grantsOf(g(usersP, read), g(anonP, read), g(anonP, permissions.Operation{Key: "export", Target: "space"}))},
		{"bare operations", anonymousGET(`[{"targetType":"space","operationKey":"read"}]`),
			grantsOf(g(usersP, read), g(anonP, read))},
		{"none", anonymousGET(`[]`), grantsOf(g(usersP, read))},
		{"empty envelope", anonymousGET(`{"operations":[]}`), grantsOf(g(usersP, read))},
		{"no such endpoint", exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions/anonymous", Status: 404, Answer: `{"statusCode":404,"message":"null for uri"}`},
			grantsOf(g(usersP, read))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newREST(t, bulkGET(row(groupSubject, "space", "read")), tt.anonymous)
			got, err := b.SpaceGrants(context.Background(), proj)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SpaceGrants =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestRESTSpaceGrantsLearnsUsernamesWhenTheRowsCarryThem(t *testing.T) {
	b := newREST(t, bulkGET(row(`{"type":"user","userKey":"`+janeKey+`","username":"jane"}`, "space", "read"),
		row(`{"type":"anonymous"}`, "space", "read")))
	if _, err := b.SpaceGrants(context.Background(), proj); err != nil {
		t.Fatal(err)
	}
	if p, err := b.ConfiguredPrincipal(context.Background(), janeP); err != nil || p.ID != "jane" {
		t.Errorf("ConfiguredPrincipal = %v, %v", p, err)
	}
}

func TestRESTSpaceGrantsExplainsDataCenterFailures(t *testing.T) {
	const internal = `{"statusCode":500,"message":"java.lang.NullPointerException"}`
	const noURI = `{"statusCode":404,"message":"null for uri: https://dc.example.com/confluence/rest/api/space/PROJ/permissions"}`
	t.Run("500 for a caller without admin rights", func(t *testing.T) {
		b := newREST(t, exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions", Status: 500, Answer: internal})
		_, err := b.SpaceGrants(context.Background(), proj)
		var e *confluence.Error
		if !errors.As(err, &e) || e.StatusCode != 500 || !strings.Contains(err.Error(), "CONFSERVER-99908") ||
			!strings.Contains(err.Error(), "Admin permission of space PROJ") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("500 on the anonymous endpoint", func(t *testing.T) {
		b := newREST(t, bulkGET(), exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions/anonymous", Status: 500, Answer: internal})
		if _, err := b.SpaceGrants(context.Background(), proj); err == nil || !strings.Contains(err.Error(), "CONFSERVER-99908") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("404 while the space exists: older than 9.1", func(t *testing.T) {
		b := newREST(t,
			exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions", Status: 404, Answer: noURI},
			exchange{Method: "GET", Path: "/rest/api/space/PROJ", Answer: spaceText(131083, "PROJ")},
		)
		_, err := b.SpaceGrants(context.Background(), proj)
		var old *RESTUnavailableError
		if !errors.As(err, &old) || confluence.IsNotFound(err) || !strings.Contains(err.Error(), "older than Data Center 9.1") ||
			!strings.Contains(err.Error(), "remote API") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("404 and the space is gone", func(t *testing.T) {
		b := newREST(t,
			exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions", Status: 404, Answer: `{"statusCode":404,"message":"No space with key : PROJ"}`},
			exchange{Method: "GET", Path: "/rest/api/space/PROJ", Status: 404, Answer: `{"statusCode":404,"message":"No space with key : PROJ"}`},
		)
		if _, err := b.SpaceGrants(context.Background(), proj); !confluence.IsNotFound(err) {
			t.Errorf("err = %v, want a 404 the client reads as a missing space", err)
		}
	})
	t.Run("an answer that is not a list", func(t *testing.T) {
		b := newREST(t, exchange{Method: "GET", Path: "/rest/api/space/PROJ/permissions", Answer: `{"results":[]}`})
		if _, err := b.SpaceGrants(context.Background(), proj); err == nil {
			t.Error("a paged envelope was accepted as the bare array")
		}
	})
}

func TestRESTGrantAndRevokeSendABareArray(t *testing.T) {
	tests := []struct {
		name    string
		space   confluence.Space
		grant   permissions.Grant
		subject string
		body    string
	}{
		{"user by userKey", proj, g(janeP, read), "user/" + janeKey, `[{"targetType":"space","operationKey":"read"}]`},
		{"group by escaped name", proj, g(permissions.Principal{Type: permissions.Group, ID: "team a/b"}, addPage), "group/team%20a%2Fb",
			`[{"targetType":"page","operationKey":"create"}]`},
		{"anonymous", proj, g(anonP, permissions.Operation{Key: "restrict_content", Target: "space"}), "anonymous",
			`[{"targetType":"space","operationKey":"restrict"}]`},
		{"Cloud spelling becomes the Data Center pair", proj, g(janeP, permissions.Operation{Key: "delete", Target: "space"}), "user/" + janeKey,
			`[{"targetType":"space","operationKey":"delete_own"}]`},
		{"personal space", confluence.Space{Key: "~jane"}, g(janeP, read), "user/" + janeKey, `[{"targetType":"space","operationKey":"read"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := "/rest/api/space/" + tt.space.Key + "/permissions/" + tt.subject
			b := newREST(t,
				exchange{Method: "PUT", Path: base + "/grant", Body: tt.body, Status: 204},
				exchange{Method: "PUT", Path: base + "/revoke", Body: tt.body, Status: 200},
			)
			got, err := b.AddGrant(context.Background(), tt.space, tt.grant)
			if err != nil || got != (confluence.StoredGrant{Principal: tt.grant.Principal, Operation: tt.grant.Operation}) {
				t.Errorf("AddGrant = %+v, %v", got, err)
			}
			if err := b.RemoveGrant(context.Background(), tt.space, got); err != nil {
				t.Errorf("RemoveGrant: %v", err)
			}
		})
	}
}

func TestRESTWritesRefuseWhatDataCenterCannotGrant(t *testing.T) {
	b := newREST(t)
	for _, bad := range []permissions.Grant{
		g(janeP, permissions.Operation{Key: "archive", Target: "page"}), // Cloud only
		g(janeP, permissions.Operation{Key: "use", Target: "application"}),
		g(permissions.Principal{Type: permissions.User}, read),
		g(permissions.Principal{Type: "role", ID: "r"}, read),
	} {
		if _, err := b.AddGrant(context.Background(), proj, bad); err == nil {
			t.Errorf("AddGrant(%v) sent nothing and returned no error", bad)
		}
	}
	if _, err := b.AddGrant(context.Background(), proj, g(janeP, permissions.Operation{Key: "archive", Target: "page"})); err == nil ||
		!strings.Contains(err.Error(), "Confluence Data Center") {
		t.Errorf("err = %v, want it to name the deployment", err)
	}
	if _, err := b.AddGrant(context.Background(), confluence.Space{}, g(janeP, read)); err == nil {
		t.Error("a space without a key was accepted")
	}
}

func TestRESTWriteRefusalsKeepConfluencesAnswer(t *testing.T) {
	b := newREST(t, exchange{Method: "PUT", Path: "/rest/api/space/PROJ/permissions/anonymous/grant",
		Body: `[{"targetType":"space","operationKey":"administer"}]`, Status: 400,
		Answer: `{"statusCode":400,"message":"com.atlassian.confluence.api.service.exceptions.BadRequestException: This permission can't be granted to anonymous users"}`})
	_, err := b.AddGrant(context.Background(), proj, g(anonP, admin))
	if !confluence.IsBadRequest(err) || !strings.Contains(err.Error(), "can't be granted to anonymous users") {
		t.Errorf("err = %v", err)
	}
}
