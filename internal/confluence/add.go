package confluence

import (
	"context"
	"fmt"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// addAttempts bounds how often a grant creation is tried. A failed POST is
// never repeated blindly: before each new attempt the space is re-read and a
// grant that did land is adopted.
const addAttempts = 3

// Outcome tells the caller what a write did beyond the obvious, so that it
// can warn the user.
type Outcome struct {
	// Adopted: the grant already existed and was taken over, not created.
	Adopted bool
	// AlreadyGone: the grant to remove did not exist any more.
	AlreadyGone bool
	// Notes are things the user should know.
	Notes []Note
}

// Note is something a write did that the user should hear about.
type Note struct {
	Summary string
	Detail  string
}

// AddGrant makes sure one grant exists, its principal as configured. A
// grant that already exists is adopted. When the principal cannot view the
// space yet, read/space is granted first (Confluence refuses anything else)
// and a note says so.
func (c *Client) AddGrant(ctx context.Context, spaceKey string, g permissions.Grant, ids IdentityStore) (Outcome, error) {
	c.restore(ids)
	defer c.keep(ids, spaceKey, g.Principal)
	action := "granting " + g.Operation.String() + " to " + g.Principal.String()
	space, err := c.spaces.Lookup(ctx, spaceKey)
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, action, spaceKey, g, err)
	}
	stored, err := c.resolve(ctx, g.Principal)
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, action, spaceKey, g, err)
	}
	g.Principal = stored
	w := c.spaceWrites(space.Key)
	w.rw.RLock() // additions run side by side; see spaceWrites
	defer w.rw.RUnlock()

	grants, err := c.storedGrants(ctx, space)
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, action, spaceKey, g, err)
	}
	if _, ok := find(grants, g); ok {
		return Outcome{Adopted: true}, nil
	}
	out, err := c.ensureViewer(ctx, space, w, g)
	if err != nil || g.Operation == permissions.ReadSpace {
		return out, err
	}
	return out, c.add(ctx, space, g)
}

// ensureViewer makes sure the principal of g holds read/space, which
// Confluence requires before any other grant: it is granted once, by
// whichever addition for the principal gets here first, while the others
// wait under the principal's lock. Adding read/space itself adopts an
// existing one.
func (c *Client) ensureViewer(ctx context.Context, space Space, w *spaceWrites, g permissions.Grant) (Outcome, error) {
	defer w.lockPrincipal(g.Principal)()
	read := permissions.Grant{Principal: g.Principal, Operation: permissions.ReadSpace}
	grants, err := c.storedGrants(ctx, space)
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, "granting "+g.Operation.String()+" to "+c.describe(g.Principal), space.Key, g, err)
	}
	if _, ok := find(grants, read); ok {
		return Outcome{Adopted: g.Operation == permissions.ReadSpace}, nil
	}
	if err := c.add(ctx, space, read); err != nil {
		return Outcome{}, err
	}
	if g.Operation == permissions.ReadSpace {
		return Outcome{}, nil
	}
	return Outcome{Notes: []Note{{
		Summary: "Granted " + permissions.ReadSpace.String() + " as well",
		Detail: fmt.Sprintf("%s could not view space %s, so %s was granted too: Confluence grants nothing else without it. "+
			"Declare %s for this principal in your configuration to manage it explicitly.",
			c.describe(g.Principal), space.Key, permissions.ReadSpace, permissions.ReadSpace),
	}}}, nil
}

// add creates one grant, principal as stored.
func (c *Client) add(ctx context.Context, space Space, g permissions.Grant) error {
	var err error
	for attempt := 1; attempt <= addAttempts; attempt++ {
		var created StoredGrant
		created, err = c.backend.AddGrant(ctx, space, g)
		if err == nil {
			c.added(space.Key, created)
			return nil
		}
		// The POST may have landed even though it failed (a dropped
		// connection, a 5xx after the write, a duplicate): look before
		// trying again.
		c.grants.Invalidate(space.Key)
		grants, rerr := c.storedGrants(ctx, space)
		if rerr != nil {
			break
		}
		if _, ok := find(grants, g); ok {
			return nil
		}
		if !retryableWrite(err) {
			break
		}
	}
	return c.explain(ctx, writingGrants, "granting "+g.Operation.String()+" to "+c.describe(g.Principal), space.Key, g, err)
}

// retryableWrite reports failures after which the write may be tried again:
// transport errors and server errors, not Confluence's refusals.
func retryableWrite(err error) bool {
	e, ok := asError(err)
	if !ok {
		return true
	}
	return e.StatusCode >= 500 || e.StatusCode == 429
}
