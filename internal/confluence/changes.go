package confluence

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/parallel"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// IncompleteChangeError reports a sequence of changes that stopped part
// way. Done changes are in Confluence; the rest are not. Callers re-read the
// space so that Terraform state records exactly what exists.
type IncompleteChangeError struct {
	SpaceKey string
	Done     []permissions.Change
	NotDone  []permissions.Change
	Err      error
	// describe names principals for people; nil uses Principal.String.
	describe func(permissions.Principal) string
}

func (e *IncompleteChangeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n\nIn space %s, %d of %d changes were applied before this failure",
		e.Err, e.SpaceKey, len(e.Done), len(e.Done)+len(e.NotDone))
	if len(e.Done) > 0 {
		fmt.Fprintf(&b, "\napplied: %s", e.joinChanges(e.Done))
	}
	if len(e.NotDone) > 0 {
		fmt.Fprintf(&b, "\nnot applied: %s", e.joinChanges(e.NotDone))
	}
	b.WriteString("\nTerraform state records what Confluence now holds; fix the cause and apply again to make the remaining changes.")
	return b.String()
}

func (e *IncompleteChangeError) Unwrap() error { return e.Err }

func (e *IncompleteChangeError) joinChanges(cs []permissions.Change) string {
	describe := e.describe
	if describe == nil {
		describe = permissions.Principal.String
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %s for %s", c.Kind, c.Grant.Operation, describe(c.Grant.Principal))
	}
	return strings.Join(parts, "; ")
}

// SetPrincipal makes one principal's grants in a space, principal as
// configured, exactly the desired operations: read/space is added first and
// removed last.
func (c *Client) SetPrincipal(ctx context.Context, spaceKey string, p permissions.Principal, desired permissions.OperationSet, ids IdentityStore) (Outcome, error) {
	c.restore(ids)
	defer c.keep(ids, spaceKey, p)
	stored, err := c.resolve(ctx, p)
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, "setting the permissions of "+p.String(), spaceKey, permissions.Grant{Principal: p}, err)
	}
	return c.changeSpace(ctx, spaceKey, func(current permissions.Grants) []permissions.Change {
		return permissions.PlanPrincipal(stored, current[stored], desired)
	})
}

// SetSpace makes the grants of every principal the provider can manage in a
// space exactly the desired ones, principals as configured. Principals of
// other types (Cloud "role" rows) are left alone: the provider can neither
// grant nor remove them.
func (c *Client) SetSpace(ctx context.Context, spaceKey string, desired permissions.Grants, ids IdentityStore) (Outcome, error) {
	c.restore(ids)
	defer c.keep(ids, spaceKey, desired.Principals()...)
	resolved, err := c.resolveAll(ctx, desired.Principals())
	if err != nil {
		return Outcome{}, c.explain(ctx, writingGrants, "setting the permissions of space "+spaceKey, spaceKey, permissions.Grant{}, err)
	}
	stored := permissions.Grants{}
	for p, ops := range desired {
		stored[resolved[p]] = ops
	}
	return c.changeSpace(ctx, spaceKey, func(current permissions.Grants) []permissions.Change {
		managed := permissions.Grants{}
		for p, ops := range current {
			if p.Type.Managed() {
				managed[p] = ops
			}
		}
		return permissions.PlanSpace(managed, stored)
	})
}

// changeSpace reads the space's grants, asks plan for the changes and makes
// them in order under the space's write lock.
func (c *Client) changeSpace(ctx context.Context, spaceKey string, plan func(permissions.Grants) []permissions.Change) (Outcome, error) {
	var out Outcome
	action := "setting the permissions of space " + spaceKey
	space, err := c.spaces.Lookup(ctx, spaceKey)
	if err != nil {
		return out, c.explain(ctx, writingGrants, action, spaceKey, permissions.Grant{}, err)
	}
	w := c.spaceWrites(space.Key)
	w.rw.Lock()
	defer w.rw.Unlock()

	grants, err := c.storedGrants(ctx, space)
	if err != nil {
		return out, c.explain(ctx, writingGrants, action, space.Key, permissions.Grant{}, err)
	}
	current := GroupGrants(grants)
	changes := plan(current)
	if len(changes) == 0 {
		return out, nil
	}
	if err := c.guardAdmin(space.Key, current, changes); err != nil {
		return out, c.explain(ctx, writingGrants, action, space.Key, permissions.Grant{}, err)
	}
	if r, ok := c.backend.(PrincipalReplacer); ok {
		return out, c.replace(ctx, r, space, current, changes)
	}
	return out, c.run(ctx, space, changes)
}

