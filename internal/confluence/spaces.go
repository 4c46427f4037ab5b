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

// How unknown keys are found, and why (DESIGN.md#client-rules):
//
//   - A key kept in a resource's private state from an earlier run comes
//     with its space id (Hint), which costs nothing and is trusted until a
//     read by that id finds nothing (Recheck). Plans of existing resources
//     look nothing up.
//   - The first unknown keys of a process are looked up by key, batched.
//   - Unknown keys that arrive after that first batch mean a run that meets
//     many spaces for the first time (an apply creating resources in a
//     thousand spaces, at most -parallelism of them asking at once, would
//     otherwise pay a lookup per one or two keys). They are answered by
//     walking the site's space list in pages of 250, which answers every key
//     on a page at once, resumed whenever new keys wait and stopped while none
//     do. A walk whose pages keep answering none of the waiting keys (a
//     large site, a configuration that names few of its spaces) stops for good
//     after maxBarrenPages pages, and key lookups take over; so does a key
//     the whole list did not hold (an archived space a site leaves out of
//     the list, one created since).
const (
	walkAfterBatches = 1
	maxBarrenPages   = 2
)

// spaceDirectory resolves space keys to spaces, remembering answers for the
// life of the provider process.
type spaceDirectory struct {
	fetch func(ctx context.Context, keys []string) ([]Space, error)
	site  SpacePager // nil: the backend cannot list the site

	mu      sync.Mutex
	known   map[string]*Space // nil value: the space does not exist
	hinted  map[string]bool   // known from private state, not yet confirmed
	pending map[string]*keyBatch
	open    *keyBatch // the batch still accepting keys
	batches int       // key batches started
	walk    siteWalk
}

// keyBatch is one wait for keys: a batched key lookup, or one key the site
// walk should answer.
type keyBatch struct {
	keys []string
	done chan struct{}
	err  error
}

// siteWalk is the state of the walk of the site's space list.
type siteWalk struct {
	waiting map[string]*keyBatch
	running bool // a goroutine is reading pages
	over    bool // ended, failed or gave up: keys go to key lookups
}

func newSpaceDirectory(fetch func(ctx context.Context, keys []string) ([]Space, error), site SpacePager) *spaceDirectory {
	return &spaceDirectory{
		fetch:   fetch,
		site:    site,
		known:   map[string]*Space{},
		hinted:  map[string]bool{},
		pending: map[string]*keyBatch{},
		walk:    siteWalk{waiting: map[string]*keyBatch{}},
	}
}

// errSpaceNotFound is returned for a key that no visible space has.
func errSpaceNotFound(key string) error { return &NotFoundError{Kind: "space", Name: key} }

