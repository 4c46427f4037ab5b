package parallel

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoCallsEachOnceWithinTheLimit(t *testing.T) {
	for _, limit := range []int{0, 1, 3, 100} {
		var (
			running, most atomic.Int32
			mu            sync.Mutex
			seen          = map[int]int{}
		)
		Do(limit, 50, func(k int) bool {
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			mu.Lock()
			seen[k]++
			mu.Unlock()
			running.Add(-1)
			return true
		})
		if len(seen) != 50 {
			t.Errorf("limit %d: %d of 50 called", limit, len(seen))
		}
		for k, n := range seen {
			if n != 1 {
				t.Errorf("limit %d: %d called %d times", limit, k, n)
			}
		}
		if m := int(most.Load()); m > max(1, limit) {
			t.Errorf("limit %d: %d calls at once", limit, m)
		}
	}
}

func TestDoStartsNothingAfterAFalse(t *testing.T) {
	var calls atomic.Int32
	Do(1, 10, func(k int) bool {
		calls.Add(1)
		return k < 2
	})
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls, want 3 (the third returned false)", n)
	}
}
