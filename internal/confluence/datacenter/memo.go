package datacenter

import (
	"context"
	"sync"
)

// memo remembers successful lookups for the life of the process and lets
// concurrent callers asking for the same key share one request: Terraform
// refreshes many resources of the same user at once, and each of them would
// otherwise look the user up. Failures are not remembered, so a user created
// after a failed lookup is found by the next one.
type memo[V any] struct {
	mu       sync.Mutex
	known    map[string]V
	inflight map[string]*lookup[V]
}

// lookup is one request in flight; done is closed when it ends.
type lookup[V any] struct {
	done  chan struct{}
	value V
	err   error
	// abandoned: the request failed because its caller gave up, which says
	// nothing about the key; waiters whose context is alive ask again.
	abandoned bool
}

// get returns the remembered value of key, or fetches it once.
func (m *memo[V]) get(ctx context.Context, key string, fetch func(context.Context) (V, error)) (V, error) {
	for {
		m.mu.Lock()
		if v, ok := m.known[key]; ok {
			m.mu.Unlock()
			return v, nil
		}
		if l, ok := m.inflight[key]; ok {
			m.mu.Unlock()
			select {
			case <-l.done:
			case <-ctx.Done():
				var zero V
				return zero, ctx.Err()
			}
			if l.abandoned {
				continue
			}
			return l.value, l.err
		}
		l := &lookup[V]{done: make(chan struct{})}
		if m.inflight == nil {
			m.inflight = map[string]*lookup[V]{}
		}
		m.inflight[key] = l
		m.mu.Unlock()

		l.value, l.err = fetch(ctx)
		l.abandoned = l.err != nil && ctx.Err() != nil

		m.mu.Lock()
		delete(m.inflight, key)
		if l.err == nil {
			m.putLocked(key, l.value)
		}
		m.mu.Unlock()
		close(l.done)
		return l.value, l.err
	}
}

// peek returns the remembered value of key without fetching it.
func (m *memo[V]) peek(key string) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.known[key]
	return v, ok
}

// put remembers a value learnt elsewhere.
func (m *memo[V]) put(key string, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(key, v)
}

func (m *memo[V]) putLocked(key string, v V) {
	if m.known == nil {
		m.known = map[string]V{}
	}
	m.known[key] = v
}
