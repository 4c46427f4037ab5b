package cloud_test

import (
	"context"
	"errors"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// newClient is a client on a simulated Cloud site, as a new provider
// process would make it.
func newClient(t *testing.T, url string) *confluence.Client {
	t.Helper()
	api, err := transport.New(transport.Config{BaseURL: url, Auth: transport.Basic{User: "terraform@example.com", Token: "demo-token"}})
	if err != nil {
		t.Fatal(err)
	}
	return confluence.NewClient(cloud.New(api))
}

// Nothing documents that the ids of the v2 permission list are the ids the
// v1 DELETE takes. On a site where they differ, the provider removes a
// grant it created in the same run by the id the creation returned, and
// one it only read (a later run) fails with an error saying the grant is
// still there: it never reports success on a 404 alone.
func TestRemovingWhenListAndDeleteIDsDiffer(t *testing.T) {
	sim, srv := confluencesim.Start(t, confluencesim.DemoSeed(), confluencesim.Options{DistinctPermissionIDs: true})
	ctx := context.Background()
	public := permissions.Grant{Principal: permissions.AnonymousPrincipal, Operation: permissions.ReadSpace}
	held := func() bool {
		grants, err := sim.Grants("ENG")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range grants {
			if g.Principal == permissions.AnonymousPrincipal && g.Operation == permissions.ReadSpace {
				return true
			}
		}
		return false
	}

	// Created and removed by one process: the POST's id is the v1 id.
	c := newClient(t, srv.URL)
	if _, err := c.AddGrant(ctx, "ENG", public, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RemoveGrant(ctx, "ENG", public, nil); err != nil || held() {
		t.Fatalf("RemoveGrant in the creating process: %v (grant still held: %v)", err, held())
	}

	// Created by one run, removed by the next, which knows only the v2 id.
	if _, err := newClient(t, srv.URL).AddGrant(ctx, "ENG", public, nil); err != nil {
		t.Fatal(err)
	}
	_, err := newClient(t, srv.URL).RemoveGrant(ctx, "ENG", public, nil)
	var notRemoved *confluence.NotRemovedError
	if !errors.As(err, &notRemoved) || !held() {
		t.Fatalf("RemoveGrant by the v2 id = %v (grant still held: %v); want a *NotRemovedError and the grant kept", err, held())
	}
	t.Logf("the provider reports: %v", err)
}
