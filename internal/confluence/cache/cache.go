// Package cache holds what the client reads from Confluence once per
// provider process and shares: a space's grants, the identities of Data
// Center users and groups, the site's role mode, roles and role permission
// catalogue. Terraform asks for the same thing from many resources at once,
// so callers that arrive while a value is being read wait for that read
// instead of sending their own, each giving up on its own context.
//
// It is the one implementation of that mechanism in the repository; it knows
// nothing about Confluence.
package cache

import (
	"context"
	"sync"
)

// Keyed holds one value per key, read when first asked for and kept until
// invalidated. Failed reads are not kept. The zero value is ready to use; it
// must not be copied after first use.
type Keyed[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]*entry[V]
}

type entry[V any] struct {
	loaded bool
	value  V
	// gen grows with every invalidation, so that a read that started
	// before one is not stored after it.
	gen     int
	loading *load[V]
}

// load is one read in flight. err and abandoned are set before done is
// closed and never change after, so every waiter of the read sees its own
// outcome.
type load[V any] struct {
	done chan struct{}
	err  error
	// abandoned: the read failed because its caller gave up, which says
	// nothing about the key: waiters read again instead of failing.
	abandoned bool
}

func (c *Keyed[K, V]) entry(key K) *entry[V] {
	if c.entries == nil {
		c.entries = map[K]*entry[V]{}
	}
	e, ok := c.entries[key]
	if !ok {
		e = &entry[V]{}
		c.entries[key] = e
	}
	return e
}

// Get returns the value of key, calling read once when it is not known.
//
//   - Callers that arrive during a read wait for it, each on its own context.
//   - A caller that only waited, and saw the read fail, tries once more
//     (together with the other waiters) before it fails: one read that ran
//     out of retries should not fail everything that was waiting for it.
//   - A read that fails because its own caller gave up fails none of its
//     waiters.
//   - A read that an invalidation overtook is not stored; its caller reads
//     again, so a value read before a write never outlives the write.
func (c *Keyed[K, V]) Get(ctx context.Context, key K, read func(context.Context) (V, error)) (V, error) {
	var zero V
	waitedOnFailure := false
	for {
		c.mu.Lock()
		e := c.entry(key)
		if e.loaded {
			v := e.value
			c.mu.Unlock()
			return v, nil
		}
		if l := e.loading; l != nil {
			c.mu.Unlock()
			select {
			case <-l.done:
			case <-ctx.Done():
				return zero, ctx.Err()
			}
			if l.err != nil && !l.abandoned {
				if waitedOnFailure {
					return zero, l.err
				}
				waitedOnFailure = true
			}
			continue
		}
		l := &load[V]{done: make(chan struct{})}
		e.loading = l
		gen := e.gen
		c.mu.Unlock()

		v, err := read(ctx)

		c.mu.Lock()
		e.loading = nil
		l.err, l.abandoned = err, err != nil && ctx.Err() != nil
		stale := gen != e.gen
		if err == nil && !stale {
			e.value, e.loaded = v, true
		}
		c.mu.Unlock()
		close(l.done)
		switch {
		case err != nil:
			return zero, err
		case stale:
			continue
		}
		return v, nil
	}
}

// Peek returns the value of key if it is known, without reading it.
func (c *Keyed[K, V]) Peek(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && e.loaded {
		return e.value, true
	}
	var zero V
	return zero, false
}

// Set stores a value learnt elsewhere, such as a space found in a listing.
func (c *Keyed[K, V]) Set(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(key)
	e.value, e.loaded = v, true
}

// Update changes the value of key in place when it is known, after a write
// Confluence confirmed; an unknown value stays unknown. update must not keep
// the value it is given.
func (c *Keyed[K, V]) Update(key K, update func(V) V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && e.loaded {
		e.value = update(e.value)
	}
}

// Invalidate forgets the value of key; the next Get reads it again, and a
// read in flight is not stored.
func (c *Keyed[K, V]) Invalidate(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		var zero V
		e.value, e.loaded = zero, false
		e.gen++
	}
}

// InvalidateAll forgets every value.
func (c *Keyed[K, V]) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	for _, e := range c.entries {
		e.value, e.loaded = zero, false
		e.gen++
	}
}

// Value is a Keyed with a single value, such as the site's role mode.
type Value[V any] struct {
	keyed Keyed[struct{}, V]
}

// Get returns the value, reading it once; see Keyed.Get.
func (c *Value[V]) Get(ctx context.Context, read func(context.Context) (V, error)) (V, error) {
	return c.keyed.Get(ctx, struct{}{}, read)
}

// Invalidate forgets the value.
func (c *Value[V]) Invalidate() { c.keyed.Invalidate(struct{}{}) }
