// Package names looks up in Confluence the display names of the principals
// a drift report names and the plan's data sources did not: people read
// "Bob Nguyen", not "user:5b10a2844c20165700ede21f". Lookups are optional
// (a report without credentials shows ids), cached for the process, and
// batched where the API allows: Cloud users 250 a request.
package names

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
	"github.com/spacekeeper/terraform-provider-confluence/internal/parallel"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// BulkUsers is a backend that looks many users up in one request: the
// Cloud backend, with POST /wiki/api/v2/users-bulk
// (internal/confluence/cloud/users_bulk.go). Backends without it are asked
// one user at a time.
type BulkUsers interface {
	UsersBulk(ctx context.Context, accountIDs []string) ([]confluence.User, error)
}

// lookups bounds the lookups in flight where each principal costs a
// request (Cloud groups, Data Center users): enough to hide latency,
// few enough not to trip a site's rate limit.
const lookups = 4

// Resolver looks principals up through one client and remembers what it
// found, including what it did not find.
type Resolver struct {
	client *confluence.Client
	bulk   BulkUsers

	mu    sync.Mutex
	known map[drift.Principal]answer
}

type answer struct {
	name  string
	found bool
}

// New returns a resolver on the client.
func New(c *confluence.Client) *Resolver {
	r := &Resolver{client: c, known: map[drift.Principal]answer{}}
	r.bulk, _ = c.Backend().(BulkUsers)
	return r
}

// Result is what Fill found out beyond the names.
type Result struct {
	// Missing are principals Confluence does not know: removed people and
	// groups, or ids of another site. They are worth a note in the report.
	Missing []drift.Principal
	// Failed says why some lookups could not be made (network, rights);
	// their principals keep their ids.
	Failed []string
}

// Fill adds to the report's names those of its principals it does not name
// yet. It never fails: what it cannot look up keeps its id.
func (r *Resolver) Fill(ctx context.Context, report *drift.Report) Result {
	var users, groups []drift.Principal
	for _, p := range report.Principals() {
		if report.Name(p) != "" {
			continue
		}
		switch p.Type {
		case "user":
			users = append(users, p)
		case "group":
			// On Data Center a group's id is its name already.
			if r.client.Deployment() == permissions.Cloud {
				groups = append(groups, p)
			}
		}
	}
	var res Result
	if r.bulk != nil {
		res.add(r.bulkUsers(ctx, users))
	} else {
		res.add(r.each(ctx, users, r.user))
	}
	res.add(r.each(ctx, groups, r.group))

	if report.Names == nil {
		report.Names = map[string]string{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range slices.Concat(users, groups) {
		a, ok := r.known[p]
		switch {
		case !ok:
		case a.found:
			report.Names[p.Key()] = a.name
		default:
			res.Missing = append(res.Missing, p)
		}
	}
	sort.Strings(res.Failed)
	return res
}

func (res *Result) add(failed []string) { res.Failed = append(res.Failed, failed...) }

func (r *Resolver) remember(p drift.Principal, a answer) {
	r.mu.Lock()
	r.known[p] = a
	r.mu.Unlock()
}

func (r *Resolver) unknown(ps []drift.Principal) []drift.Principal {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []drift.Principal
	for _, p := range ps {
		if _, ok := r.known[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// bulkUsers asks for every user not known yet in as few requests as the
// backend allows. Users the answer leaves out do not exist (or the account
// cannot see them).
func (r *Resolver) bulkUsers(ctx context.Context, users []drift.Principal) []string {
	users = r.unknown(users)
	if len(users) == 0 {
		return nil
	}
	ids := make([]string, len(users))
	for i, p := range users {
		ids[i] = p.ID
	}
	found, err := r.bulk.UsersBulk(ctx, ids)
	if err != nil {
		return []string{fmt.Sprintf("looking up %d users: %v", len(users), err)}
	}
	byID := map[string]confluence.User{}
	for _, u := range found {
		byID[u.ID] = u
	}
	for _, p := range users {
		u, ok := byID[p.ID]
		r.remember(p, answer{name: userName(u), found: ok})
	}
	return nil
}

// each looks principals up one request each, a few at a time.
func (r *Resolver) each(ctx context.Context, ps []drift.Principal, lookup func(context.Context, drift.Principal) (string, error)) []string {
	ps = r.unknown(ps)
	var (
		mu     sync.Mutex
		failed []string
	)
	parallel.Do(lookups, len(ps), func(k int) bool {
		p := ps[k]
		name, err := lookup(ctx, p)
		switch {
		case err == nil:
			r.remember(p, answer{name: name, found: true})
		case confluence.IsNotFound(err):
			r.remember(p, answer{})
		default:
			mu.Lock()
			failed = append(failed, fmt.Sprintf("looking up %s: %v", p.Key(), err))
			mu.Unlock()
		}
		return true
	})
	return failed
}

func (r *Resolver) user(ctx context.Context, p drift.Principal) (string, error) {
	u, err := r.client.User(ctx, p.ID)
	return userName(u), err
}

func (r *Resolver) group(ctx context.Context, p drift.Principal) (string, error) {
	g, err := r.client.Group(ctx, p.ID)
	return g.Name, err
}

// userName is what a report calls a user: deactivated accounts say so,
// since a grant to one is usually left over.
func userName(u confluence.User) string {
	name := strings.TrimSpace(u.DisplayName)
	if name == "" {
		name = u.Username
	}
	if name != "" && !u.Active {
		name += " (deactivated)"
	}
	return name
}
