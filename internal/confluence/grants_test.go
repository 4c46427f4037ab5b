package confluence

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
)

// sameGrants compares grant lists as sets, ids included.
func sameGrants(a, b []StoredGrant) bool {
	key := func(g StoredGrant) string { return g.ID + " " + g.Domain().String() }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

func TestConcurrentGrantReadsShareOneFetch(t *testing.T) {
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read, createPage)
	f.seed("DOCS", devs, read)
	c := NewClient(f)
	held := f.hold("SpaceGrants")

	const readers = 100
	started := make(chan struct{}, readers)
	results := make([][]StoredGrant, readers)
	errs := make([]error, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			started <- struct{}{}
			results[i], errs[i] = c.Grants(context.Background(), "DOCS")
		})
	}
	for range readers {
		<-started
	}
	<-held.entered
	held.release()
	wg.Wait()

	wantCalls(t, f, "SpaceGrants", 1)
	want := f.rawGrants("DOCS")
	for i := range readers {
		if errs[i] != nil || !sameGrants(results[i], want) {
			t.Fatalf("reader %d got %v, %v; want %v", i, results[i], errs[i], want)
		}
	}
}

func TestGrantReadersWaitForTheInFlightFetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake().addSpace("DOCS")
		f.seed("DOCS", alice, read)
		c := NewClient(f)
		if _, err := c.Space(t.Context(), "DOCS"); err != nil {
			t.Fatal(err)
		}
		held := f.hold("SpaceGrants")
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				gs, err := c.Grants(t.Context(), "DOCS")
				if err != nil || len(gs) != 1 {
					t.Errorf("Grants = %v, %v", gs, err)
				}
			})
		}
		synctest.Wait() // every reader is now waiting on the one fetch
		wantCalls(t, f, "SpaceGrants", 1)
		held.release()
		wg.Wait()
		wantCalls(t, f, "SpaceGrants", 1)
	})
}

func TestWritesKeepTheGrantCacheCurrent(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read)
	f.seed("DOCS", bob, read, createPage, deletePage)
	c := NewClient(f)
	if got := mustGrants(t, c, "DOCS"); render(got) != "user alice: read/space\nuser bob: read/space, create/page, delete/page" {
		t.Fatalf("initial grants:\n%s", render(got))
	}

	steps := []struct {
		name string
		do   func() error
	}{
		{"add create/page for alice", func() error { _, err := c.AddGrant(ctx, "DOCS", grant(alice, createPage), nil); return err }},
		{"add export/space for carol (and read/space)", func() error { _, err := c.AddGrant(ctx, "DOCS", grant(carol, export), nil); return err }},
		{"remove delete/page from bob", func() error { _, err := c.RemoveGrant(ctx, "DOCS", grant(bob, deletePage), nil); return err }},
		{"remove read/space from bob (cascade)", func() error { _, err := c.RemoveGrant(ctx, "DOCS", grant(bob, read), nil); return err }},
		{"add read/space for anonymous", func() error { _, err := c.AddGrant(ctx, "DOCS", grant(anon, read), nil); return err }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := c.Grants(ctx, "DOCS")
		if err != nil {
			t.Fatal(err)
		}
		// The cache must hold exactly what Confluence holds, ids included
		// (Cloud removes grants by id).
		if want := f.rawGrants("DOCS"); !sameGrants(got, want) {
			t.Fatalf("after %s the cache holds\n%v\nbut Confluence holds\n%v", st.name, got, want)
		}
	}
	wantCalls(t, f, "SpaceGrants", 1)
}

func TestGrantsAreCopies(t *testing.T) {
	f := newFake().addSpace("DOCS")
	f.seed("DOCS", alice, read)
	c := NewClient(f)
	gs, err := c.Grants(context.Background(), "DOCS")
	if err != nil {
		t.Fatal(err)
	}
	gs[0].Operation = admin
	_ = append(gs[:0], StoredGrant{ID: "x"})
	if got := mustGrants(t, c, "DOCS"); render(got) != "user alice: read/space" {
		t.Fatalf("a caller's changes leaked into the cache:\n%s", render(got))
	}
}

// A fetch that failed is not remembered, and those that were only waiting
// for it try once more, sharing one new fetch: one read that ran out of
// retries fails the caller that made it, not every resource of the space.
func TestFailedGrantFetchIsRetriedOnceByItsWaiters(t *testing.T) {
	for _, tt := range []struct {
		name      string
		failures  int // failing SpaceGrants calls
		wantFails int // readers that fail
		wantCalls int
	}{
		{"the retry succeeds", 1, 1, 2},
		// Every waiter tries once more: together in one fetch, or on its
		// own if it comes back after that one ended; none tries twice.
		{"the retries fail too", 10, 5, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake().addSpace("DOCS")
				f.seed("DOCS", alice, read)
				boom := apiError(http.StatusServiceUnavailable, "GET", "/wiki/api/v2/spaces/1000/permissions", "try later")
				for n := 1; n <= tt.failures; n++ {
					f.failNth("SpaceGrants", n, boom)
				}
				held := f.hold("SpaceGrants")
				c := NewClient(f)
				if _, err := c.Space(t.Context(), "DOCS"); err != nil {
					t.Fatal(err)
				}

				var wg sync.WaitGroup
				errs := make([]error, 5)
				for i := range errs {
					wg.Go(func() { _, errs[i] = c.Grants(t.Context(), "DOCS") })
				}
				synctest.Wait()
				held.release()
				wg.Wait()
				failed := 0
				for i, err := range errs {
					switch {
					case errors.Is(err, boom):
						failed++
					case err != nil:
						t.Errorf("reader %d: %v", i, err)
					}
				}
				if failed != tt.wantFails {
					t.Errorf("%d readers failed, want %d", failed, tt.wantFails)
				}
				if tt.wantCalls > 0 {
					wantCalls(t, f, "SpaceGrants", tt.wantCalls)
					if got := mustGrants(t, c, "DOCS"); render(got) != "user alice: read/space" {
						t.Fatalf("after the failed fetch: %s", render(got))
					}
				} else if n := f.count("SpaceGrants"); n < 2 || n > len(errs) {
					t.Errorf("SpaceGrants was called %d times, want 2 to %d", n, len(errs))
				}
			})
		})
	}
}

