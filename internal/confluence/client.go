package confluence

import (
	"context"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cache"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Client is what the provider talks to: one per provider process. It takes
// and returns principals as configuration writes them (see identities.go),
// and every error it returns is explained (an *ActionError).
type Client struct {
	backend Backend
	spaces  *spaceDirectory
	// grants holds each space's grants, by space key, as Confluence reported
	// them and as writes through this client changed them since.
	grants cache.Keyed[string, []StoredGrant]

	mu     sync.Mutex
	writes map[string]*spaceWrites // by space key

	roleMode   cache.Value[RoleMode]
	rolesOnce  sync.Once
	roles      *Roles // see Roles
	identities identities
	writers    int // calls one authoritative change makes at once
}

// NewClient wraps a backend.
func NewClient(b Backend) *Client {
	var site SpacePager
	if l, ok := b.(SiteSpaces); ok {
		site = l.SiteSpaces()
	}
	return &Client{
		backend: b,
		spaces:  newSpaceDirectory(b.SpacesByKey, site),
		writes:  map[string]*spaceWrites{},
		writers: defaultWritersPerSpace,
	}
}

// Backend returns the deployment backend, for capabilities beyond grants.
func (c *Client) Backend() Backend { return c.backend }

// Deployment says which Confluence this is.
func (c *Client) Deployment() permissions.Deployment { return c.backend.Deployment() }

// Space resolves a space key. Concurrent lookups are batched into one
// request and answers are remembered for the life of the client. A key no
// visible space has gives an explained error satisfying IsNotFound.
func (c *Client) Space(ctx context.Context, key string) (Space, error) {
	s, err := c.spaces.Confirmed(ctx, key)
	if err != nil {
		return Space{}, c.explain(ctx, reading, "looking up space "+key, "", permissions.Grant{}, err)
	}
	return s, nil
}

// Spaces lists spaces matching the filter and remembers them.
func (c *Client) Spaces(ctx context.Context, f SpaceFilter) ([]Space, error) {
	spaces, err := c.backend.ListSpaces(ctx, f)
	if err != nil {
		return nil, c.explain(ctx, reading, "listing spaces", "", permissions.Grant{}, err)
	}
	c.spaces.Remember(spaces)
	return spaces, nil
}

// User looks a user up by the id a principal carries on this deployment.
func (c *Client) User(ctx context.Context, id string) (User, error) {
	u, err := c.backend.User(ctx, id)
	if err != nil {
		return User{}, c.explainAbout(ctx, reading, "looking up user "+id, subject{lookup: "user"}, err)
	}
	return u, nil
}

// Group looks a group up by the id a principal carries.
func (c *Client) Group(ctx context.Context, id string) (Group, error) {
	g, err := c.backend.Group(ctx, id)
	if err != nil {
		return Group{}, c.explainAbout(ctx, reading, "looking up group "+id, subject{lookup: "group"}, err)
	}
	return g, nil
}

// GroupByName finds a group by its exact name.
func (c *Client) GroupByName(ctx context.Context, name string) (Group, error) {
	g, err := c.backend.GroupByName(ctx, name)
	if err != nil {
		return Group{}, c.explainAbout(ctx, reading, "looking up group "+name, subject{lookup: "group"}, err)
	}
	return g, nil
}

// RoleMode reads the site's space permission model once per process. ok is
// false on deployments without space roles.
func (c *Client) RoleMode(ctx context.Context) (mode RoleMode, ok bool, err error) {
	r, ok := c.backend.(RoleModeReader)
	if !ok {
		return "", false, nil
	}
	mode, err = c.roleMode.Get(ctx, r.RoleMode)
	if err != nil {
		return "", true, c.explain(ctx, reading, "reading the site's space role mode", "", permissions.Grant{}, err)
	}
	return mode, true, nil
}
