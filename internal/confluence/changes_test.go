package confluence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestSetPrincipalOrder(t *testing.T) {
	tests := []struct {
		name       string
		current    []permissions.Operation
		desired    permissions.OperationSet
		wantWrites []string
	}{
		{
			name:    "from nothing: read/space first",
			desired: ops(createPage, export, read),
			wantWrites: []string{
				"add DOCS read/space for user alice",
				"add DOCS export/space for user alice",
				"add DOCS create/page for user alice",
			},
		},
		{
			name:    "to nothing: read/space last",
			current: []permissions.Operation{read, admin, createPage},
			desired: ops(),
			wantWrites: []string{
				"remove DOCS create/page for user alice",
				"remove DOCS administer/space for user alice",
				"remove DOCS read/space for user alice",
			},
		},
		{
			name:    "adds before removes",
			current: []permissions.Operation{read, admin},
			desired: ops(read, createPage),
			wantWrites: []string{
				"add DOCS create/page for user alice",
				"remove DOCS administer/space for user alice",
			},
		},
		{
			name:    "already as desired",
			current: []permissions.Operation{read, createPage},
			desired: ops(read, createPage),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			f.seed("DOCS", alice, tt.current...)
			f.seed("DOCS", bob, read, admin)
			c := NewClient(f)
			out, err := c.SetPrincipal(context.Background(), "DOCS", alice, tt.desired, nil)
			if err != nil {
				t.Fatal(err)
			}
			if out.Adopted || out.AlreadyGone || len(out.Notes) != 0 {
				t.Errorf("unexpected outcome %+v", out)
			}
			if got := f.writeLog(); !slices.Equal(got, tt.wantWrites) {
				t.Errorf("writes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.wantWrites, "\n"))
			}
			server := f.serverGrants("DOCS")
			if len(server[alice].Minus(tt.desired)) != 0 || len(tt.desired.Minus(server[alice])) != 0 {
				t.Errorf("alice holds %v, want %v", server[alice].Strings(), tt.desired.Strings())
			}
			if render(permissions.Grants{bob: server[bob]}) != "user bob: read/space, administer/space" {
				t.Errorf("another principal was touched: %s", render(server))
			}
			if got := mustGrants(t, c, "DOCS"); render(got) != render(server) {
				t.Errorf("cache\n%s\nserver\n%s", render(got), render(server))
			}
			wantCalls(t, f, "SpaceGrants", 1)
		})
	}
}

// spaceScenario is a space with users, a group and a Cloud role row, and a
// desired state that adds, changes and drops principals.
func spaceScenario(f *fakeBackend) permissions.Grants {
	f.addSpace("DOCS")
	f.seed("DOCS", alice, read, admin)
	f.seed("DOCS", bob, read, createPage)
	f.seed("DOCS", devs, read)
	f.seed("DOCS", roleRW, read, createPage)
	return permissions.Grants{
		alice: ops(read),
		bob:   ops(read, createPage, deletePage),
		carol: ops(read, createPage, admin),
		anon:  ops(read),
	}
}

var spaceScenarioWrites = []string{
	"add DOCS delete/page for user bob",
	"add DOCS read/space for user carol",
	"add DOCS administer/space for user carol",
	"add DOCS create/page for user carol",
	"add DOCS read/space for anonymous",
	"remove DOCS administer/space for user alice",
	"remove DOCS read/space for group g-devs",
}

