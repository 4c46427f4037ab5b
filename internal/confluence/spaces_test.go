package confluence

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func spaceKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("S%03d", i)
	}
	return keys
}

// lookupAll runs one Space lookup per key, all released at once, and
// returns the answers in key order.
func lookupAll(c *Client, keys []string) ([]Space, []error) {
	spaces := make([]Space, len(keys))
	errs := make([]error, len(keys))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() {
			<-start
			spaces[i], errs[i] = c.Space(context.Background(), k)
		})
	}
	close(start)
	wg.Wait()
	return spaces, errs
}

// checkEachKeyAskedOnce checks that the batches asked for every key in want
// exactly once and held at most maxKeysPerLookup keys each.
func checkEachKeyAskedOnce(t *testing.T, batches [][]string, want []string) {
	t.Helper()
	seen := map[string]int{}
	for i, b := range batches {
		if len(b) > maxKeysPerLookup {
			t.Errorf("batch %d carries %d keys, more than %d", i, len(b), maxKeysPerLookup)
		}
		for _, k := range b {
			seen[k]++
		}
	}
	for _, k := range want {
		if seen[k] != 1 {
			t.Errorf("key %s was asked for %d times, want once", k, seen[k])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("the batches asked for %d distinct keys, want %d", len(seen), len(want))
	}
}

func TestConcurrentSpaceLookupsAreBatched(t *testing.T) {
	keys := spaceKeys(10)
	f := newFake().addSpace(keys...)
	c := NewClient(f)

	var callers []string
	for i := range 50 {
		callers = append(callers, keys[i%len(keys)])
	}
	spaces, errs := lookupAll(c, callers)
	for i, k := range callers {
		if errs[i] != nil {
			t.Fatalf("Space(%s): %v", k, errs[i])
		}
		if want := f.spaces[k]; spaces[i] != want {
			t.Fatalf("Space(%s) = %+v, want %+v", k, spaces[i], want)
		}
	}
	// How many batches real time makes depends on the scheduler (the
	// synctest variant below pins it to one); whatever the timing, no key
	// is asked for twice.
	checkEachKeyAskedOnce(t, f.batches(), keys)

	// Answers are remembered.
	before := len(f.batches())
	for _, k := range keys {
		if _, err := c.Space(context.Background(), k); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.batches()); n != before {
		t.Fatalf("remembered keys were looked up again: %d calls, then %d", before, n)
	}
}

func TestConcurrentSpaceLookupsShareOneRequest(t *testing.T) {
	// With a fake clock every caller is inside the batch window, so the
	// batching is exact: one request for all of them.
	synctest.Test(t, func(t *testing.T) {
		keys := spaceKeys(10)
		f := newFake().addSpace(keys...)
		c := NewClient(f)
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				k := keys[i%len(keys)]
				s, err := c.Space(t.Context(), k)
				if err != nil || s.Key != k || s.ID != f.spaces[k].ID {
					t.Errorf("Space(%s) = %+v, %v", k, s, err)
				}
			})
		}
		wg.Wait()
		if got := f.batches(); len(got) != 1 || len(got[0]) != 10 {
			t.Fatalf("want one SpacesByKey call with the 10 keys, got %v", got)
		}
	})
}

func TestSpaceLookupSplitsBatchesAt250Keys(t *testing.T) {
	keys := spaceKeys(600)
	f := newFake().addSpace(keys...)
	c := NewClient(f)
	spaces, errs := lookupAll(c, keys)
	for i, k := range keys {
		if errs[i] != nil || spaces[i].Key != k {
			t.Fatalf("Space(%s) = %+v, %v", k, spaces[i], errs[i])
		}
	}
	batches := f.batches()
	if len(batches) < 3 {
		t.Fatalf("600 keys in %d requests: at most 250 fit in one", len(batches))
	}
	checkEachKeyAskedOnce(t, batches, keys)
}

