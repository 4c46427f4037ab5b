package confluencesim

import (
	"maps"
	"sync"
	"sync/atomic"
)

// requestCounter counts requests by "METHOD TEMPLATE" and tracks how many
// were in flight at once, so that tests and benchmarks can measure what the
// client costs and how parallel it is.
type requestCounter struct {
	mu      sync.Mutex
	byRoute map[string]int
	total   int

	inFlight    atomic.Int64
	maxInFlight atomic.Int64
	// throttled counts the 429 answers: of the rate limit and of injected
	// faults.
	throttled atomic.Int64
}

func routeKey(method, template string) string { return method + " " + template }

func (c *requestCounter) add(key string) {
	c.mu.Lock()
	if c.byRoute == nil {
		c.byRoute = map[string]int{}
	}
	c.byRoute[key]++
	c.total++
	c.mu.Unlock()
}

// enter marks a request in flight; the returned func marks it done.
func (c *requestCounter) enter() func() {
	n := c.inFlight.Add(1)
	for {
		m := c.maxInFlight.Load()
		if n <= m || c.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	return func() { c.inFlight.Add(-1) }
}

func (c *requestCounter) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byRoute[key]
}

func (c *requestCounter) snapshot() (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.byRoute), c.total
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	c.byRoute = nil
	c.total = 0
	c.throttled.Store(0)
	c.mu.Unlock()
	c.maxInFlight.Store(c.inFlight.Load())
}
