package confluence

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func status(code int, msg string) *Error {
	return apiError(code, "POST", "/wiki/rest/api/space/DOCS/permission", msg)
}

func TestAddGrant(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *fakeBackend, c *Client)
		grant   permissions.Grant
		wantErr func(t *testing.T, err error) // nil: want success

		wantAdopted bool
		wantNotes   int
		wantAdds    int    // AddGrant calls
		wantReads   int    // SpaceGrants calls
		wantServer  string // alice's grants on the server afterwards
	}{
		{
			name: "an existing grant is adopted without a write",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read, createPage)
			},
			grant:       grant(alice, createPage),
			wantAdopted: true,
			wantAdds:    0, wantReads: 1,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name:     "read/space is granted first when missing",
			grant:    grant(alice, createPage),
			wantAdds: 2, wantReads: 1, wantNotes: 1,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name:     "read/space itself needs no note",
			grant:    grant(alice, read),
			wantAdds: 1, wantReads: 1,
			wantServer: "user alice: read/space",
		},
		{
			name:     "a principal that can view the space gets only the grant",
			setup:    func(f *fakeBackend, c *Client) { f.seed("DOCS", alice, read) },
			grant:    grant(alice, admin),
			wantAdds: 1, wantReads: 1,
			wantServer: "user alice: read/space, administer/space",
		},
		{
			name: "a POST that landed but answered 500 is adopted after a re-read",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				f.failNthAfterApply("AddGrant", 1, status(500, "Internal Server Error"))
			},
			grant:    grant(alice, createPage),
			wantAdds: 1, wantReads: 2,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name: "a POST that landed but lost its connection is adopted after a re-read",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				f.failNthAfterApply("AddGrant", 1, errConnReset)
			},
			grant:    grant(alice, createPage),
			wantAdds: 1, wantReads: 2,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name: "an ambiguous read/space is adopted and the grant still made",
			setup: func(f *fakeBackend, c *Client) {
				f.failNthAfterApply("AddGrant", 1, errConnReset)
			},
			grant:    grant(alice, createPage),
			wantAdds: 2, wantReads: 2, wantNotes: 1,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name: "a grant made by someone else since the read is adopted after Confluence's duplicate 400",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				mustGrants(t, c, "DOCS")
				f.seed("DOCS", alice, createPage) // out of band, after the cache was filled
			},
			grant:    grant(alice, createPage),
			wantAdds: 1, wantReads: 2,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name: "a 500 that did not land is retried after a re-read",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				f.failNth("AddGrant", 1, status(500, "Internal Server Error"))
			},
			grant:    grant(alice, createPage),
			wantAdds: 2, wantReads: 2,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name: "a dropped connection that did not land is retried after a re-read",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				f.failNth("AddGrant", 1, errConnReset)
				f.failNth("AddGrant", 2, status(429, "Rate limited"))
			},
			grant:    grant(alice, createPage),
			wantAdds: 3, wantReads: 3,
			wantServer: "user alice: read/space, create/page",
		},
		{
			name: "retries are bounded",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				for n := 1; n <= 10; n++ {
					f.failNth("AddGrant", n, status(502, "Bad Gateway"))
				}
			},
			grant: grant(alice, createPage),
			wantErr: func(t *testing.T, err error) {
				var e *Error
				if !errors.As(err, &e) || e.StatusCode != 502 {
					t.Errorf("want the last 502, got %v", err)
				}
			},
			wantAdds: addAttempts, wantReads: 1 + addAttempts,
			wantServer: "user alice: read/space",
		},
		{
			name: "a refusal is not retried",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				f.addUser("alice")
				f.failNth("AddGrant", 1, status(400, "All of the admin permissions cannot be removed"))
			},
			grant: grant(alice, createPage),
			wantErr: func(t *testing.T, err error) {
				if !IsBadRequest(err) {
					t.Errorf("want a 400, got %v", err)
				}
			},
			wantAdds: 1, wantReads: 2,
			wantServer: "user alice: read/space",
		},
		{
			name: "a failed read/space stops before the grant",
			setup: func(f *fakeBackend, c *Client) {
				f.addUser("alice")
				f.failNth("AddGrant", 1, status(403, "Forbidden"))
			},
			grant: grant(alice, createPage),
			wantErr: func(t *testing.T, err error) {
				if !IsForbidden(err) || !strings.Contains(err.Error(), "granting read/space to user alice") {
					t.Errorf("want a 403 while granting read/space, got %v", err)
				}
			},
			wantAdds: 1, wantReads: 2,
			wantServer: "",
		},
		{
			name: "read/space granted before a refusal is still reported",
			setup: func(f *fakeBackend, c *Client) {
				f.addUser("alice")
				f.failNth("AddGrant", 2, status(400, "Nope"))
			},
			grant: grant(alice, createPage),
			wantErr: func(t *testing.T, err error) {
				if !IsBadRequest(err) || !strings.Contains(err.Error(), "granting create/page to user alice") {
					t.Errorf("want the 400 of create/page, got %v", err)
				}
			},
			wantNotes: 1,
			wantAdds:  2, wantReads: 2,
			wantServer: "user alice: read/space",
		},
		{
			name: "a failed re-read ends the attempts",
			setup: func(f *fakeBackend, c *Client) {
				f.seed("DOCS", alice, read)
				f.failNth("AddGrant", 1, status(500, "Internal Server Error"))
				f.failNth("SpaceGrants", 2, status(503, "Service Unavailable"))
			},
			grant: grant(alice, createPage),
			wantErr: func(t *testing.T, err error) {
				var e *Error
				if !errors.As(err, &e) || e.StatusCode != 500 {
					t.Errorf("want the write's 500, got %v", err)
				}
			},
			wantAdds: 1, wantReads: 2,
			wantServer: "user alice: read/space",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			c := NewClient(f)
			if tt.setup != nil {
				tt.setup(f, c)
			}
			out, err := c.AddGrant(context.Background(), "DOCS", tt.grant, nil)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("AddGrant: %v", err)
			}
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("AddGrant succeeded, want an error")
				}
				var we *ActionError
				if !errors.As(err, &we) || we.SpaceKey != "DOCS" {
					t.Errorf("want a *ActionError for space DOCS, got %T %v", err, err)
				}
				tt.wantErr(t, err)
			}
			if out.Adopted != tt.wantAdopted {
				t.Errorf("Adopted = %v, want %v", out.Adopted, tt.wantAdopted)
			}
			if len(out.Notes) != tt.wantNotes {
				t.Errorf("got %d notes %+v, want %d", len(out.Notes), out.Notes, tt.wantNotes)
			}
			wantCalls(t, f, "AddGrant", tt.wantAdds)
			wantCalls(t, f, "SpaceGrants", tt.wantReads)
			if got := render(permissions.Grants{alice: f.serverGrants("DOCS")[alice]}); tt.wantServer != "" && got != tt.wantServer {
				t.Errorf("server holds %q, want %q", got, tt.wantServer)
			}
			if tt.wantServer == "" && len(f.serverGrants("DOCS")) != 0 {
				t.Errorf("server holds %s, want nothing", render(f.serverGrants("DOCS")))
			}
			// Whatever happened, the cache agrees with Confluence.
			reads := f.count("SpaceGrants")
			got, err := c.Grants(context.Background(), "DOCS")
			if err != nil {
				t.Fatal(err)
			}
			if want := f.rawGrants("DOCS"); !sameGrants(got, want) {
				t.Errorf("cache holds %v, Confluence holds %v", got, want)
			}
			if tt.wantErr == nil && f.count("SpaceGrants") != reads {
				t.Errorf("Grants after a successful write read the space again")
			}
		})
	}
}