func TestSpaceLookupBatchesAreFullBeforeSplitting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		keys := spaceKeys(600)
		f := newFake().addSpace(keys...)
		c := NewClient(f)
		var wg sync.WaitGroup
		for _, k := range keys {
			wg.Go(func() {
				if _, err := c.Space(t.Context(), k); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var sizes []int
		for _, b := range f.batches() {
			sizes = append(sizes, len(b))
		}
		slices.Sort(sizes)
		if !slices.Equal(sizes, []int{100, 250, 250}) {
			t.Fatalf("batch sizes %v, want [100 250 250]", sizes)
		}
		checkEachKeyAskedOnce(t, f.batches(), keys)
	})
}

func TestSpaceLookupUnknownKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake().addSpace("DOCS")
		c := NewClient(f)
		var wg sync.WaitGroup
		var docs Space
		var docsErr, nopeErr error
		wg.Go(func() { docs, docsErr = c.Space(t.Context(), "DOCS") })
		wg.Go(func() { _, nopeErr = c.Space(t.Context(), "NOPE") })
		wg.Wait()
		if docsErr != nil || docs.Key != "DOCS" {
			t.Fatalf("Space(DOCS) = %+v, %v", docs, docsErr)
		}
		if !IsNotFound(nopeErr) || !strings.Contains(nopeErr.Error(), `"NOPE"`) {
			t.Fatalf("Space(NOPE): want a not-found error naming the key, got %v", nopeErr)
		}
		// The answer "no such space" is remembered like any other, once
		// the key was asked on its own: a batch's silence is not proof.
		if _, err := c.Space(t.Context(), "NOPE"); !IsNotFound(err) {
			t.Fatalf("second Space(NOPE): %v", err)
		}
		if got := f.batches(); len(got) != 2 || !slices.Equal(got[1], []string{"NOPE"}) {
			t.Fatalf("SpacesByKey calls %v, want the batch and then NOPE alone", got)
		}
	})
}

// A site may read only one key of a batch (how it reads several is
// contested): a key the batch's answer leaves out is asked on its own
// before it counts as unknown.
func TestSpaceLookupAsksMissingKeysAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake().addSpace("A", "B", "C")
		c := NewClient(&firstKeyOnly{fakeBackend: f})
		var wg sync.WaitGroup
		for _, k := range []string{"A", "B", "C"} {
			wg.Go(func() {
				if s, err := c.Space(t.Context(), k); err != nil || s.Key != k {
					t.Errorf("Space(%s) = %+v, %v", k, s, err)
				}
			})
		}
		wg.Wait()
		if got := f.batches(); len(got) != 3 {
			t.Fatalf("SpacesByKey calls %v, want the batch and the two keys it left out", got)
		}
	})
}

// firstKeyOnly answers a batch for its first key only.
type firstKeyOnly struct{ *fakeBackend }

func (b *firstKeyOnly) SpacesByKey(ctx context.Context, keys []string) ([]Space, error) {
	spaces, err := b.fakeBackend.SpacesByKey(ctx, keys)
	if err != nil || len(keys) < 2 {
		return spaces, err
	}
	var first []Space
	for _, s := range spaces {
		if s.Key == keys[0] {
			first = append(first, s)
		}
	}
	return first, nil
}

func TestFailedSpaceLookupIsRetriedByTheNextCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake().addSpace("A", "B", "C")
		boom := apiError(http.StatusInternalServerError, "GET", "/wiki/api/v2/spaces", "boom")
		f.failNth("SpacesByKey", 1, boom)
		c := NewClient(f)

		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i, k := range []string{"A", "B", "C"} {
			wg.Go(func() { _, errs[i] = c.Space(t.Context(), k) })
		}
		wg.Wait()
		wantCalls(t, f, "SpacesByKey", 1)
		for i, err := range errs {
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != 500 {
				t.Errorf("caller %d: want the batch's 500, got %v", i, err)
			}
		}
		// The failure is not remembered.
		s, err := c.Space(t.Context(), "B")
		if err != nil || s.Key != "B" {
			t.Fatalf("Space(B) after a failed batch = %+v, %v", s, err)
		}
		wantCalls(t, f, "SpacesByKey", 2)
	})
}