func TestSetSpace(t *testing.T) {
	f := newFake()
	desired := spaceScenario(f)
	c := NewClient(f)
	c.writers = 1 // the exact order of calls; concurrency has its own test
	out, err := c.SetSpace(context.Background(), "DOCS", desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Notes) != 0 {
		t.Errorf("unexpected notes %+v", out.Notes)
	}
	if got := f.writeLog(); !slices.Equal(got, spaceScenarioWrites) {
		t.Fatalf("writes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(spaceScenarioWrites, "\n"))
	}
	want := desired.Clone()
	want[roleRW] = ops(read, createPage) // never the provider's to change
	if got := f.serverGrants("DOCS"); render(got) != render(want) {
		t.Fatalf("server\n%s\nwant\n%s", render(got), render(want))
	}
	if got := mustGrants(t, c, "DOCS"); render(got) != render(want) {
		t.Fatalf("cache\n%s\nwant\n%s", render(got), render(want))
	}
	wantCalls(t, f, "SpaceGrants", 1)

	// Applying the same state again changes nothing.
	if _, err := c.SetSpace(context.Background(), "DOCS", desired, nil); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, f, "AddGrant", len(spaceScenarioWrites)-2)
	wantCalls(t, f, "RemoveGrant", 2)
}

func TestSetSpaceLeavesUnmanagedPrincipalsAlone(t *testing.T) {
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", roleRW, read, admin)
	f.seed("DOCS", alice, read)
	c := NewClient(f)
	// An empty desired state removes every managed grant, and only those.
	if _, err := c.SetSpace(context.Background(), "DOCS", permissions.Grants{}, nil); err != nil {
		t.Fatal(err)
	}
	if got := f.writeLog(); !slices.Equal(got, []string{"remove DOCS read/space for user alice"}) {
		t.Fatalf("writes %q", got)
	}
	if got := render(f.serverGrants("DOCS")); got != "role role-editors: read/space, administer/space" {
		t.Fatalf("server %s", got)
	}
}

func TestSetSpaceUnknownSpace(t *testing.T) {
	f := newFake()
	c := NewClient(f)
	_, err := c.SetSpace(context.Background(), "NOPE", permissions.Grants{alice: ops(read)}, nil)
	var we *ActionError
	if !errors.As(err, &we) || !IsNotFound(err) || !strings.Contains(err.Error(), "NOPE") {
		t.Fatalf("want a not-found *ActionError naming the space, got %T %v", err, err)
	}
	_, err = c.SetPrincipal(context.Background(), "NOPE", alice, ops(read), nil)
	if !IsNotFound(err) {
		t.Fatalf("SetPrincipal: %v", err)
	}
}