func TestAddGrantReadNoteSaysWhatHappened(t *testing.T) {
	f := newFake().addSpace("DOCS")
	c := NewClient(f)
	out, err := c.AddGrant(context.Background(), "DOCS", grant(devs, createPage), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Notes) != 1 {
		t.Fatalf("want one note, got %+v", out.Notes)
	}
	n := out.Notes[0]
	if !strings.Contains(n.Summary, "read/space") {
		t.Errorf("summary %q does not name read/space", n.Summary)
	}
	for _, want := range []string{"group g-devs", "space DOCS", "read/space"} {
		if !strings.Contains(n.Detail, want) {
			t.Errorf("detail %q does not mention %q", n.Detail, want)
		}
	}
	if got := f.writeLog(); !slices.Equal(got, []string{
		"add DOCS read/space for group g-devs",
		"add DOCS create/page for group g-devs",
	}) {
		t.Errorf("writes %q", got)
	}
}

func TestWriteErrorNamesSpacePrincipalAndOperation(t *testing.T) {
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read)
	f.addUser("alice")
	f.failNth("AddGrant", 1, status(400, "Permission could not be saved"))
	c := NewClient(f)
	_, err := c.AddGrant(context.Background(), "DOCS", grant(alice, createPage), nil)
	var we *ActionError
	if !errors.As(err, &we) {
		t.Fatalf("want *ActionError, got %T %v", err, err)
	}
	msg := err.Error()
	for _, want := range []string{"DOCS", "user alice", "create/page", "400", "Permission could not be saved"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("the Confluence error must stay reachable with errors.As, got %v", err)
	}
}

