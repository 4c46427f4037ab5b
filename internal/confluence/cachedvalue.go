package confluence

import (
	"context"
	"sync"
)

// cachedValue is a value read from Confluence once and shared until a write
// invalidates it. Concurrent callers wait for the read in flight instead of
// starting their own; a failed read is not remembered. An invalidation
// that arrives during a read waits for it, so a value read before a write
// never outlives the write's invalidation.
type cachedValue[T any] struct {
	mu    sync.Mutex
	valid bool
	value T
}

func (c *cachedValue[T]) get(ctx context.Context, fetch func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid {
		return c.value, nil
	}
	v, err := fetch(ctx)
	if err != nil {
		return v, err
	}
	c.value, c.valid = v, true
	return v, nil
}

func (c *cachedValue[T]) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero T
	c.value, c.valid = zero, false
}