func TestSetSpacePartialFailure(t *testing.T) {
	tests := []struct {
		name     string
		fail     func(f *fakeBackend)
		wantDone int
		// wantReread: the next Grants must read the space again, because
		// the failure left the cache unknown.
		wantReread bool
		wantStatus int
	}{
		{
			name:       "an add refused in the middle",
			fail:       func(f *fakeBackend) { f.failNth("AddGrant", 3, status(400, "Nope")) },
			wantDone:   2,
			wantStatus: 400,
		},
		{
			name: "an add that keeps failing",
			fail: func(f *fakeBackend) {
				for n := 4; n < 10; n++ {
					f.failNth("AddGrant", n, status(500, "oops"))
				}
			},
			wantDone:   3,
			wantStatus: 500,
		},
		{
			name: "a remove that fails",
			fail: func(f *fakeBackend) {
				f.failNth("RemoveGrant", 2, apiError(400, "DELETE", "/wiki/rest/api/space/DOCS/permission/perm-7", "Nope"))
			},
			wantDone:   6,
			wantReread: true,
			wantStatus: 400,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			desired := spaceScenario(f)
			tt.fail(f)
			c := NewClient(f)
			c.writers = 1 // one call at a time, so that "the Nth call" is one known change
			_, err := c.SetSpace(context.Background(), "DOCS", desired, nil)
			var ae *IncompleteChangeError
			if !errors.As(err, &ae) {
				t.Fatalf("want *IncompleteChangeError, got %T %v", err, err)
			}
			all := permissions.PlanSpace(managedOnly(GroupGrants(initialScenario())), desired)
			if ae.SpaceKey != "DOCS" || !slices.Equal(ae.Done, all[:tt.wantDone]) || !slices.Equal(ae.NotDone, all[tt.wantDone:]) {
				t.Fatalf("Done %v\nNotDone %v\nwant the plan %v split after %d", ae.Done, ae.NotDone, all, tt.wantDone)
			}
			var we *ActionError
			var apiErr *Error
			if !errors.As(err, &we) || !errors.As(err, &apiErr) || apiErr.StatusCode != tt.wantStatus {
				t.Fatalf("the cause must be a *ActionError around the %d, got %v", tt.wantStatus, ae.Err)
			}
			failed := all[tt.wantDone].Grant
			for _, want := range []string{failed.Principal.String(), failed.Operation.String(), "space DOCS",
				"changes were applied before this failure", "not applied: " + all[tt.wantDone].String()} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%s", want, err)
				}
			}
			// Done is in Confluence, NotDone is not.
			server := f.serverGrants("DOCS")
			for _, ch := range ae.Done {
				if server[ch.Grant.Principal].Has(ch.Grant.Operation) != (ch.Kind == permissions.Add) {
					t.Errorf("done change %s is not in Confluence", ch)
				}
			}
			for _, ch := range ae.NotDone {
				if server[ch.Grant.Principal].Has(ch.Grant.Operation) == (ch.Kind == permissions.Add) {
					t.Errorf("change %s was reported not done but is in Confluence", ch)
				}
			}
			reads := f.count("SpaceGrants")
			if got := mustGrants(t, c, "DOCS"); render(got) != render(server) {
				t.Fatalf("after the failure the cache holds\n%s\nbut Confluence holds\n%s", render(got), render(server))
			}
			if reread := f.count("SpaceGrants") > reads; reread != tt.wantReread {
				t.Errorf("Grants read the space again: %v, want %v", reread, tt.wantReread)
			}
		})
	}
}

// initialScenario is spaceScenario's starting grants, as a flat list.
func initialScenario() []StoredGrant {
	f := newFake()
	spaceScenario(f)
	return f.rawGrants("DOCS")
}

func managedOnly(g permissions.Grants) permissions.Grants {
	out := permissions.Grants{}
	for p, ops := range g {
		if p.Type.Managed() {
			out[p] = ops
		}
	}
	return out
}

func TestSetPrincipalAdoptsAnAmbiguousAdd(t *testing.T) {
	f := newFake().addSpace("DOCS")
	f.failNthAfterApply("AddGrant", 2, errConnReset)
	c := NewClient(f)
	if _, err := c.SetPrincipal(context.Background(), "DOCS", alice, ops(read, admin, createPage), nil); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, f, "AddGrant", 3)
	if got := render(f.serverGrants("DOCS")); got != "user alice: read/space, administer/space, create/page" {
		t.Fatalf("server %s", got)
	}
	if got := render(mustGrants(t, c, "DOCS")); got != "user alice: read/space, administer/space, create/page" {
		t.Fatalf("cache %s", got)
	}
}

func TestApplyErrorMessage(t *testing.T) {
	cause := errors.New("granting create/page to user alice in space DOCS failed: boom")
	e := &IncompleteChangeError{
		SpaceKey: "DOCS",
		Done:     []permissions.Change{{Kind: permissions.Add, Grant: grant(alice, read)}},
		NotDone: []permissions.Change{
			{Kind: permissions.Add, Grant: grant(alice, createPage)},
			{Kind: permissions.Remove, Grant: grant(bob, admin)},
		},
		Err: cause,
	}
	msg := e.Error()
	for _, want := range []string{
		cause.Error(),
		"In space DOCS, 1 of 3 changes were applied",
		"applied: add read/space for user alice",
		"not applied: add create/page for user alice; remove administer/space for user bob",
		"apply again",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message does not contain %q:\n%s", want, msg)
		}
	}
	if !errors.Is(e, cause) {
		t.Error("ApplyError does not unwrap to its cause")
	}
}