func TestAddGrantToUnknownSpace(t *testing.T) {
	f := newFake().addSpace("DOCS")
	c := NewClient(f)
	_, err := c.AddGrant(context.Background(), "DOSC", grant(alice, read), nil)
	var we *ActionError
	if !errors.As(err, &we) || !IsNotFound(err) {
		t.Fatalf("want a not-found *ActionError, got %T %v", err, err)
	}
	if !strings.Contains(err.Error(), "DOSC") || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(we.Hint, "case-sensitive") {
		t.Errorf("want the key and a hint, got %q (hint %q)", err, we.Hint)
	}
	wantCalls(t, f, "AddGrant", 0)
}

func TestRemoveGrant(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fakeBackend)
		space string
		grant permissions.Grant

		wantGone    bool
		wantNotes   []string // substrings of the one note's detail, nil: no note
		wantRemoves int
		wantServer  string // server afterwards
	}{
		{
			name:        "a grant that exists is removed by the id Confluence gave it",
			setup:       func(f *fakeBackend) { f.seed("DOCS", alice, read, createPage) },
			space:       "DOCS",
			grant:       grant(alice, createPage),
			wantRemoves: 1,
			wantServer:  "user alice: read/space",
		},
		{
			name:       "a grant that is already gone needs no call",
			setup:      func(f *fakeBackend) { f.seed("DOCS", alice, read) },
			space:      "DOCS",
			grant:      grant(alice, createPage),
			wantGone:   true,
			wantServer: "user alice: read/space",
		},
		{
			name:     "a space that does not exist holds no grants",
			space:    "GONE",
			grant:    grant(alice, createPage),
			wantGone: true,
		},
		{
			name: "removing read/space on Cloud names the grants that went with it",
			setup: func(f *fakeBackend) {
				f.seed("DOCS", alice, read, createPage, admin)
				f.seed("DOCS", bob, read, admin)
			},
			space:       "DOCS",
			grant:       grant(alice, read),
			wantNotes:   []string{"user alice", "space DOCS", "(administer/space, create/page)", "Confluence Cloud"},
			wantRemoves: 1,
			wantServer:  "user bob: read/space, administer/space",
		},
		{
			name:        "removing read/space alone needs no note",
			setup:       func(f *fakeBackend) { f.seed("DOCS", alice, read) },
			space:       "DOCS",
			grant:       grant(alice, read),
			wantRemoves: 1,
			wantServer:  "",
		},
		{
			name: "removing read/space where it does not cascade keeps the rest",
			setup: func(f *fakeBackend) {
				f.cascade = false
				f.deployment = permissions.DataCenter
				f.seed("DOCS", alice, read, createPage)
			},
			space:       "DOCS",
			grant:       grant(alice, read),
			wantRemoves: 1,
			wantServer:  "user alice: create/page",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			if tt.setup != nil {
				tt.setup(f)
			}
			c := NewClient(f)
			out, err := c.RemoveGrant(context.Background(), tt.space, tt.grant, nil)
			if err != nil {
				t.Fatalf("RemoveGrant: %v", err)
			}
			if out.AlreadyGone != tt.wantGone || out.Adopted {
				t.Errorf("outcome %+v, want AlreadyGone=%v", out, tt.wantGone)
			}
			switch {
			case tt.wantNotes == nil && len(out.Notes) != 0:
				t.Errorf("unexpected notes %+v", out.Notes)
			case tt.wantNotes != nil && len(out.Notes) != 1:
				t.Errorf("want one note, got %+v", out.Notes)
			case tt.wantNotes != nil:
				for _, want := range tt.wantNotes {
					if !strings.Contains(out.Notes[0].Detail, want) {
						t.Errorf("note %q does not mention %q", out.Notes[0].Detail, want)
					}
				}
			}
			wantCalls(t, f, "RemoveGrant", tt.wantRemoves)
			if tt.space != "DOCS" {
				return
			}
			if got := render(f.serverGrants("DOCS")); got != tt.wantServer {
				t.Errorf("server holds\n%s\nwant\n%s", got, tt.wantServer)
			}
			reads := f.count("SpaceGrants")
			got, err := c.Grants(context.Background(), "DOCS")
			if err != nil {
				t.Fatal(err)
			}
			if want := f.rawGrants("DOCS"); !sameGrants(got, want) {
				t.Errorf("cache holds %v, Confluence holds %v", got, want)
			}
			if f.count("SpaceGrants") != reads {
				t.Errorf("Grants after the removal read the space again")
			}
		})
	}
}