func TestSpaceLookupCallerCancellationDoesNotFailTheBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake().addSpace("A", "B")
		held := f.hold("SpacesByKey")
		c := NewClient(f)

		// The first caller opens the batch, so the request runs on behalf
		// of its context; then it gives up.
		ctxA, cancelA := context.WithCancel(t.Context())
		var errA, errB error
		var spaceB Space
		doneA := make(chan struct{})
		go func() { _, errA = c.Space(ctxA, "A"); close(doneA) }()
		synctest.Wait()
		doneB := make(chan struct{})
		go func() { spaceB, errB = c.Space(t.Context(), "B"); close(doneB) }()
		time.Sleep(batchWindow) // the batch goes out and is held
		<-held.entered
		cancelA()
		<-doneA
		if !errors.Is(errA, context.Canceled) {
			t.Fatalf("canceled caller: want context.Canceled, got %v", errA)
		}
		held.release()
		<-doneB
		if errB != nil || spaceB.Key != "B" {
			t.Fatalf("the other caller must still get its answer: %+v, %v", spaceB, errB)
		}
		// A's answer arrived too and is remembered.
		if s, err := c.Space(t.Context(), "A"); err != nil || s.Key != "A" {
			t.Fatalf("Space(A) = %+v, %v", s, err)
		}
		wantCalls(t, f, "SpacesByKey", 1)
	})
}

func TestSpacesListingIsRemembered(t *testing.T) {
	f := newFake().addSpace("DOCS", "ENG", "HR")
	c := NewClient(f)
	got, err := c.Spaces(context.Background(), SpaceFilter{Keys: []string{"DOCS", "ENG"}})
	if err != nil || len(got) != 2 {
		t.Fatalf("Spaces = %+v, %v", got, err)
	}
	for _, k := range []string{"DOCS", "ENG"} {
		if s, err := c.Space(context.Background(), k); err != nil || s != f.spaces[k] {
			t.Fatalf("Space(%s) = %+v, %v", k, s, err)
		}
	}
	wantCalls(t, f, "SpacesByKey", 0)
	if _, err := c.Space(context.Background(), "HR"); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, f, "SpacesByKey", 1)

	boom := apiError(http.StatusInternalServerError, "GET", "/wiki/api/v2/spaces", "boom")
	f.failNth("ListSpaces", 2, boom)
	if _, err := c.Spaces(context.Background(), SpaceFilter{}); !errors.Is(err, boom) {
		t.Fatalf("Spaces: want the backend's error, got %v", err)
	}
}

func TestSpaceGoneAfterLookupIsForgotten(t *testing.T) {
	f := newFake().addSpace("DOCS")
	c := NewClient(f)
	if _, err := c.Space(context.Background(), "DOCS"); err != nil {
		t.Fatal(err)
	}
	f.removeSpace("DOCS")
	if _, err := c.Grants(context.Background(), "DOCS"); !IsNotFound(err) || !strings.Contains(err.Error(), "DOCS") {
		t.Fatalf("Grants of a deleted space: want not found naming it, got %v", err)
	}
	// The directory forgot the key: the next lookup asks again and learns
	// that the space is gone.
	if _, err := c.Space(context.Background(), "DOCS"); !IsNotFound(err) {
		t.Fatalf("Space after deletion: %v", err)
	}
	wantCalls(t, f, "SpacesByKey", 2)
}

// firstRun grants alice read/space in DOCS with a fresh client, as a first
// apply would, and returns what the resource kept.
func firstRun(t *testing.T, f *fakeBackend) *memoryStore {
	t.Helper()
	store := &memoryStore{}
	if _, err := NewClient(f).AddGrant(context.Background(), "DOCS", grant(alice, read), store); err != nil {
		t.Fatal(err)
	}
	return store
}

// A Cloud resource keeps its space's id: the next run reads the space at
// that id without looking its key up.
func TestKeptSpaceIDSparesTheLookup(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	store := firstRun(t, f)
	wantCalls(t, f, "SpacesByKey", 1)

	has, err := NewClient(f).HasGrant(ctx, "DOCS", grant(alice, read), store)
	if err != nil || !has {
		t.Fatalf("HasGrant = %v, %v", has, err)
	}
	wantCalls(t, f, "SpacesByKey", 1)
}

