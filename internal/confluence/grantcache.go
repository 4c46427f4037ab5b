package confluence

import (
	"context"
	"sync"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// spaceGrants holds what the provider process knows about one space's
// grants. Reads share one fetch (concurrent callers wait for the same
// in-flight request), and writes keep the cached list in step with what
// Confluence confirmed, so that a thousand resources in one space cost one
// read, not a thousand.
//
// Writes coordinate through rw. Single additions, and removals that cannot
// take administer/space away, hold it shared and run side by side, ordered
// per principal by lockPrincipal (read/space must be granted before
// anything else of the same principal). Authoritative changes, and removals
// the last-admin guard must judge, hold it exclusively.
type spaceGrants struct {
	rw sync.RWMutex

	mu      sync.Mutex
	loaded  bool
	grants  []Grant
	gen     int         // bumped by invalidate, so a stale fetch is not stored
	loading *grantFetch // non-nil while a fetch is in flight
	byWho   map[permissions.Principal]*sync.Mutex
}

// grantFetch is one fetch in flight. err is set before done is closed and
// never changes after, so every waiter of the fetch sees its own outcome.
type grantFetch struct {
	done chan struct{}
	err  error
}

// lockPrincipal serialises writes for one principal; call the result to
// unlock.
func (s *spaceGrants) lockPrincipal(p permissions.Principal) (unlock func()) {
	s.mu.Lock()
	if s.byWho == nil {
		s.byWho = map[permissions.Principal]*sync.Mutex{}
	}
	m, ok := s.byWho[p]
	if !ok {
		m = &sync.Mutex{}
		s.byWho[p] = m
	}
	s.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// get returns the cached grants, fetching them once if needed. A caller
// that only waited for another's fetch, and saw it fail, tries once more
// (sharing that attempt with the other waiters) before it fails: one fetch
// that ran out of retries should not fail every resource of the space.
func (s *spaceGrants) get(ctx context.Context, fetch func(context.Context) ([]Grant, error)) ([]Grant, error) {
	waitedOnFailure := false
	for {
		s.mu.Lock()
		if s.loaded {
			out := append([]Grant(nil), s.grants...)
			s.mu.Unlock()
			return out, nil
		}
		if f := s.loading; f != nil {
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if f.err != nil {
				if waitedOnFailure {
					return nil, f.err
				}
				waitedOnFailure = true
			}
			continue
		}
		f := &grantFetch{done: make(chan struct{})}
		s.loading = f
		gen := s.gen
		s.mu.Unlock()

		grants, err := fetch(ctx)

		s.mu.Lock()
		s.loading = nil
		if ctx.Err() == nil {
			// A fetch that failed because this caller gave up, not because
			// Confluence did, fails none of its waiters: they fetch again.
			f.err = err
		}
		stale := gen != s.gen
		if err == nil && !stale {
			s.grants, s.loaded = grants, true
		}
		s.mu.Unlock()
		close(f.done)
		if err != nil {
			return nil, err
		}
		if stale {
			continue // invalidated while fetching: fetch again
		}
		return append([]Grant(nil), grants...), nil
	}
}

// invalidate forgets the cached grants; the next get fetches them again.
func (s *spaceGrants) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaded, s.grants = false, nil
	s.gen++
}

// added records a grant Confluence confirmed.
func (s *spaceGrants) added(g Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded {
		s.grants = append(s.grants, g)
	}
}

// removed records a removal Confluence confirmed. With cascade, removing
// read/space took every other grant of the principal with it.
func (s *spaceGrants) removed(g permissions.Grant, cascade bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		return
	}
	all := cascade && g.Operation == permissions.ReadSpace
	kept := s.grants[:0:0]
	for _, have := range s.grants {
		if have.Principal == g.Principal && (all || have.Operation == g.Operation) {
			continue
		}
		kept = append(kept, have)
	}
	s.grants = kept
}

// find returns the stored grant matching g.
func find(grants []Grant, g permissions.Grant) (Grant, bool) {
	for _, have := range grants {
		if have.Principal == g.Principal && have.Operation == g.Operation {
			return have, true
		}
	}
	return Grant{}, false
}

// GroupGrants turns a flat list into operations per principal.
func GroupGrants(grants []Grant) permissions.Grants {
	out := permissions.Grants{}
	for _, g := range grants {
		if out[g.Principal] == nil {
			out[g.Principal] = permissions.OperationSet{}
		}
		out[g.Principal][g.Operation] = struct{}{}
	}
	return out
}