func TestRemoveGrantInSpaceDeletedSinceLookup(t *testing.T) {
	f := newFake().addSpace("DOCS")
	c := NewClient(f)
	if _, err := c.Space(context.Background(), "DOCS"); err != nil {
		t.Fatal(err)
	}
	f.removeSpace("DOCS")
	out, err := c.RemoveGrant(context.Background(), "DOCS", grant(alice, read), nil)
	if err != nil || !out.AlreadyGone {
		t.Fatalf("RemoveGrant = %+v, %v; want AlreadyGone", out, err)
	}
	wantCalls(t, f, "RemoveGrant", 0)
}

func TestRemoveGrantFailure(t *testing.T) {
	for _, tt := range []struct {
		name      string
		fail      func(f *fakeBackend)
		wantAfter string
	}{
		{"refused", func(f *fakeBackend) {
			f.failNth("RemoveGrant", 1, apiError(400, "DELETE", "/wiki/rest/api/space/DOCS/permission/perm-2", "All of the admin permissions cannot be removed from a space"))
		}, "user alice: read/space, administer/space\ngroup g-devs: read/space, administer/space"},
		{"landed but answered 500", func(f *fakeBackend) {
			f.failNthAfterApply("RemoveGrant", 1, apiError(500, "DELETE", "/wiki/rest/api/space/DOCS/permission/perm-2", "oops"))
		}, "user alice: read/space\ngroup g-devs: read/space, administer/space"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			f.seed("DOCS", alice, read, admin)
			f.seed("DOCS", devs, read, admin) // another admin, so the provider's own guard lets the call through
			tt.fail(f)
			c := NewClient(f)
			_, err := c.RemoveGrant(context.Background(), "DOCS", grant(alice, admin), nil)
			var we *ActionError
			if !errors.As(err, &we) {
				t.Fatalf("want *ActionError, got %T %v", err, err)
			}
			for _, want := range []string{"removing administer/space from user alice", "space DOCS"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			// The cache was dropped: the next read asks Confluence.
			if got := render(mustGrants(t, c, "DOCS")); got != tt.wantAfter {
				t.Errorf("Grants after the failure:\n%s\nwant\n%s", got, tt.wantAfter)
			}
			wantCalls(t, f, "SpaceGrants", 2)
		})
	}
}

