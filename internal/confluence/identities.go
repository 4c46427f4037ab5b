package confluence

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/parallel"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// On Cloud a principal is written in configuration exactly as grants carry
// it. On Data Center a user is written by username but grants carry the
// immutable userKey, and group names are case-insensitive. The client takes
// and returns principals as configuration writes them and translates them
// itself: each principal is looked up at most once per process, and not at
// all when a resource hands back what the client kept for it last time.

// IdentityStore keeps, between runs, how Confluence stores what a resource
// names: Terraform's private state, in the provider. A renamed Data Center
// user is then still recognised by its user key, and a read needs no
// lookups, of principals or of its space. The client reads it at the start
// of a call and replaces what it holds at the end; a nil IdentityStore
// keeps nothing.
type IdentityStore interface {
	// Identities returns what was kept, nil when nothing was.
	Identities() []byte
	// KeepIdentities replaces what is kept; nil keeps nothing.
	KeepIdentities(data []byte)
}

// keptIdentities is what an IdentityStore holds, as JSON. Earlier versions
// kept the principal pairs alone, as a JSON array; restore reads both.
type keptIdentities struct {
	Principals []identityPair `json:"principals,omitempty"`
	Spaces     []keptSpace    `json:"spaces,omitempty"`
}

// identityPair is one principal as configured and as grants carry it.
type identityPair struct {
	Type       string `json:"type"`
	Configured string `json:"configured"`
	Resolved   string `json:"resolved"`
}

// keptSpace is a space key and the id Confluence gave the space.
type keptSpace struct {
	Key string `json:"key"`
	ID  string `json:"id"`
}

// identities is the process's knowledge of principals, in both directions.
type identities struct {
	mu         sync.Mutex
	byConfig   map[permissions.Principal]permissions.Principal
	byResolved map[permissions.Principal]permissions.Principal
}

func (ids *identities) resolved(p permissions.Principal) (permissions.Principal, bool) {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	v, ok := ids.byConfig[p]
	return v, ok
}

func (ids *identities) configured(p permissions.Principal) (permissions.Principal, bool) {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	v, ok := ids.byResolved[p]
	return v, ok
}

func (ids *identities) remember(configured, resolved permissions.Principal) {
	if configured.Type != resolved.Type || !configured.Type.Managed() {
		return
	}
	ids.mu.Lock()
	defer ids.mu.Unlock()
	if ids.byConfig == nil {
		ids.byConfig = map[permissions.Principal]permissions.Principal{}
		ids.byResolved = map[permissions.Principal]permissions.Principal{}
	}
	ids.byConfig[configured] = resolved
	ids.byResolved[resolved] = configured
}

// restore takes in what a store kept. An unreadable record only costs
// lookups.
func (c *Client) restore(store IdentityStore) {
	if store == nil {
		return
	}
	data := store.Identities()
	if len(data) == 0 {
		return
	}
	var kept keptIdentities
	if data[0] == '[' {
		if json.Unmarshal(data, &kept.Principals) != nil {
			return
		}
	} else if json.Unmarshal(data, &kept) != nil {
		return
	}
	for _, pair := range kept.Principals {
		t := permissions.PrincipalType(pair.Type)
		c.identities.remember(permissions.Principal{Type: t, ID: pair.Configured}, permissions.Principal{Type: t, ID: pair.Resolved})
	}
	if c.keepsSpaceIDs() {
		for _, s := range kept.Spaces {
			c.spaces.Hint(s.Key, s.ID)
		}
	}
}

// keep records the space's id and, for the principals given as
// configured, how they resolved; principals that resolve to themselves (all
// of them on Cloud) need no record.
func (c *Client) keep(store IdentityStore, spaceKey string, configured ...permissions.Principal) {
	if store == nil {
		return
	}
	var kept keptIdentities
	for _, p := range configured {
		if r, ok := c.identities.resolved(p); ok && r != p {
			kept.Principals = append(kept.Principals, identityPair{Type: string(p.Type), Configured: p.ID, Resolved: r.ID})
		}
	}
	if s, ok := c.spaces.Known(spaceKey); ok && s.ID != "" && c.keepsSpaceIDs() {
		kept.Spaces = []keptSpace{{Key: s.Key, ID: s.ID}}
	}
	if len(kept.Principals) == 0 && len(kept.Spaces) == 0 {
		store.KeepIdentities(nil)
		return
	}
	data, err := json.Marshal(kept)
	if err != nil {
		return
	}
	store.KeepIdentities(data)
}

// keepsSpaceIDs: only Cloud reads spaces by id, and only there does a kept
// id save a lookup that is needed anyway. Data Center addresses spaces by
// key; a kept id would stand in for the existence check its lookup is, but
// what the remote API answers for a space that is gone is not on record, so
// a stale hint there could not be told from a failure.
func (c *Client) keepsSpaceIDs() bool {
	return c.backend.Deployment() == permissions.Cloud
}

// resolve turns a principal as configured into the principal as grants
// carry it. A user or group that does not exist gives an error satisfying
// IsNotFound.
func (c *Client) resolve(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	r, ok := c.backend.(PrincipalResolver)
	if !ok || p.Type == permissions.Anonymous || !p.Type.Managed() {
		return p, nil
	}
	if v, ok := c.identities.resolved(p); ok {
		return v, nil
	}
	resolved, err := r.ResolvePrincipal(ctx, p)
	if err != nil {
		return p, err
	}
	c.identities.remember(p, resolved)
	return resolved, nil
}

// resolveAll resolves many principals, several at a time (on Data Center
// each unknown user costs a lookup), and returns the first error.
func (c *Client) resolveAll(ctx context.Context, ps []permissions.Principal) (map[permissions.Principal]permissions.Principal, error) {
	out := make(map[permissions.Principal]permissions.Principal, len(ps))
	var (
		mu       sync.Mutex
		firstErr error
	)
	parallel.Do(c.writers, len(ps), func(k int) bool {
		resolved, err := c.resolve(ctx, ps[k])
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstErr == nil {
				firstErr = &PrincipalError{Principal: ps[k], Err: err}
			}
			return false
		}
		out[ps[k]] = resolved
		return true
	})
	return out, firstErr
}

// configuredAs turns a principal as grants carry it back into the way
// configuration writes it (a userKey into a username on Data Center). A
// user that no longer exists keeps the stored id: its grants remain.
func (c *Client) configuredAs(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	n, ok := c.backend.(PrincipalNamer)
	if !ok || p.Type == permissions.Anonymous || !p.Type.Managed() {
		return p, nil
	}
	if v, ok := c.identities.configured(p); ok {
		return v, nil
	}
	configured, err := n.ConfiguredPrincipal(ctx, p)
	if IsNotFound(err) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	c.identities.remember(configured, p)
	return configured, nil
}

// describe names a principal as grants carry it the way the user wrote it,
// when that is known (a Data Center userKey means little to people).
func (c *Client) describe(p permissions.Principal) string {
	if configured, ok := c.identities.configured(p); ok {
		return configured.String()
	}
	return p.String()
}

// PrincipalError is a principal that could not be resolved.
type PrincipalError struct {
	Principal permissions.Principal
	Err       error
}

func (e *PrincipalError) Error() string { return e.Principal.String() + ": " + e.Err.Error() }
func (e *PrincipalError) Unwrap() error { return e.Err }