// A kept id that finds nothing may be stale: the key is looked up, and a
// space created again under it is read at its new id, which is kept.
func TestKeptSpaceIDOfASpaceCreatedAgain(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	store := firstRun(t, f)
	f.removeSpace("DOCS")
	f.addSpace("DOCS")
	f.seed("DOCS", alice, read)

	has, err := NewClient(f).HasGrant(ctx, "DOCS", grant(alice, read), store)
	if err != nil || !has {
		t.Fatalf("HasGrant = %v, %v", has, err)
	}
	wantCalls(t, f, "SpacesByKey", 2)
	wantCalls(t, f, "SpaceGrants", 3) // the add's adoption check, the stale id, the new id
	if want := `{"spaces":[{"key":"DOCS","id":"1001"}]}`; string(store.data) != want {
		t.Fatalf("kept %s, want %s", store.data, want)
	}
}

// A kept id of a space that is gone reads as no space, after one lookup to
// be sure, never as an error.
func TestKeptSpaceIDOfASpaceGone(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	store := firstRun(t, f)
	f.removeSpace("DOCS")
	c := NewClient(f)
	ops, found, err := c.PrincipalOperations(ctx, "DOCS", alice, store)
	if err != nil || found || len(ops) != 0 {
		t.Fatalf("PrincipalOperations = %v, %v, %v; want not found", ops, found, err)
	}
	wantCalls(t, f, "SpacesByKey", 2)
	// Many resources sharing the stale id, concurrently: all read "gone".
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, found, err := NewClient(f).PrincipalOperations(ctx, "DOCS", alice, &memoryStore{data: []byte(`{"spaces":[{"key":"DOCS","id":"1000"}]}`)}); err != nil || found {
				t.Errorf("found %v, %v", found, err)
			}
		})
	}
	wg.Wait()
}

// Resources of one client sharing a stale id all end up at the new one.
func TestSharedStaleSpaceIDIsRecheckedOnce(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	f.removeSpace("DOCS")
	f.addSpace("DOCS") // now 1001
	f.seed("DOCS", alice, read)
	c := NewClient(f)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			has, err := c.HasGrant(ctx, "DOCS", grant(alice, read), &memoryStore{data: []byte(`{"spaces":[{"key":"DOCS","id":"1000"}]}`)})
			if err != nil || !has {
				t.Errorf("HasGrant = %v, %v", has, err)
			}
		})
	}
	wg.Wait()
	if n := f.count("SpacesByKey"); n != 1 {
		t.Errorf("SpacesByKey called %d times, want 1", n)
	}
}

// What a space's kept id stands in for is its id only: Space, which
// describes the space, looks it up.
func TestSpaceIsDescribedInFullDespiteAKeptID(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	c := NewClient(f)
	if _, err := c.HasGrant(ctx, "DOCS", grant(alice, read), &memoryStore{data: []byte(`{"spaces":[{"key":"DOCS","id":"1000"}]}`)}); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, f, "SpacesByKey", 0)
	s, err := c.Space(ctx, "DOCS")
	if err != nil || s != f.spaces["DOCS"] {
		t.Fatalf("Space = %+v, %v; want %+v", s, err, f.spaces["DOCS"])
	}
	wantCalls(t, f, "SpacesByKey", 1)
}

// What earlier versions kept (the principal pairs alone, as an array) is
// still read; Data Center keeps no space ids.
func TestEarlierKeptIdentitiesAreRead(t *testing.T) {
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	f.deployment = permissions.DataCenter
	f.seed("DOCS", permissions.Principal{Type: permissions.User, ID: "key-alice"}, read)
	store := &memoryStore{data: []byte(`[{"type":"user","configured":"alice","resolved":"key-alice"}]`)}
	has, err := NewClient(&resolverBackend{fakeBackend: f}).HasGrant(ctx, "DOCS", grant(alice, read), store)
	if err != nil || !has {
		t.Fatalf("HasGrant = %v, %v", has, err)
	}
	wantCalls(t, f, "ResolvePrincipal", 0)
	if want := `{"principals":[{"type":"user","configured":"alice","resolved":"key-alice"}]}`; string(store.data) != want {
		t.Fatalf("kept %s, want %s", store.data, want)
	}
}

// listingBackend is a fake that can list its site a page at a time, in
// key order, counting pages; fail makes page reads fail.
type listingBackend struct {
	*fakeBackend
	pageSize int
	fail     error
}