// A removal answered 404 is success only when the space no longer lists the
// grant: nothing documents that the ids of Cloud's v2 list are the ids its
// v1 DELETE takes.
func TestRemoveGrantAnswered404IsConfirmedByReading(t *testing.T) {
	notFound := apiError(404, "DELETE", "/wiki/rest/api/space/DOCS/permission/perm-3", "No permission with id perm-3")
	t.Run("gone meanwhile", func(t *testing.T) {
		f := newFake().addSpace("DOCS")
		f.seed("DOCS", alice, read, admin)
		f.seed("DOCS", permissions.AnonymousPrincipal, read)
		f.failNthAfterApply("RemoveGrant", 1, notFound) // removed, answered 404
		c := NewClient(f)
		if _, err := c.RemoveGrant(context.Background(), "DOCS", grant(permissions.AnonymousPrincipal, read), nil); err != nil {
			t.Fatalf("RemoveGrant: %v", err)
		}
		wantCalls(t, f, "SpaceGrants", 2) // the first read, and the one that confirms
		if got := render(mustGrants(t, c, "DOCS")); got != "user alice: read/space, administer/space" {
			t.Errorf("Grants after the removal: %s", got)
		}
	})
	t.Run("still there", func(t *testing.T) {
		f := newFake().addSpace("DOCS")
		f.seed("DOCS", alice, read, admin)
		f.seed("DOCS", permissions.AnonymousPrincipal, read)
		f.failNth("RemoveGrant", 1, notFound) // nothing removed, answered 404
		c := NewClient(f)
		_, err := c.RemoveGrant(context.Background(), "DOCS", grant(permissions.AnonymousPrincipal, read), nil)
		var nr *NotRemovedError
		if !errors.As(err, &nr) {
			t.Fatalf("want *NotRemovedError, got %T %v", err, err)
		}
		if IsNotFound(err) {
			t.Error("the error reads as not found, which callers take for already gone")
		}
		for _, want := range []string{"removing read/space from anonymous", "still lists read/space for anonymous", "perm-3", "not removed"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
		if got := render(mustGrants(t, c, "DOCS")); got != "user alice: read/space, administer/space\nanonymous: read/space" {
			t.Errorf("Grants after the failed removal: %s", got)
		}
	})
}

func TestFailedReadRemovalClaimsNoCascade(t *testing.T) {
	// The provider shows an outcome's notes even when the call failed, so a
	// failed removal must not say that other grants went with it.
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read, createPage)
	f.failNth("RemoveGrant", 1, apiError(403, "DELETE", "/wiki/rest/api/space/DOCS/permission/perm-1", "Forbidden"))
	c := NewClient(f)
	out, err := c.RemoveGrant(context.Background(), "DOCS", grant(alice, read), nil)
	if !IsForbidden(err) {
		t.Fatalf("want the 403, got %v", err)
	}
	if len(out.Notes) != 0 {
		t.Fatalf("a failed removal reported %+v", out.Notes)
	}
	if got := render(mustGrants(t, c, "DOCS")); got != "user alice: read/space, create/page" {
		t.Fatalf("cache after the failure: %s", got)
	}
}

