package confluence

import (
	"context"
	"slices"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The grants of a space are read once per provider process and shared:
// concurrent callers wait for the same read, and writes keep the cached
// list in step with what Confluence confirmed, so that a thousand resources
// in one space cost one read, not a thousand.

// Grants returns every grant of a space as Confluence stores it (principals
// by their stored ids). The first caller reads them; everyone else in this
// process shares that answer, which writes through this client keep current.
func (c *Client) Grants(ctx context.Context, spaceKey string) ([]StoredGrant, error) {
	space, err := c.spaces.Lookup(ctx, spaceKey)
	if err == nil {
		var grants []StoredGrant
		if grants, err = c.storedGrants(ctx, space); err == nil {
			return grants, nil
		}
	}
	return nil, c.explain(ctx, reading, "reading the permissions of space "+spaceKey, spaceKey, permissions.Grant{}, err)
}

// storedGrants returns a copy of the space's cached grants, reading them
// when needed (see readAt for a space not found at its id).
func (c *Client) storedGrants(ctx context.Context, space Space) ([]StoredGrant, error) {
	grants, err := readAt(ctx, c.spaces, space, func(ctx context.Context, space Space) ([]StoredGrant, error) {
		return c.grants.Get(ctx, space.Key, func(ctx context.Context) ([]StoredGrant, error) {
			return c.backend.SpaceGrants(ctx, space)
		})
	})
	return slices.Clone(grants), err
}

// HasGrant reports whether the grant exists, its principal as configured.
// A space, user or group that no longer exists holds no grant.
func (c *Client) HasGrant(ctx context.Context, spaceKey string, g permissions.Grant, ids IdentityStore) (bool, error) {
	c.restore(ids)
	defer c.keep(ids, spaceKey, g.Principal)
	ops, found, err := c.principalOperations(ctx, spaceKey, g.Principal)
	if err != nil {
		return false, c.explain(ctx, reading, "reading the permissions of space "+spaceKey, spaceKey, g, err)
	}
	_, has := ops[g.Operation]
	return found && has, nil
}

// PrincipalOperations returns the operations a principal, as configured,
// holds in a space. found is false when the space does not exist; a user or
// group that no longer exists holds nothing.
func (c *Client) PrincipalOperations(ctx context.Context, spaceKey string, p permissions.Principal, ids IdentityStore) (permissions.OperationSet, bool, error) {
	c.restore(ids)
	defer c.keep(ids, spaceKey, p)
	ops, found, err := c.principalOperations(ctx, spaceKey, p)
	if err != nil {
		return nil, false, c.explain(ctx, reading, "reading the permissions of "+p.String()+" in space "+spaceKey, spaceKey, permissions.Grant{Principal: p}, err)
	}
	return ops, found, nil
}

func (c *Client) principalOperations(ctx context.Context, spaceKey string, p permissions.Principal) (permissions.OperationSet, bool, error) {
	space, err := c.spaces.Lookup(ctx, spaceKey)
	if IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	resolved, err := c.resolve(ctx, p)
	if IsNotFound(err) {
		return permissions.OperationSet{}, true, nil // the user is gone, and so are their grants
	}
	if err != nil {
		return nil, false, err
	}
	grants, err := c.storedGrants(ctx, space)
	if IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	ops := GroupGrants(grants)[resolved]
	if ops == nil {
		ops = permissions.OperationSet{}
	}
	return ops, true, nil
}

// SpaceGrants returns the grants of a space with principals as
// configuration writes them, split into those the provider manages and the
// others (Cloud "role" rows). found is false when the space does not exist.
func (c *Client) SpaceGrants(ctx context.Context, spaceKey string, ids IdentityStore) (managed, unmanaged permissions.Grants, found bool, err error) {
	c.restore(ids)
	managed, unmanaged, found, err = c.spaceGrants(ctx, spaceKey)
	if err != nil {
		return nil, nil, false, c.explain(ctx, reading, "reading the permissions of space "+spaceKey, spaceKey, permissions.Grant{}, err)
	}
	c.keep(ids, spaceKey, managed.Principals()...)
	return managed, unmanaged, found, nil
}

func (c *Client) spaceGrants(ctx context.Context, spaceKey string) (managed, unmanaged permissions.Grants, found bool, err error) {
	space, err := c.spaces.Lookup(ctx, spaceKey)
	if IsNotFound(err) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	grants, err := c.storedGrants(ctx, space)
	if IsNotFound(err) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	managed, unmanaged = permissions.Grants{}, permissions.Grants{}
	for p, ops := range GroupGrants(grants) {
		if !p.Type.Managed() {
			unmanaged[p] = ops
			continue
		}
		configured, err := c.configuredAs(ctx, p)
		if err != nil {
			return nil, nil, false, err
		}
		managed[configured] = ops
	}
	return managed, unmanaged, true, nil
}

// added records a grant Confluence confirmed.
func (c *Client) added(spaceKey string, g StoredGrant) {
	c.grants.Update(spaceKey, func(grants []StoredGrant) []StoredGrant {
		return append(slices.Clip(grants), g)
	})
}

// removed records a removal Confluence confirmed. With cascade, removing
// read/space took every other grant of the principal with it.
func (c *Client) removed(spaceKey string, g permissions.Grant, cascade bool) {
	all := cascade && g.Operation == permissions.ReadSpace
	c.grants.Update(spaceKey, func(grants []StoredGrant) []StoredGrant {
		return slices.DeleteFunc(slices.Clone(grants), func(have StoredGrant) bool {
			return have.Principal == g.Principal && (all || have.Operation == g.Operation)
		})
	})
}

// find returns the stored grant matching g.
func find(grants []StoredGrant, g permissions.Grant) (StoredGrant, bool) {
	for _, have := range grants {
		if have.Principal == g.Principal && have.Operation == g.Operation {
			return have, true
		}
	}
	return StoredGrant{}, false
}

// GroupGrants turns a flat list into operations per principal.
func GroupGrants(grants []StoredGrant) permissions.Grants {
	out := permissions.Grants{}
	for _, g := range grants {
		out.Add(g.Principal, g.Operation)
	}
	return out
}

// spaceWrites coordinates the writes to one space. Single additions, and
// removals that cannot take administer/space away, hold rw shared and run
// side by side, ordered per principal by lockPrincipal (read/space must be
// granted before anything else of the same principal). Authoritative
// changes, and removals the last-admin guard must judge, hold it
// exclusively.
type spaceWrites struct {
	rw sync.RWMutex

	mu    sync.Mutex
	byWho map[permissions.Principal]*sync.Mutex
}

func (c *Client) spaceWrites(spaceKey string) *spaceWrites {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.writes[spaceKey]
	if !ok {
		w = &spaceWrites{}
		c.writes[spaceKey] = w
	}
	return w
}

// lockPrincipal serialises writes for one principal; call the result to
// unlock.
func (w *spaceWrites) lockPrincipal(p permissions.Principal) (unlock func()) {
	w.mu.Lock()
	if w.byWho == nil {
		w.byWho = map[permissions.Principal]*sync.Mutex{}
	}
	m, ok := w.byWho[p]
	if !ok {
		m = &sync.Mutex{}
		w.byWho[p] = m
	}
	w.mu.Unlock()
	m.Lock()
	return m.Unlock
}
