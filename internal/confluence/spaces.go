package confluence

import (
	"context"
	"sync"
	"time"
)

// maxKeysPerLookup is the most keys one space lookup may carry (the v2 spaces
// endpoint takes up to 250 keys;
// contributing/confluence-api.md#spaces-and-key-lookups).
const maxKeysPerLookup = 250

// batchWindow is how long a lookup waits for other lookups to join its batch.
// Terraform reads many resources at once; a few milliseconds turns dozens of
// lookups into one request while adding nothing noticeable to a single read.
const batchWindow = 3 * time.Millisecond

// spaceDirectory resolves space keys to spaces, remembering answers for the
// life of the provider process and batching concurrent lookups.
type spaceDirectory struct {
	fetch func(ctx context.Context, keys []string) ([]Space, error)

	mu      sync.Mutex
	known   map[string]*Space // nil value: the space does not exist
	pending map[string]*keyBatch
	open    *keyBatch // the batch still accepting keys
}

type keyBatch struct {
	keys []string
	done chan struct{}
	err  error
}

func newSpaceDirectory(fetch func(ctx context.Context, keys []string) ([]Space, error)) *spaceDirectory {
	return &spaceDirectory{
		fetch:   fetch,
		known:   map[string]*Space{},
		pending: map[string]*keyBatch{},
	}
}

// errSpaceNotFound is returned for a key that no visible space has.
func errSpaceNotFound(key string) error { return &NotFoundError{Kind: "space", Name: key} }

// Lookup returns the space with this key, or an error that satisfies
// IsNotFound when there is none.
func (d *spaceDirectory) Lookup(ctx context.Context, key string) (Space, error) {
	d.mu.Lock()
	if s, ok := d.known[key]; ok {
		d.mu.Unlock()
		return spaceOrNotFound(s, key)
	}
	b := d.pending[key]
	if b == nil {
		b = d.join(ctx, key)
	}
	d.mu.Unlock()

	select {
	case <-b.done:
	case <-ctx.Done():
		return Space{}, ctx.Err()
	}
	if b.err != nil {
		return Space{}, b.err
	}
	d.mu.Lock()
	s := d.known[key]
	d.mu.Unlock()
	return spaceOrNotFound(s, key)
}

// join adds key to the open batch, starting one if needed. d.mu is held.
func (d *spaceDirectory) join(ctx context.Context, key string) *keyBatch {
	if d.open == nil || len(d.open.keys) >= maxKeysPerLookup {
		d.open = &keyBatch{done: make(chan struct{})}
		go d.send(context.WithoutCancel(ctx), d.open)
	}
	b := d.open
	b.keys = append(b.keys, key)
	d.pending[key] = b
	return b
}

func (d *spaceDirectory) send(ctx context.Context, b *keyBatch) {
	time.Sleep(batchWindow)
	d.mu.Lock()
	if d.open == b {
		d.open = nil
	}
	keys := append([]string(nil), b.keys...)
	d.mu.Unlock()

	spaces, err := d.fetch(ctx, keys)
	if err == nil && len(keys) > 1 {
		spaces, err = d.confirmMissing(ctx, keys, spaces)
	}

	d.mu.Lock()
	for _, k := range keys {
		delete(d.pending, k)
	}
	if err == nil {
		for _, k := range keys {
			d.known[k] = nil
		}
		for i := range spaces {
			s := spaces[i]
			d.known[s.Key] = &s
		}
	}
	b.err = err
	d.mu.Unlock()
	close(b.done)
}

// confirmMissing looks each key that a batched answer left out up on its
// own before it counts as unknown. How a site reads several keys in one
// request is contested (contributing/confluence-api.md#space-keys-in-one-request),
// and a key wrongly reported unknown would drop its resources from state; a
// key really unknown is rare (a typo, a deleted space), so the extra request
// is cheap where it happens.
func (d *spaceDirectory) confirmMissing(ctx context.Context, keys []string, spaces []Space) ([]Space, error) {
	found := make(map[string]bool, len(spaces))
	for _, s := range spaces {
		found[s.Key] = true
	}
	for _, k := range keys {
		if found[k] {
			continue
		}
		alone, err := d.fetch(ctx, []string{k})
		if err != nil {
			return nil, err
		}
		spaces = append(spaces, alone...)
	}
	return spaces, nil
}

// Remember records spaces learnt elsewhere (a space listing).
func (d *spaceDirectory) Remember(spaces []Space) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range spaces {
		s := spaces[i]
		d.known[s.Key] = &s
	}
}

// Forget drops what is known about a key, for example after Confluence said
// the space is gone.
func (d *spaceDirectory) Forget(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.known, key)
}

func spaceOrNotFound(s *Space, key string) (Space, error) {
	if s == nil {
		return Space{}, errSpaceNotFound(key)
	}
	return *s, nil
}