func TestConcurrentAddsToOneSpaceAreSerialised(t *testing.T) {
	f := newFake().addSpace("DOCS")
	c := NewClient(f)
	if _, err := c.Grants(context.Background(), "DOCS"); err != nil {
		t.Fatal(err)
	}
	held := f.hold("AddGrant DOCS")
	const n = 20
	want := permissions.NewOperationSet(read)
	outs := make([]Outcome, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		op := permissions.Operation{Key: fmt.Sprintf("op%02d", i), Target: "page"}
		want[op] = struct{}{}
		wg.Go(func() {
			<-start
			outs[i], errs[i] = c.AddGrant(context.Background(), "DOCS", grant(alice, op), nil)
		})
	}
	close(start)
	// The first write, read/space, is held in flight; give the others a
	// moment to pile up behind it. None may reach Confluence before it.
	<-held.entered
	time.Sleep(5 * time.Millisecond)
	if extra := len(held.entered); extra != 0 {
		t.Errorf("%d more writes reached Confluence while read/space was in flight", extra)
	}
	held.release()
	wg.Wait()
	notes := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("AddGrant %d: %v", i, errs[i])
		}
		notes += len(outs[i].Notes)
	}
	if notes != 1 {
		t.Errorf("read/space was reported granted %d times, want once", notes)
	}
	readAdds := 0
	for _, w := range f.writeLog() {
		if w == "add DOCS read/space for user alice" {
			readAdds++
		}
	}
	if readAdds != 1 {
		t.Errorf("read/space was sent %d times, want once", readAdds)
	}
	wantCalls(t, f, "AddGrant", n+1)
	wantCalls(t, f, "SpaceGrants", 1)
	if got := f.serverGrants("DOCS")[alice]; len(got) != len(want) || len(got.Minus(want)) != 0 {
		t.Errorf("server holds %v, want %v", got.Strings(), want.Strings())
	}
	if got := mustGrants(t, c, "DOCS")[alice]; len(got) != len(want) {
		t.Errorf("cache holds %v", got.Strings())
	}
}

func TestConcurrentSingleGrantsApplyAndDestroyCleanly(t *testing.T) {
	// Single-grant resources of one principal, side by side with no
	// depends_on, at any parallelism: create, then destroy.
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", devs, read, admin) // the space's own admins, untouched
	c := NewClient(f)
	all := []permissions.Operation{read, admin, export, createPage, deletePage, comment}
	run := func(do func(op permissions.Operation) (Outcome, error)) []Outcome {
		outs := make([]Outcome, len(all))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, op := range all {
			wg.Go(func() {
				<-start
				var err error
				outs[i], err = do(op)
				if err != nil {
					t.Errorf("%s: %v", op, err)
				}
			})
		}
		close(start)
		wg.Wait()
		return outs
	}
	run(func(op permissions.Operation) (Outcome, error) {
		return c.AddGrant(context.Background(), "DOCS", grant(alice, op), nil)
	})
	if got := f.serverGrants("DOCS")[alice]; len(got) != len(all) {
		t.Fatalf("after create the server holds %v", got.Strings())
	}
	run(func(op permissions.Operation) (Outcome, error) {
		return c.RemoveGrant(context.Background(), "DOCS", grant(alice, op), nil)
	})
	if got := render(f.serverGrants("DOCS")); got != "group g-devs: read/space, administer/space" {
		t.Fatalf("after destroy the server holds %s", got)
	}
	if got := mustGrants(t, c, "DOCS"); len(got) != 1 {
		t.Fatalf("after destroy the cache holds %s", render(got))
	}
}

