package confluence

import (
	"context"
	"fmt"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// RemoveGrant makes sure one grant, its principal as configured, does not
// exist. On Cloud, removing read/space also removes the principal's other
// grants in the space; the outcome's notes list them.
func (c *Client) RemoveGrant(ctx context.Context, spaceKey string, g permissions.Grant, ids IdentityStore) (Outcome, error) {
	c.restore(ids)
	defer c.keep(ids, spaceKey, g.Principal)
	action := "removing " + g.Operation.String() + " from " + g.Principal.String()
	space, err := c.spaces.Lookup(ctx, spaceKey)
	if IsNotFound(err) {
		return Outcome{AlreadyGone: true}, nil // the space is gone, and its grants with it
	}
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, action, spaceKey, g, err)
	}
	stored, err := c.resolve(ctx, g.Principal)
	if IsNotFound(err) {
		return Outcome{AlreadyGone: true}, nil // the user is gone, and so are their grants
	}
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, action, spaceKey, g, err)
	}
	g.Principal = stored
	w := c.spaceWrites(space.Key)
	if c.mayRemoveAdmin(g) {
		// The last-admin guard needs the whole space to hold still.
		w.rw.Lock()
		defer w.rw.Unlock()
	} else {
		w.rw.RLock()
		defer w.rw.RUnlock()
		defer w.lockPrincipal(g.Principal)()
	}
	return c.remove(ctx, space, g)
}

// mayRemoveAdmin reports whether removing g can take administer/space away.
func (c *Client) mayRemoveAdmin(g permissions.Grant) bool {
	return g.Operation == permissions.AdministerSpace ||
		g.Operation == permissions.ReadSpace && c.backend.RemovingReadCascades()
}

// remove removes one grant, principal as stored, under the space's locks.
func (c *Client) remove(ctx context.Context, space Space, g permissions.Grant) (Outcome, error) {
	var out Outcome
	action := "removing " + g.Operation.String() + " from " + c.describe(g.Principal)
	grants, err := c.storedGrants(ctx, space)
	if IsNotFound(err) {
		out.AlreadyGone = true
		return out, nil
	}
	if err != nil {
		return out, c.explain(ctx, writingGrants, action, space.Key, g, err)
	}
	have, ok := find(grants, g)
	if !ok {
		out.AlreadyGone = true
		return out, nil
	}
	cascade := c.backend.RemovingReadCascades() && g.Operation == permissions.ReadSpace
	if err := c.guardAdmin(space.Key, GroupGrants(grants), []permissions.Change{{Kind: permissions.Remove, Grant: g}}); err != nil {
		return out, err
	}
	err = c.backend.RemoveGrant(ctx, space, have)
	if IsNotFound(err) {
		err = c.confirmRemoved(ctx, space, have, err)
	}
	if err != nil {
		c.grants.Invalidate(space.Key)
		// No note: what the failed call removed, if anything, is unknown.
		return out, c.explain(ctx, writingGrants, action, space.Key, g, err)
	}
	if cascade {
		if others := otherOperations(grants, g); len(others) > 0 {
			out.Notes = append(out.Notes, Note{
				Summary: "Other grants were removed with " + permissions.ReadSpace.String(),
				Detail: fmt.Sprintf("Removing %s from %s in space %s also removed its other grants there (%s): %s removes them together with View.",
					permissions.ReadSpace, c.describe(g.Principal), space.Key, joinOperations(others), c.Deployment().Title()),
			})
		}
	}
	c.removed(space.Key, g, cascade)
	return out, nil
}

// confirmRemoved decides what a 404 to a removal means by reading the space
// again: the grant is gone (removed meanwhile, or with its principal's
// read/space), or it is still there and the removal addressed it wrongly.
// Reporting success on a 404 alone could leave, say, public access in place
// while Terraform records it removed.
func (c *Client) confirmRemoved(ctx context.Context, space Space, have StoredGrant, notFound error) error {
	c.grants.Invalidate(space.Key)
	grants, err := c.storedGrants(ctx, space)
	switch {
	case IsNotFound(err):
		return nil // the space is gone, and its grants with it
	case err != nil:
		return fmt.Errorf("%w; reading the space again to see whether the grant is gone failed too: %w", notFound, err)
	}
	if still, ok := find(grants, have.Domain()); ok {
		return &NotRemovedError{Grant: still, Err: notFound}
	}
	return nil
}

func otherOperations(grants []StoredGrant, g permissions.Grant) []permissions.Operation {
	var ops []permissions.Operation
	for _, have := range grants {
		if have.Principal == g.Principal && have.Operation != g.Operation {
			ops = append(ops, have.Operation)
		}
	}
	permissions.SortOperations(ops)
	return ops
}
