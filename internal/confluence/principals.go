package confluence

import (
	"context"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// On Cloud a principal is written in configuration exactly as grants carry
// it. On Data Center a user is written by username but grants carry the
// immutable userKey, and group names are case-insensitive. principalCache
// remembers both directions for the life of the process, so that each
// principal is looked up at most once, and not at all when Terraform
// restores the pairing from its private state.
type principalCache struct {
	mu         sync.Mutex
	byConfig   map[permissions.Principal]permissions.Principal
	byResolved map[permissions.Principal]permissions.Principal
}

// configured → resolved
func (pc *principalCache) resolved(p permissions.Principal) (permissions.Principal, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	v, ok := pc.byConfig[p]
	return v, ok
}

// resolved → configured
func (pc *principalCache) configured(p permissions.Principal) (permissions.Principal, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	v, ok := pc.byResolved[p]
	return v, ok
}

func (pc *principalCache) remember(configured, resolved permissions.Principal) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.byConfig == nil {
		pc.byConfig = map[permissions.Principal]permissions.Principal{}
		pc.byResolved = map[permissions.Principal]permissions.Principal{}
	}
	pc.byConfig[configured] = resolved
	pc.byResolved[resolved] = configured
}

// ResolvePrincipal turns a principal as configured into the principal as
// grants carry it (the identity on Cloud). A user or group that does not
// exist gives an error satisfying IsNotFound.
func (c *Client) ResolvePrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	r, ok := c.backend.(PrincipalResolver)
	if !ok || p.Type == permissions.Anonymous || !p.Type.Managed() {
		return p, nil
	}
	if v, ok := c.principals.resolved(p); ok {
		return v, nil
	}
	resolved, err := r.ResolvePrincipal(ctx, p)
	if err != nil {
		return p, err
	}
	c.principals.remember(p, resolved)
	return resolved, nil
}

// ConfiguredPrincipal turns a principal as grants carry it back into the
// way configuration writes it (userKey to username on Data Center).
func (c *Client) ConfiguredPrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	n, ok := c.backend.(PrincipalNamer)
	if !ok || p.Type == permissions.Anonymous || !p.Type.Managed() {
		return p, nil
	}
	if v, ok := c.principals.configured(p); ok {
		return v, nil
	}
	configured, err := n.ConfiguredPrincipal(ctx, p)
	if err != nil {
		return p, err
	}
	c.principals.remember(configured, p)
	return configured, nil
}

// RememberPrincipal records a pairing learnt earlier (Terraform keeps it in
// the resource's private state), saving a lookup.
func (c *Client) RememberPrincipal(configured, resolved permissions.Principal) {
	if configured.Type == resolved.Type && configured.Type.Managed() {
		c.principals.remember(configured, resolved)
	}
}

// describe names a principal as grants carry it the way the user wrote it,
// when that is known (a Data Center userKey means little to people).
func (c *Client) describe(p permissions.Principal) string {
	if configured, ok := c.principals.configured(p); ok {
		return configured.String()
	}
	return p.String()
}

// ResolvePrincipals resolves many principals, several at a time (on Data
// Center each unknown user costs a lookup). It returns the first error.
func (c *Client) ResolvePrincipals(ctx context.Context, ps []permissions.Principal) (map[permissions.Principal]permissions.Principal, error) {
	out := make(map[permissions.Principal]permissions.Principal, len(ps))
	var (
		mu       sync.Mutex
		firstErr error
	)
	inParallel(c.writers, len(ps), func(k int) bool {
		resolved, err := c.ResolvePrincipal(ctx, ps[k])
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

// PrincipalError is a principal that could not be resolved.
type PrincipalError struct {
	Principal permissions.Principal
	Err       error
}

func (e *PrincipalError) Error() string { return e.Principal.String() + ": " + e.Err.Error() }
func (e *PrincipalError) Unwrap() error { return e.Err }
