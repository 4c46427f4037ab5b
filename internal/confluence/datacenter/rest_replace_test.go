package datacenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestReplacePrincipalsSendsOneEntryPerPrincipal(t *testing.T) {
	grants := permissions.Grants{
		anonP:  permissions.NewOperationSet(read),
		janeP:  permissions.NewOperationSet(admin, read), // read/space goes first in the body
		usersP: permissions.NewOperationSet(),            // loses everything
	}
	b := newREST(t, exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: `[
		{"userKey":"` + janeKey + `","operations":[{"targetType":"space","operationKey":"read"},{"targetType":"space","operationKey":"administer"}]},
		{"groupName":"confluence-users","operations":[]},
		{"operations":[{"targetType":"space","operationKey":"read"}]}
	]`, Answer: `{"message":"Space permissions successfully set"}`})
	if err := b.ReplacePrincipals(context.Background(), proj, grants); err != nil {
		t.Fatal(err)
	}
}

// manyUsers returns n users whose keys sort in creation order.
func manyUsers(n int) []permissions.Principal {
	ps := make([]permissions.Principal, n)
	for i := range ps {
		ps[i] = permissions.Principal{Type: permissions.User, ID: fmt.Sprintf("key%03d", i)}
	}
	return ps
}

func replaceBody(ps []permissions.Principal) string {
	entries := make([]subjectPermissionsJSON, len(ps))
	for i, p := range ps {
		entries[i] = subjectPermissionsJSON{UserKey: p.ID, Operations: []operationJSON{{TargetType: "space", OperationKey: "read"}}}
	}
	b, _ := json.Marshal(entries)
	return string(b)
}

func TestReplacePrincipalsSendsAtMost40PerCall(t *testing.T) {
	users := manyUsers(85)
	grants := permissions.Grants{}
	for _, p := range users {
		grants[p] = permissions.NewOperationSet(read)
	}
	post := func(ps []permissions.Principal) exchange {
		return exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: replaceBody(ps)}
	}
	b := newREST(t, post(users[:40]), post(users[40:80]), post(users[80:]))
	if err := b.ReplacePrincipals(context.Background(), proj, grants); err != nil {
		t.Fatal(err)
	}
}

func TestReplacePrincipalsReportsWhatWasApplied(t *testing.T) {
	users := manyUsers(85)
	grants := permissions.Grants{}
	for _, p := range users {
		grants[p] = permissions.NewOperationSet(read)
	}
	refusal := `{"statusCode":400,"message":"com.atlassian.confluence.api.service.exceptions.BadRequestException: User with key key041 not found"}`
	b := newREST(t,
		exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: replaceBody(users[:40])},
		exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: replaceBody(users[40:80]), Status: 400, Answer: refusal},
	)
	err := b.ReplacePrincipals(context.Background(), proj, grants)
	var partial *PartialReplaceError
	if !errors.As(err, &partial) {
		t.Fatalf("err = %v, want a *PartialReplaceError", err)
	}
	if !reflect.DeepEqual(partial.Applied, users[:40]) || !reflect.DeepEqual(partial.Failed, users[40:]) || partial.SpaceKey != "PROJ" {
		t.Errorf("applied %d, failed %d: %v", len(partial.Applied), len(partial.Failed), partial)
	}
	if !confluence.IsBadRequest(err) {
		t.Errorf("the cause is lost: %v", err)
	}
	var viaInterface interface {
		AppliedPrincipals() []permissions.Principal
	}
	if !errors.As(fmt.Errorf("wrapped: %w", err), &viaInterface) || len(viaInterface.AppliedPrincipals()) != 40 {
		t.Errorf("the applied principals cannot be read without importing this package")
	}
	for _, want := range []string{"stopped after 40", "applied: user key000", "not applied: user key040", "User with key key041 not found"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to contain %q", err, want)
		}
	}
}

func TestReplacePrincipalsFailingAtOnceIsAPlainError(t *testing.T) {
	b := newREST(t, exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: replaceBody([]permissions.Principal{janeP}),
		Status: 403, Answer: `{"statusCode":403,"message":"Not permitted"}`})
	err := b.ReplacePrincipals(context.Background(), proj, permissions.Grants{janeP: permissions.NewOperationSet(read)})
	var partial *PartialReplaceError
	if !confluence.IsForbidden(err) || errors.As(err, &partial) {
		t.Errorf("err = %v", err)
	}
}

func TestReplacePrincipalsChecksEverythingBeforeSending(t *testing.T) {
	b := newREST(t)
	for _, grants := range []permissions.Grants{
		{janeP: permissions.NewOperationSet(read), {Type: "role", ID: "r"}: permissions.NewOperationSet(read)},
		{janeP: permissions.NewOperationSet(read, permissions.Operation{Key: "archive", Target: "page"})},
	} {
		if err := b.ReplacePrincipals(context.Background(), proj, grants); err == nil {
			t.Errorf("ReplacePrincipals(%v) sent nothing and returned no error", grants)
		}
	}
	if err := b.ReplacePrincipals(context.Background(), proj, permissions.Grants{}); err != nil {
		t.Errorf("nothing to replace: %v", err)
	}
}

func TestReplacePrincipalsIsRetriedLikeAPut(t *testing.T) {
	// The POST sets rather than adds
	// (contributing/confluence-api.md#rest-space-permissions): repeating it
	// after a 503 is safe.
	body := replaceBody([]permissions.Principal{janeP})
	b := NewREST(newAPIWith(t, withRetries,
		exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: body, Status: 503, Answer: `{"message":"busy"}`},
		exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions", Body: body},
	))
	if err := b.ReplacePrincipals(context.Background(), proj, permissions.Grants{janeP: permissions.NewOperationSet(read)}); err != nil {
		t.Fatal(err)
	}
}