func TestInvalidateDuringFetchDoesNotStoreStaleGrants(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake().addSpace("DOCS")
		f.seed("DOCS", alice, read)
		c := NewClient(f)
		if _, err := c.Space(t.Context(), "DOCS"); err != nil {
			t.Fatal(err)
		}
		held := f.hold("SpaceGrants")

		var got []StoredGrant
		var err error
		done := make(chan struct{})
		go func() { got, err = c.Grants(t.Context(), "DOCS"); close(done) }()
		<-held.entered // the fetch has its (soon stale) answer: alice only

		// A write lands and the space is invalidated while that answer is
		// on its way.
		f.seed("DOCS", bob, read)
		c.grants.Invalidate("DOCS")
		held.release()
		<-done
		if err != nil {
			t.Fatal(err)
		}
		if render(GroupGrants(got)) != "user alice: read/space\nuser bob: read/space" {
			t.Fatalf("the caller got the stale answer: %v", got)
		}
		wantCalls(t, f, "SpaceGrants", 2)
		if again := mustGrants(t, c, "DOCS"); render(again) != "user alice: read/space\nuser bob: read/space" {
			t.Fatalf("the stale answer was cached:\n%s", render(again))
		}
		wantCalls(t, f, "SpaceGrants", 2)
	})
}

func TestGrantReaderCancellation(t *testing.T) {
	t.Run("a waiting reader that gives up leaves the fetch to the others", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			f.seed("DOCS", alice, read)
			c := NewClient(f)
			if _, err := c.Space(t.Context(), "DOCS"); err != nil {
				t.Fatal(err)
			}
			held := f.hold("SpaceGrants")
			var errA, errB error
			var gotA []StoredGrant
			doneA, doneB := make(chan struct{}), make(chan struct{})
			go func() { gotA, errA = c.Grants(t.Context(), "DOCS"); close(doneA) }()
			synctest.Wait()
			ctxB, cancelB := context.WithCancel(t.Context())
			go func() { _, errB = c.Grants(ctxB, "DOCS"); close(doneB) }()
			synctest.Wait()
			cancelB()
			<-doneB
			if !errors.Is(errB, context.Canceled) {
				t.Fatalf("the waiter that gave up: want context.Canceled, got %v", errB)
			}
			held.release()
			<-doneA
			if errA != nil || len(gotA) != 1 {
				t.Fatalf("the fetching reader: %v, %v", gotA, errA)
			}
			wantCalls(t, f, "SpaceGrants", 1)
		})
	})
	t.Run("the fetching reader giving up does not fail the waiting ones", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFake().addSpace("DOCS")
			f.seed("DOCS", alice, read)
			c := NewClient(f)
			if _, err := c.Space(t.Context(), "DOCS"); err != nil {
				t.Fatal(err)
			}
			held := f.hold("SpaceGrants")
			ctxA, cancelA := context.WithCancel(t.Context())
			var errA, errB error
			var gotB []StoredGrant
			doneA, doneB := make(chan struct{}), make(chan struct{})
			go func() { _, errA = c.Grants(ctxA, "DOCS"); close(doneA) }()
			synctest.Wait() // A is fetching
			go func() { gotB, errB = c.Grants(t.Context(), "DOCS"); close(doneB) }()
			synctest.Wait() // B waits for A's fetch
			cancelA()
			<-doneA
			if !errors.Is(errA, context.Canceled) {
				t.Fatalf("the reader that gave up: want context.Canceled, got %v", errA)
			}
			synctest.Wait()
			held.release()
			<-doneB
			if errB != nil || len(gotB) != 1 {
				t.Fatalf("B's context is alive, so B must get the grants, not A's cancellation: %v, %v", gotB, errB)
			}
			wantCalls(t, f, "SpaceGrants", 2)
		})
	})
}

func TestGroupGrants(t *testing.T) {
	got := GroupGrants([]StoredGrant{
		{ID: "1", Principal: alice, Operation: read},
		{ID: "2", Principal: alice, Operation: createPage},
		{ID: "3", Principal: devs, Operation: read},
		{ID: "4", Principal: roleRW, Operation: read},
	})
	want := "user alice: read/space, create/page\ngroup g-devs: read/space\nrole role-editors: read/space"
	if render(got) != want {
		t.Fatalf("GroupGrants:\n%s\nwant\n%s", render(got), want)
	}
	if len(GroupGrants(nil)) != 0 {
		t.Fatal("GroupGrants(nil) is not empty")
	}
}