// Once a principal can view the space, its other grants are created side by
// side; removals that could take administer/space away wait for everything
// else in the space, so that the last-admin guard judges a still space.
func TestSingleWritesRunSideBySide(t *testing.T) {
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read, admin)
	f.seed("DOCS", bob, read)
	c := NewClient(f)
	held := f.hold("AddGrant")
	errs := make(chan error, 3)
	for _, g := range []permissions.Grant{grant(alice, createPage), grant(alice, export), grant(bob, comment)} {
		go func() {
			_, err := c.AddGrant(context.Background(), "DOCS", g, nil)
			errs <- err
		}()
	}
	for range 3 {
		<-held.entered // all three are in flight at once
	}
	removed := make(chan error, 1)
	go func() {
		_, err := c.RemoveGrant(context.Background(), "DOCS", grant(alice, admin), nil)
		removed <- err
	}()
	time.Sleep(5 * time.Millisecond)
	if n := f.count("RemoveGrant"); n != 0 {
		t.Fatal("an admin removal ran while other writes were in flight")
	}
	held.release()
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// alice is the only admin: the guard refuses, having seen every addition.
	var noAdmin permissions.ErrNoAdmin
	if err := <-removed; !errors.As(err, &noAdmin) {
		t.Fatalf("want the last-admin refusal, got %v", err)
	}
	if m := f.maxInflight(); m != 3 {
		t.Errorf("%d writes were in flight at once, want 3", m)
	}
}

func TestWritesToDifferentSpacesDoNotWaitForEachOther(t *testing.T) {
	f := newFake().addSpace("A", "B")
	c := NewClient(f)
	held := f.hold("AddGrant A")
	doneA := make(chan error, 1)
	go func() {
		_, err := c.AddGrant(context.Background(), "A", grant(alice, read), nil)
		doneA <- err
	}()
	<-held.entered
	// A's write is in flight and holds A's lock: B must not wait for it,
	// and readers of A are served from the cache.
	doneB := make(chan error, 1)
	go func() {
		_, err := c.AddGrant(context.Background(), "B", grant(alice, read), nil)
		if err == nil {
			_, err = c.Grants(context.Background(), "A")
		}
		doneB <- err
	}()
	select {
	case err := <-doneB:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a write to space B or a read of space A waited for a write to space A")
	}
	held.release()
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
}

func TestPassThroughs(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	f.addUser("5b10ac8d")
	f.addGroup("g-1", "confluence-users")
	c := NewClient(f)
	if c.Backend() != Backend(f) || c.Deployment() != permissions.Cloud {
		t.Fatal("Backend/Deployment do not pass through")
	}
	if u, err := c.User(ctx, "5b10ac8d"); err != nil || u.ID != "5b10ac8d" {
		t.Errorf("User = %+v, %v", u, err)
	}
	if _, err := c.User(ctx, "nobody"); !IsNotFound(err) {
		t.Errorf("User(nobody): %v", err)
	}
	if g, err := c.Group(ctx, "g-1"); err != nil || g.Name != "confluence-users" {
		t.Errorf("Group = %+v, %v", g, err)
	}
	if g, err := c.GroupByName(ctx, "confluence-users"); err != nil || g.ID != "g-1" {
		t.Errorf("GroupByName = %+v, %v", g, err)
	}
}

func TestRoleMode(t *testing.T) {
	ctx := context.Background()
	if _, ok, err := NewClient(newFake()).RoleMode(ctx); ok || err != nil {
		t.Fatalf("a backend without roles: ok=%v err=%v", ok, err)
	}
	b := &roleModeBackend{fakeBackend: newFake(), mode: RolesTransition}
	b.failNth("RoleMode", 1, apiError(http.StatusServiceUnavailable, "GET", "/wiki/api/v2/space-permissions/role-mode", "later"))
	c := NewClient(b)
	if _, ok, err := c.RoleMode(ctx); !ok || err == nil {
		t.Fatalf("first call: ok=%v err=%v, want the failure", ok, err)
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if mode, ok, err := c.RoleMode(ctx); mode != RolesTransition || !ok || err != nil {
				t.Errorf("RoleMode = %v, %v, %v", mode, ok, err)
			}
		})
	}
	wg.Wait()
	wantCalls(t, b.fakeBackend, "RoleMode", 2) // the failure was not remembered; the success was
}