func (l *listingBackend) SiteSpaces() SpacePager { return &fakePager{l: l} }

type fakePager struct {
	l     *listingBackend
	start int
}

func (p *fakePager) Next(ctx context.Context) ([]Space, bool, error) {
	p.l.begin("SiteSpaces page", "")
	if p.l.fail != nil {
		return nil, true, p.l.fail
	}
	p.l.mu.Lock()
	defer p.l.mu.Unlock()
	keys := make([]string, 0, len(p.l.spaces))
	for k := range p.l.spaces {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	end := min(p.start+p.l.pageSize, len(keys))
	var page []Space
	for _, k := range keys[p.start:end] {
		page = append(page, p.l.spaces[k])
	}
	p.start = end
	return page, end < len(keys), nil
}

// lookupInWaves looks the keys up the way an apply at -parallelism=10
// does: ten at once, then the next ten.
func lookupInWaves(t *testing.T, c *Client, keys []string) {
	t.Helper()
	for i := 0; i < len(keys); i += 10 {
		var wg sync.WaitGroup
		for _, k := range keys[i:min(i+10, len(keys))] {
			wg.Go(func() {
				if s, err := c.spaces.Lookup(t.Context(), k); err != nil || s.Key != k {
					t.Errorf("Lookup(%s) = %+v, %v", k, s, err)
				}
			})
		}
		wg.Wait()
	}
}

func TestManyUnknownKeysAreFoundByWalkingTheSite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		keys := spaceKeys(1000)
		f := newFake().addSpace(keys...)
		c := NewClient(&listingBackend{fakeBackend: f, pageSize: 250})
		lookupInWaves(t, c, keys)
		// The first ten in one batch, then the site's four pages.
		wantCalls(t, f, "SpacesByKey", 1)
		wantCalls(t, f, "SiteSpaces page", 4)
	})
}

func TestSiteWalkGivesUpWhenItsPagesAnswerNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		keys := spaceKeys(1000)
		f := newFake().addSpace(keys...)
		c := NewClient(&listingBackend{fakeBackend: f, pageSize: 100})
		// A configuration naming the site's last spaces only.
		lookupInWaves(t, c, keys[980:])
		wantCalls(t, f, "SiteSpaces page", maxBarrenPages)
		checkEachKeyAskedOnce(t, f.batches(), keys[980:])
		// Once given up, the walk stays given up.
		before := f.count("SpacesByKey")
		if _, err := c.spaces.Lookup(t.Context(), keys[500]); err != nil {
			t.Fatal(err)
		}
		wantCalls(t, f, "SiteSpaces page", maxBarrenPages)
		wantCalls(t, f, "SpacesByKey", before+1)
	})
}

func TestKeyTheWholeSiteListLacksIsLookedUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		keys := spaceKeys(300)
		f := newFake().addSpace(keys...)
		c := NewClient(&listingBackend{fakeBackend: f, pageSize: 250})
		lookupInWaves(t, c, keys[:1])
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := c.spaces.Lookup(t.Context(), "NOPE"); !IsNotFound(err) {
				t.Errorf("NOPE: %v", err)
			}
		})
		wg.Go(func() {
			if s, err := c.spaces.Lookup(t.Context(), "S299"); err != nil || s.Key != "S299" {
				t.Errorf("S299: %+v, %v", s, err)
			}
		})
		wg.Wait()
		wantCalls(t, f, "SiteSpaces page", 2)
		if got := f.batches(); len(got) != 2 || !slices.Equal(got[1], []string{"NOPE"}) {
			t.Errorf("key lookups %v, want the first key, then NOPE alone", got)
		}
	})
}

func TestFailedSiteWalkFallsBackToKeyLookups(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		keys := spaceKeys(50)
		f := newFake().addSpace(keys...)
		c := NewClient(&listingBackend{fakeBackend: f, pageSize: 250, fail: errors.New("connection reset")})
		lookupInWaves(t, c, keys)
		wantCalls(t, f, "SiteSpaces page", 1)
		checkEachKeyAskedOnce(t, f.batches(), keys)
	})
}
