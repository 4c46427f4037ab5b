package confluence

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestWriteErrorHints(t *testing.T) {
	ghost := permissions.Principal{Type: permissions.User, ID: "ghost"}
	ghosts := permissions.Principal{Type: permissions.Group, ID: "g-ghosts"}
	tests := []struct {
		name       string
		deployment permissions.Deployment
		grant      permissions.Grant
		err        error
		wantHint   []string // substrings; nil: no hint
		noHint     []string // must not appear
		wantLookup string   // "User" or "Group": the diagnosis looked the principal up
		canView    bool     // the principal holds read/space already
	}{
		{
			name:     "wrong credentials",
			grant:    grant(alice, read),
			err:      status(401, "Unauthorized"),
			wantHint: []string{"credentials", "API token"},
		},
		{
			name:     "the provider's account is no space admin",
			grant:    grant(alice, read),
			err:      status(403, "Forbidden"),
			wantHint: []string{"space DOCS", "Admin permission"},
		},
		{
			name:     "a roles-only Cloud site",
			grant:    grant(alice, read),
			err:      status(400, "Space permissions are not supported in roles-only mode"),
			wantHint: []string{"roles only", "space role"},
		},
		{
			name:     "space not found",
			grant:    grant(alice, read),
			err:      status(404, "No space with key : DOCS"),
			wantHint: []string{"Space DOCS does not exist", "case-sensitive"},
		},
		{
			name:     "an operation Cloud does not offer",
			grant:    grant(alice, permissions.Operation{Key: "delete_mail", Target: "space"}),
			err:      status(400, "Operation not supported for target: space"),
			wantHint: []string{`"delete_mail/space" is not a permission Confluence Cloud offers`, "read/space", "archive/page"},
			noHint:   []string{"delete_mail/space,"},
			canView:  true,
		},
		{
			name:     "anonymous cannot administer",
			grant:    grant(anon, admin),
			err:      status(400, "Anonymous users cannot be space admins"),
			wantHint: []string{"Anonymous users cannot administer"},
			canView:  true,
		},
		{
			name:       "unknown Cloud user",
			grant:      grant(ghost, read),
			err:        status(400, "Failed to find subject"),
			wantHint:   []string{`No user with id "ghost"`, "accountId", "confluence_user"},
			wantLookup: "User",
		},
		{
			name:       "unknown Data Center user",
			deployment: permissions.DataCenter,
			grant:      grant(ghost, read),
			err:        status(400, "Failed to find subject"),
			wantHint:   []string{`No user with id "ghost"`, "username"},
			noHint:     []string{"accountId"},
			wantLookup: "User",
		},
		{
			name:       "unknown Cloud group",
			grant:      grant(ghosts, read),
			err:        status(400, "Failed to find subject"),
			wantHint:   []string{`No group with id "g-ghosts"`, "groupId", "confluence_group"},
			wantLookup: "Group",
		},
		{
			name:       "a known user refused for another reason gets no guess",
			grant:      grant(alice, read),
			err:        status(400, "Something else"),
			wantLookup: "User",
		},
		{
			name:       "a known group refused for another reason gets no guess",
			grant:      grant(devs, read),
			err:        status(400, "Something else"),
			wantLookup: "Group",
		},
		{
			name:  "a transport failure has no hint",
			grant: grant(alice, read),
			err:   errConnReset,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			if tt.deployment != "" {
				f.deployment = tt.deployment
			}
			f.addUser("alice")
			f.addGroup("g-devs", "developers")
			if tt.canView {
				f.seed("DOCS", tt.grant.Principal, read)
			}
			for n := 1; n <= addAttempts; n++ {
				f.failNth("AddGrant", n, tt.err)
			}
			c := NewClient(f)
			_, err := c.AddGrant(context.Background(), "DOCS", tt.grant, nil)
			var we *ActionError
			if !errors.As(err, &we) {
				t.Fatalf("want *ActionError, got %T %v", err, err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("the cause is lost: %v", err)
			}
			if tt.wantHint == nil && we.Hint != "" {
				t.Errorf("unexpected hint %q", we.Hint)
			}
			for _, want := range tt.wantHint {
				if !strings.Contains(we.Hint, want) {
					t.Errorf("hint %q does not mention %q", we.Hint, want)
				}
			}
			for _, bad := range tt.noHint {
				if strings.Contains(we.Hint, bad) {
					t.Errorf("hint %q mentions %q", we.Hint, bad)
				}
			}
			if we.Hint != "" && !strings.HasSuffix(err.Error(), ". "+we.Hint) {
				t.Errorf("the message does not end with the hint: %q", err)
			}
			for _, lookup := range []string{"User", "Group"} {
				want := 0
				if lookup == tt.wantLookup {
					want = 1
				}
				wantCalls(t, f, lookup, want)
			}
		})
	}
}

func TestExplainDoesNotWrapTwice(t *testing.T) {
	c := NewClient(newFake())
	inner := c.explain(context.Background(), writingGrants, "granting read/space to user alice", "DOCS", grant(alice, read), status(401, "no"))
	outer := c.explain(context.Background(), writingGrants, "something else", "OTHER", grant(alice, read), inner)
	if outer != inner { //nolint:errorlint // the very same error must come back, not one wrapping it
		t.Fatalf("explained twice: %v", outer)
	}
	if c.explain(context.Background(), writingGrants, "x", "DOCS", grant(alice, read), nil) != nil {
		t.Fatal("explain(nil) is not nil")
	}
}

func TestErrorMessageCarriesNoCredentials(t *testing.T) {
	e := &Error{StatusCode: 400, Method: "POST", Path: "/wiki/rest/api/space/DOCS/permission", Code: "BAD", Message: "Permission already exists."}
	want := "Confluence answered 400 Bad Request to POST /wiki/rest/api/space/DOCS/permission: Permission already exists."
	if e.Error() != want {
		t.Fatalf("got %q, want %q", e.Error(), want)
	}
	noMsg := &Error{StatusCode: 503, Method: "GET", Path: "/wiki/api/v2/spaces"}
	if noMsg.Error() != "Confluence answered 503 Service Unavailable to GET /wiki/api/v2/spaces" {
		t.Fatalf("got %q", noMsg.Error())
	}
}

func TestErrorPredicates(t *testing.T) {
	rolesOnly := &Error{StatusCode: 400, Message: "Legacy space permissions are " + rolesOnlyText}
	tests := []struct {
		name string
		err  error
		is   func(error) bool
		want bool
	}{
		{"404", &Error{StatusCode: 404}, IsNotFound, true},
		{"wrapped 404", &ActionError{Err: &Error{StatusCode: 404}}, IsNotFound, true},
		{"500 is not 404", &Error{StatusCode: 500}, IsNotFound, false},
		{"plain error", errors.New("404"), IsNotFound, false},
		{"401", &Error{StatusCode: 401}, IsUnauthorized, true},
		{"403", &Error{StatusCode: 403}, IsForbidden, true},
		{"400", &Error{StatusCode: 400}, IsBadRequest, true},
		{"429", &Error{StatusCode: 429}, IsRateLimited, true},
		{"roles only", rolesOnly, IsRolesOnly, true},
		{"roles only wrapped", &IncompleteChangeError{Err: &ActionError{Err: rolesOnly}}, IsRolesOnly, true},
		{"other 400", &Error{StatusCode: 400, Message: "Permission already exists."}, IsRolesOnly, false},
		{"roles text on a 500", &Error{StatusCode: 500, Message: rolesOnlyText}, IsRolesOnly, false},
	}
	for _, tt := range tests {
		if got := tt.is(tt.err); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