// defaultWritersPerSpace bounds the calls one authoritative change makes at
// once. Cloud has no bulk endpoint, so a space of 200 principals costs
// 1,000 calls; made one at a time they take a minute, and made all at once
// they meet Atlassian's rate limits.
const defaultWritersPerSpace = 8

// run makes the changes in order within each principal, and for several
// principals at once: first every addition, then every removal, so that the
// order guarantees of PlanSpace and PlanPrincipal hold. After a failure no
// new call starts; the error lists what was and was not done.
func (c *Client) run(ctx context.Context, space Space, changes []permissions.Change) error {
	done := make([]bool, len(changes))
	var (
		mu       sync.Mutex
		firstErr error
	)
	for _, phase := range []permissions.ChangeKind{permissions.Add, permissions.Remove} {
		byPrincipal := map[permissions.Principal][]int{}
		var order []permissions.Principal
		for i, ch := range changes {
			if ch.Kind != phase {
				continue
			}
			p := ch.Grant.Principal
			if _, seen := byPrincipal[p]; !seen {
				order = append(order, p)
			}
			byPrincipal[p] = append(byPrincipal[p], i)
		}
		parallel.Do(c.writers, len(order), func(k int) bool {
			for _, i := range byPrincipal[order[k]] {
				err := c.change(ctx, space, changes[i])
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				done[i] = err == nil
				failed := firstErr != nil
				mu.Unlock()
				if failed {
					return false
				}
			}
			return true
		})
		if firstErr != nil {
			break
		}
	}
	if firstErr == nil {
		return nil
	}
	ae := &IncompleteChangeError{SpaceKey: space.Key, Err: firstErr, describe: c.describe}
	for i, ch := range changes {
		if done[i] {
			ae.Done = append(ae.Done, ch)
		} else {
			ae.NotDone = append(ae.NotDone, ch)
		}
	}
	return ae
}

func (c *Client) change(ctx context.Context, space Space, ch permissions.Change) error {
	if ch.Kind == permissions.Add {
		return c.add(ctx, space, ch.Grant)
	}
	_, err := c.remove(ctx, space, ch.Grant)
	return err
}

// replace sends the final operations of every principal the changes touch
// in as few calls as the backend allows.
func (c *Client) replace(ctx context.Context, r PrincipalReplacer, space Space, current permissions.Grants, changes []permissions.Change) error {
	final := current.After(changes, false)
	touched := permissions.Grants{}
	for _, ch := range changes {
		p := ch.Grant.Principal
		ops := final[p]
		if ops == nil {
			ops = permissions.OperationSet{}
		}
		touched[p] = ops
	}
	err := r.ReplacePrincipals(ctx, space, touched)
	c.grants.Invalidate(space.Key) // the call does not say what it stored; read it back when next needed
	if err == nil {
		return nil
	}
	// A backend that sends the principals in several calls says which
	// calls went through.
	applied := map[permissions.Principal]bool{}
	var partial PartialReplacement
	if errors.As(err, &partial) {
		for _, p := range partial.AppliedPrincipals() {
			applied[p] = true
		}
	}
	var done, notDone []permissions.Change
	for _, ch := range changes {
		if applied[ch.Grant.Principal] {
			done = append(done, ch)
		} else {
			notDone = append(notDone, ch)
		}
	}
	return &IncompleteChangeError{SpaceKey: space.Key, Done: done, NotDone: notDone, describe: c.describe,
		Err: c.explain(ctx, writingGrants, "replacing the grants of "+fmt.Sprint(len(touched))+" principals", space.Key, permissions.Grant{}, err)}
}

// guardAdmin refuses changes that would take the last administer/space
// grant from a space that has one. Cloud refuses that itself; Data Center
// is not known to, and a space nobody administers can only be repaired by a
// Confluence administrator.
func (c *Client) guardAdmin(spaceKey string, current permissions.Grants, changes []permissions.Change) error {
	if !permissions.HasAdmin(current) {
		return nil // no admin to lose
	}
	final := current.After(changes, c.backend.RemovingReadCascades())
	return permissions.CheckAdminRemains(spaceKey, final)
}