func TestReplacerGetsOneCallWithTheFinalSets(t *testing.T) {
	r := newReplacer()
	r.addSpace("DOCS")
	r.seed("DOCS", alice, read, admin)
	r.seed("DOCS", bob, read)
	r.seed("DOCS", carol, read, createPage)
	r.seed("DOCS", roleRW, read)
	c := NewClient(r)
	dave := permissions.Principal{Type: permissions.User, ID: "dave"}
	desired := permissions.Grants{
		alice: ops(read, admin),  // unchanged: not sent
		bob:   ops(read, export), // changed
		dave:  ops(read),         // new
		// carol is dropped: sent with no operations
	}
	if _, err := c.SetSpace(context.Background(), "DOCS", desired, nil); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, r.fakeBackend, "ReplacePrincipals", 1)
	wantCalls(t, r.fakeBackend, "AddGrant", 0)
	wantCalls(t, r.fakeBackend, "RemoveGrant", 0)
	want := permissions.Grants{bob: ops(read, export), carol: ops(), dave: ops(read)}
	if got := render(r.replaced[0]); got != render(want) {
		t.Fatalf("ReplacePrincipals got\n%s\nwant\n%s", got, render(want))
	}
	// The call does not say what was stored: the next read asks.
	after := mustGrants(t, c, "DOCS")
	wantCalls(t, r.fakeBackend, "SpaceGrants", 2)
	wantAfter := "user alice: read/space, administer/space\nuser bob: read/space, export/space\nuser dave: read/space\nrole role-editors: read/space"
	if render(after) != wantAfter {
		t.Fatalf("after replace\n%s\nwant\n%s", render(after), wantAfter)
	}

	// SetPrincipal uses it too, with the one principal's final set.
	if _, err := c.SetPrincipal(context.Background(), "DOCS", alice, ops(read, admin, createPage), nil); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, r.fakeBackend, "ReplacePrincipals", 2)
	if got := render(r.replaced[1]); got != "user alice: read/space, administer/space, create/page" {
		t.Fatalf("ReplacePrincipals got %s", got)
	}

	// Nothing to change: no call.
	if _, err := c.SetPrincipal(context.Background(), "DOCS", alice, ops(read, admin, createPage), nil); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, r.fakeBackend, "ReplacePrincipals", 2)
}

func TestReplacerFailure(t *testing.T) {
	r := newReplacer()
	r.addSpace("DOCS")
	r.seed("DOCS", alice, read)
	r.failNth("ReplacePrincipals", 1, apiError(403, "PUT", "/rest/api/space/DOCS/permissions", "Forbidden"))
	c := NewClient(r)
	desired := permissions.Grants{alice: ops(read, admin), bob: ops(read)}
	_, err := c.SetSpace(context.Background(), "DOCS", desired, nil)
	var ae *IncompleteChangeError
	if !errors.As(err, &ae) {
		t.Fatalf("want *IncompleteChangeError, got %T %v", err, err)
	}
	if len(ae.Done) != 0 || len(ae.NotDone) != 2 {
		t.Fatalf("Done %v NotDone %v", ae.Done, ae.NotDone)
	}
	var we *ActionError
	if !errors.As(err, &we) || !IsForbidden(err) || !strings.Contains(we.Hint, "Admin permission") {
		t.Fatalf("want an explained 403, got %v", err)
	}
	mustGrants(t, c, "DOCS")
	wantCalls(t, r.fakeBackend, "SpaceGrants", 2)
}

// partialReplace is what a backend that replaces principals in several
// calls returns when a later call fails.
type partialReplace struct {
	applied []permissions.Principal
	err     error
}

func (e *partialReplace) Error() string                              { return e.err.Error() }
func (e *partialReplace) Unwrap() error                              { return e.err }
func (e *partialReplace) AppliedPrincipals() []permissions.Principal { return e.applied }