// Lookup returns the space with this key, or an error that satisfies
// IsNotFound when there is none. A space known from a hint carries its key
// and id only.
func (d *spaceDirectory) Lookup(ctx context.Context, key string) (Space, error) {
	d.mu.Lock()
	if s, ok := d.known[key]; ok {
		d.mu.Unlock()
		return spaceOrNotFound(s, key)
	}
	b := d.pending[key]
	if b == nil {
		b = d.ask(ctx, key)
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

// Confirmed is Lookup without hints: the whole space, as Confluence
// describes it now.
func (d *spaceDirectory) Confirmed(ctx context.Context, key string) (Space, error) {
	d.mu.Lock()
	if d.hinted[key] {
		delete(d.known, key)
		delete(d.hinted, key)
	}
	d.mu.Unlock()
	return d.Lookup(ctx, key)
}

// ask starts finding an unknown key: on the site walk once a key batch has
// gone out, else in the open batch. d.mu is held.
func (d *spaceDirectory) ask(ctx context.Context, key string) *keyBatch {
	if d.site == nil || d.walk.over || d.batches < walkAfterBatches {
		return d.join(ctx, key)
	}
	b := &keyBatch{keys: []string{key}, done: make(chan struct{})}
	d.walk.waiting[key] = b
	d.pending[key] = b
	if !d.walk.running {
		d.walk.running = true
		go d.walkSite(context.WithoutCancel(ctx))
	}
	return b
}

// join adds key to the open batch, starting one if needed. d.mu is held.
func (d *spaceDirectory) join(ctx context.Context, key string) *keyBatch {
	if d.open == nil || len(d.open.keys) >= maxKeysPerLookup {
		d.open = &keyBatch{done: make(chan struct{})}
		d.batches++
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
	d.mu.Unlock()
	d.lookUp(ctx, []*keyBatch{b})
}

// walkSite reads the site's space list while keys wait for it, answering
// each key its page holds; it hands what it cannot answer to key lookups.
func (d *spaceDirectory) walkSite(ctx context.Context) {
	barren := 0
	for {
		d.mu.Lock()
		if len(d.walk.waiting) == 0 {
			d.walk.running = false
			d.mu.Unlock()
			return
		}
		d.mu.Unlock()

		spaces, more, err := d.site.Next(ctx)

		d.mu.Lock()
		answered := d.rememberLocked(spaces)
		for _, b := range answered {
			close(b.done)
		}
		if len(answered) == 0 {
			barren++
		} else {
			barren = 0
		}
		if err == nil && more && barren < maxBarrenPages {
			d.mu.Unlock()
			continue
		}
		d.walk.over, d.walk.running = true, false
		left := make([]*keyBatch, 0, len(d.walk.waiting))
		for k, b := range d.walk.waiting {
			left = append(left, b)
			delete(d.walk.waiting, k)
		}
		d.mu.Unlock()
		if len(left) > 0 {
			d.lookUp(ctx, left)
		}
		return
	}
}

// lookUp asks for the keys of the waits by key and settles them.
func (d *spaceDirectory) lookUp(ctx context.Context, waits []*keyBatch) {
	d.mu.Lock()
	var keys []string
	for _, b := range waits {
		keys = append(keys, b.keys...)
	}
	d.mu.Unlock()

	spaces, err := d.fetch(ctx, keys)
	if err == nil && len(keys) > 1 {
		spaces, err = d.confirmMissing(ctx, keys, spaces)
	}

	d.mu.Lock()
	for _, k := range keys {
		delete(d.pending, k)
		if err == nil {
			d.known[k] = nil
		}
	}
	if err == nil {
		d.rememberLocked(spaces)
	}
	for _, b := range waits {
		b.err = err
	}
	d.mu.Unlock()
	for _, b := range waits {
		close(b.done)
	}
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
	answered := d.rememberLocked(spaces)
	d.mu.Unlock()
	for _, b := range answered {
		close(b.done)
	}
}

// rememberLocked records spaces as confirmed and returns the site walk's
// waits they answer, for the caller to release once d.mu is unlocked.
func (d *spaceDirectory) rememberLocked(spaces []Space) []*keyBatch {
	var answered []*keyBatch
	for i := range spaces {
		s := spaces[i]
		d.known[s.Key] = &s
		delete(d.hinted, s.Key)
		if b := d.walk.waiting[s.Key]; b != nil {
			delete(d.walk.waiting, s.Key)
			delete(d.pending, s.Key)
			answered = append(answered, b)
		}
	}
	return answered
}

// Hint records the id a space had when a resource last saw it (its private
// state), unless the key is known already. The hint stands in for a lookup
// until a read by that id finds nothing: see Recheck.
func (d *spaceDirectory) Hint(key, id string) {
	if key == "" || id == "" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.known[key]; ok || d.pending[key] != nil {
		return
	}
	d.known[key] = &Space{Key: key, ID: id}
	d.hinted[key] = true
}

// Recheck is called when Confluence found nothing at a space's id. A hinted
// id may be stale (the space deleted and created again under its key), so
// the key is looked up: found is true, with the space as it is now, when a
// space has the key under another id. A confirmed id that finds nothing
// means the space is gone: the key is forgotten, and the next lookup learns
// that. Callers that shared the failed read each recheck; the first one's
// answer serves the others.
func (d *spaceDirectory) Recheck(ctx context.Context, gone Space) (now Space, found bool, err error) {
	d.mu.Lock()
	s, known := d.known[gone.Key]
	switch {
	case known && s != nil && s.ID != gone.ID:
		d.mu.Unlock()
		return *s, true, nil
	case known && s == nil:
		d.mu.Unlock()
		return Space{}, false, nil
	case known && !d.hinted[gone.Key]:
		delete(d.known, gone.Key)
		d.mu.Unlock()
		return Space{}, false, nil
	case known:
		delete(d.known, gone.Key)
		delete(d.hinted, gone.Key)
	}
	d.mu.Unlock()

	now, err = d.Lookup(ctx, gone.Key)
	switch {
	case IsNotFound(err):
		return Space{}, false, nil
	case err != nil:
		return Space{}, false, err
	case now.ID == gone.ID:
		d.Forget(gone.Key)
		return Space{}, false, nil
	}
	return now, true, nil
}

// readAt reads something of a space at its id. When Confluence finds
// nothing there, the key is rechecked: a space created again under its key
// is read at its new id, and one that went away gives errSpaceNotFound.
func readAt[V any](ctx context.Context, d *spaceDirectory, space Space, read func(context.Context, Space) (V, error)) (V, error) {
	for {
		v, err := read(ctx, space)
		if !IsNotFound(err) {
			return v, err
		}
		now, found, err := d.Recheck(ctx, space)
		switch {
		case err != nil:
			return v, err
		case !found:
			return v, errSpaceNotFound(space.Key)
		}
		space = now
	}
}

// Known returns the space of a key if it is known, hinted or confirmed,
// without looking it up.
func (d *spaceDirectory) Known(key string) (Space, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.known[key]
	if s == nil {
		return Space{}, false
	}
	return *s, true
}

// Forget drops what is known about a key, for example after Confluence said
// the space is gone.
func (d *spaceDirectory) Forget(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.known, key)
	delete(d.hinted, key)
}

func spaceOrNotFound(s *Space, key string) (Space, error) {
	if s == nil {
		return Space{}, errSpaceNotFound(key)
	}
	return *s, nil
}
