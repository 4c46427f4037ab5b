package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// source is a read that counts its calls and waits at a gate when one is
// set, so tests can hold a read in flight.
type source struct {
	calls atomic.Int32
	gate  chan struct{} // nil: no wait
	fail  func(call int32) error
	value string
}

func (s *source) read(ctx context.Context) (string, error) {
	n := s.calls.Add(1)
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	if s.fail != nil {
		if err := s.fail(n); err != nil {
			return "", err
		}
	}
	return s.value, nil
}

func TestConcurrentGetsShareOneRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c Keyed[string, string]
		src := &source{gate: make(chan struct{}), value: "v"}
		var wg sync.WaitGroup
		got := make([]string, 50)
		for i := range got {
			wg.Go(func() {
				v, err := c.Get(t.Context(), "k", src.read)
				if err != nil {
					t.Error(err)
				}
				got[i] = v
			})
		}
		synctest.Wait()
		close(src.gate)
		wg.Wait()
		if n := src.calls.Load(); n != 1 {
			t.Errorf("%d reads, want 1", n)
		}
		for i, v := range got {
			if v != "v" {
				t.Errorf("caller %d got %q", i, v)
			}
		}
		// Known now: no read at all.
		if v, err := c.Get(t.Context(), "k", src.read); v != "v" || err != nil || src.calls.Load() != 1 {
			t.Errorf("Get of a known value = %q, %v after %d reads", v, err, src.calls.Load())
		}
		// Another key is another value.
		if _, err := c.Get(t.Context(), "other", src.read); err != nil || src.calls.Load() != 2 {
			t.Errorf("another key: %v after %d reads", err, src.calls.Load())
		}
	})
}

func TestWaiterGivesUpOnItsOwnContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c Keyed[string, string]
		src := &source{gate: make(chan struct{}), value: "v"}
		var wg sync.WaitGroup
		var first string
		wg.Go(func() { first, _ = c.Get(t.Context(), "k", src.read) })
		synctest.Wait()
		ctx, cancel := context.WithCancel(t.Context())
		var waitErr error
		wg.Go(func() { _, waitErr = c.Get(ctx, "k", src.read) })
		synctest.Wait()
		cancel()
		synctest.Wait()
		if !errors.Is(waitErr, context.Canceled) {
			t.Errorf("the waiter that gave up got %v", waitErr)
		}
		close(src.gate)
		wg.Wait()
		if first != "v" || src.calls.Load() != 1 {
			t.Errorf("the reader got %q after %d reads", first, src.calls.Load())
		}
	})
}

func TestReadAbandonedByItsCallerFailsNoWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c Keyed[string, string]
		src := &source{gate: make(chan struct{}), value: "v"}
		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		var readerErr, waiterErr error
		var waiter string
		wg.Go(func() { _, readerErr = c.Get(ctx, "k", src.read) })
		synctest.Wait()
		wg.Go(func() { waiter, waiterErr = c.Get(t.Context(), "k", src.read) })
		synctest.Wait()
		cancel() // the reader's read fails with its cancellation
		synctest.Wait()
		close(src.gate)
		wg.Wait()
		if !errors.Is(readerErr, context.Canceled) {
			t.Errorf("reader: %v", readerErr)
		}
		if waiterErr != nil || waiter != "v" || src.calls.Load() != 2 {
			t.Errorf("waiter got %q, %v after %d reads; want it to read again and succeed", waiter, waiterErr, src.calls.Load())
		}
	})
}

func TestFailedReadIsTriedOnceMoreByItsWaiters(t *testing.T) {
	boom := errors.New("boom")
	for _, tt := range []struct {
		name      string
		failures  int32
		wantFails int
	}{
		{"the second read succeeds", 1, 1},
		{"every read fails", 100, 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var c Keyed[string, string]
				src := &source{gate: make(chan struct{}), value: "v", fail: func(n int32) error {
					if n <= tt.failures {
						return boom
					}
					return nil
				}}
				var wg sync.WaitGroup
				errs := make([]error, 5)
				for i := range errs {
					wg.Go(func() { _, errs[i] = c.Get(t.Context(), "k", src.read) })
				}
				synctest.Wait()
				close(src.gate)
				wg.Wait()
				fails := 0
				for _, err := range errs {
					if errors.Is(err, boom) {
						fails++
					}
				}
				if fails != tt.wantFails {
					t.Errorf("%d callers failed, want %d", fails, tt.wantFails)
				}
				// Nobody tries twice: at most the first read and one per waiter.
				if n := src.calls.Load(); n < 2 || n > int32(len(errs)) {
					t.Errorf("%d reads, want 2 to %d", n, len(errs))
				}
				if _, ok := c.Peek("k"); ok != (tt.failures == 1) {
					t.Errorf("known after the reads: %v", ok)
				}
			})
		})
	}
}

func TestInvalidationOvertakingAReadIsNotUndone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c Keyed[string, string]
		src := &source{gate: make(chan struct{}), value: "old"}
		var wg sync.WaitGroup
		var got string
		wg.Go(func() { got, _ = c.Get(t.Context(), "k", src.read) })
		synctest.Wait()
		c.Invalidate("k") // a write happened while the read was in flight
		src.value = "new"
		close(src.gate)
		wg.Wait()
		if got != "new" || src.calls.Load() != 2 {
			t.Errorf("Get = %q after %d reads; want the value read after the invalidation", got, src.calls.Load())
		}
	})
}

func TestSetUpdatePeekInvalidate(t *testing.T) {
	var c Keyed[string, []string]
	c.Update("k", func(v []string) []string { return append(v, "x") })
	if _, ok := c.Peek("k"); ok {
		t.Fatal("Update made an unknown value known")
	}
	c.Set("k", []string{"a"})
	c.Update("k", func(v []string) []string { return append(v, "b") })
	if v, ok := c.Peek("k"); !ok || len(v) != 2 || v[1] != "b" {
		t.Fatalf("Peek = %v, %v", v, ok)
	}
	c.Set("j", nil)
	c.InvalidateAll()
	for _, k := range []string{"k", "j"} {
		if _, ok := c.Peek(k); ok {
			t.Errorf("%s known after InvalidateAll", k)
		}
	}
}

func TestValue(t *testing.T) {
	var c Value[int]
	n := 0
	read := func(context.Context) (int, error) { n++; return n, nil }
	for range 3 {
		if v, err := c.Get(context.Background(), read); v != 1 || err != nil {
			t.Fatalf("Get = %d, %v", v, err)
		}
	}
	c.Invalidate()
	if v, _ := c.Get(context.Background(), read); v != 2 {
		t.Errorf("after Invalidate: %d", v)
	}
}