func TestReplacerPartialFailureSaysWhatWasApplied(t *testing.T) {
	r := newReplacer()
	r.addSpace("DOCS")
	r.seed("DOCS", alice, read, admin)
	r.failNth("ReplacePrincipals", 1, &partialReplace{
		applied: []permissions.Principal{bob},
		err:     apiError(500, "POST", "/rest/api/space/DOCS/permissions", "boom"),
	})
	c := NewClient(r)
	_, err := c.SetSpace(context.Background(), "DOCS", permissions.Grants{alice: ops(read, admin), bob: ops(read), carol: ops(read)}, nil)
	var ae *IncompleteChangeError
	if !errors.As(err, &ae) {
		t.Fatalf("want *IncompleteChangeError, got %T %v", err, err)
	}
	if got := fmt.Sprint(ae.Done); got != "[add read/space for user bob]" {
		t.Fatalf("Done = %s", got)
	}
	if got := fmt.Sprint(ae.NotDone); got != "[add read/space for user carol]" {
		t.Fatalf("NotDone = %s", got)
	}
}

// The provider refuses, before any call, changes that would leave a space
// with no administrator: Data Center is not known to refuse them itself.
func TestLastAdminIsGuarded(t *testing.T) {
	for _, tt := range []struct {
		name string
		do   func(c *Client) error
	}{
		{"single removal", func(c *Client) error {
			_, err := c.RemoveGrant(context.Background(), "DOCS", grant(alice, admin), nil)
			return err
		}},
		{"read/space removal that cascades", func(c *Client) error {
			_, err := c.RemoveGrant(context.Background(), "DOCS", grant(alice, read), nil)
			return err
		}},
		{"principal set", func(c *Client) error {
			_, err := c.SetPrincipal(context.Background(), "DOCS", alice, ops(read), nil)
			return err
		}},
		{"whole space", func(c *Client) error {
			_, err := c.SetSpace(context.Background(), "DOCS", permissions.Grants{bob: ops(read, export)}, nil)
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			f.seed("DOCS", alice, read, admin)
			err := tt.do(NewClient(f))
			var noAdmin permissions.ErrNoAdmin
			if !errors.As(err, &noAdmin) || noAdmin.SpaceKey != "DOCS" {
				t.Fatalf("want a refusal naming DOCS, got %v", err)
			}
			wantCalls(t, f, "RemoveGrant", 0)
			wantCalls(t, f, "AddGrant", 0)
			if got := render(f.serverGrants("DOCS")); got != "user alice: read/space, administer/space" {
				t.Fatalf("the server changed: %s", got)
			}
		})
	}
	// A space that has no admin already is not made worse, so changes pass.
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read, export)
	if _, err := NewClient(f).RemoveGrant(context.Background(), "DOCS", grant(alice, export), nil); err != nil {
		t.Fatal(err)
	}
}

// Several principals are written at once; each principal's changes stay in
// order (read/space first in, last out), and a failure still reports
// exactly what Confluence holds.
func TestSetSpaceWritesPrincipalsConcurrently(t *testing.T) {
	const people = 40
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read, admin)
	desired := permissions.Grants{alice: ops(read, admin)}
	for i := 0; i < people; i++ {
		desired[permissions.Principal{Type: permissions.User, ID: fmt.Sprintf("u%02d", i)}] = ops(read, createPage, comment)
	}
	gate := f.hold("AddGrant")
	c := NewClient(f)
	errc := make(chan error, 1)
	go func() {
		_, err := c.SetSpace(context.Background(), "DOCS", desired, nil)
		errc <- err
	}()
	for i := 0; i < defaultWritersPerSpace; i++ { // that many calls in flight at once
		<-gate.entered
	}
	gate.release()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got := render(f.serverGrants("DOCS")); got != render(desired) {
		t.Fatalf("server holds\n%s\nwant\n%s", got, render(desired))
	}
	// The fake refuses any grant before read/space, so per-principal order held.
	wantCalls(t, f, "AddGrant", people*3)
}