func TestResolvePrincipal(t *testing.T) {
	ctx := context.Background()
	if p, err := NewClient(newFake()).resolve(ctx, alice); err != nil || p != alice {
		t.Fatalf("Cloud: %v, %v", p, err)
	}
	b := &resolverBackend{fakeBackend: newFake()}
	p, err := NewClient(b).resolve(ctx, alice)
	if err != nil || p != (permissions.Principal{Type: permissions.User, ID: "key-alice"}) {
		t.Fatalf("Data Center: %v, %v", p, err)
	}
}

func TestResolvePrincipals(t *testing.T) {
	b := &resolverBackend{fakeBackend: newFake()}
	c := NewClient(b)
	got, err := c.resolveAll(context.Background(), []permissions.Principal{alice, bob, devs, anon})
	if err != nil {
		t.Fatal(err)
	}
	if got[alice].ID != "key-alice" || got[bob].ID != "key-bob" || got[devs] != devs || got[anon] != anon {
		t.Fatalf("resolved %v", got)
	}
	nobody := permissions.Principal{Type: permissions.User, ID: "nobody"}
	_, err = c.resolveAll(context.Background(), []permissions.Principal{alice, nobody})
	var pe *PrincipalError
	if !errors.As(err, &pe) || pe.Principal != nobody || !IsNotFound(err) || !strings.Contains(err.Error(), "user nobody") {
		t.Fatalf("want a not-found error naming the principal, got %v", err)
	}
}

// memoryStore is an IdentityStore in memory, as Terraform's private state
// is between runs.
type memoryStore struct{ data []byte }

func (m *memoryStore) Identities() []byte         { return m.data }
func (m *memoryStore) KeepIdentities(data []byte) { m.data = data }

// What a resource keeps between runs spares the next run its lookups, and
// recognises a user renamed since by the stored key.
func TestIdentitiesKeptBetweenRuns(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	store := &memoryStore{}
	first := NewClient(&resolverBackend{fakeBackend: f})
	if _, err := first.AddGrant(ctx, "DOCS", grant(alice, read), store); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(store.data), `"configured":"alice","resolved":"key-alice"`) {
		t.Fatalf("kept %s", store.data)
	}
	wantCalls(t, f, "ResolvePrincipal", 1)

	// The next run: no lookup, even of a user whose name no longer resolves.
	renamed := &renamedBackend{resolverBackend{fakeBackend: f}}
	next := NewClient(renamed)
	has, err := next.HasGrant(ctx, "DOCS", grant(alice, read), store)
	if err != nil || !has {
		t.Fatalf("HasGrant = %v, %v", has, err)
	}
	wantCalls(t, f, "ResolvePrincipal", 1)

	// Without what was kept, the renamed user cannot be found: nothing held.
	has, err = NewClient(renamed).HasGrant(ctx, "DOCS", grant(alice, read), nil)
	if err != nil || has {
		t.Fatalf("without the store: HasGrant = %v, %v", has, err)
	}
	// A principal that resolves to itself needs nothing kept: on Cloud only
	// the space's id is.
	cloud := NewClient(newFake().addSpace("DOCS"))
	stale := &memoryStore{data: []byte("stale")}
	if _, err := cloud.AddGrant(ctx, "DOCS", grant(alice, read), stale); err != nil || string(stale.data) != `{"spaces":[{"key":"DOCS","id":"1000"}]}` {
		t.Fatalf("Cloud kept %q, %v", stale.data, err)
	}
}

// renamedBackend is a Data Center whose users were all renamed: their old
// names resolve to nothing.
type renamedBackend struct{ resolverBackend }

func (r *renamedBackend) ResolvePrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	r.begin("ResolvePrincipal", "")
	if p.Type == permissions.User {
		return p, &NotFoundError{Kind: "user", Name: p.ID}
	}
	return p, nil
}
