package benchmark

// Budget is what the API allows a run: Minimum is the fewest requests that
// can do it, Bound the most the provider may use (the must-show bound).
type Budget struct{ Minimum, Bound int }

// pageSize is what one request carries at most: a page of a v2 list (grants,
// spaces, role assignments), or the keys of one space lookup.
const pageSize = 250

// listPages is how many requests read a list of n rows; an empty list still
// takes one.
func listPages(n int) int { return max(1, (n+pageSize-1)/pageSize) }

// keyLookups is how many requests look up n space keys; none for none.
func keyLookups(n int) int { return (n + pageSize - 1) / pageSize }

// work is what a run has to do on the site, for its API minimum.
type work struct {
	writes int   // requests that change something (one per grant on Cloud)
	reads  []int // per space read, the rows it holds then (grants, or role assignments)
	// lists are the sizes of the lists the run must read whole: a
	// confluence_spaces data source's spaces, the role catalogue that turns
	// role names into ids.
	lists []int
	// unknownKeys are the spaces the run meets whose id is neither kept in
	// private state from an earlier run nor named by a listing: only those
	// must be looked up by key.
	unknownKeys int
}

// minimum is writes + the pages of each space's read + the pages of each
// listing + ⌈unknown keys/250⌉ lookups. The issue defines a plan's minimum
// as "key lookups + grant pages"; with ids kept in private state a plan of
// existing resources looks no key up, so its lookups are those of the keys
// not known from state or a listing, often none.
func (w work) minimum() int {
	n := w.writes + keyLookups(w.unknownKeys)
	for _, rows := range w.reads {
		n += listPages(rows)
	}
	for _, rows := range w.lists {
		n += listPages(rows)
	}
	return n
}

// planBudget: a plan may use one request above the minimum (the site's
// space role mode, read once per provider process).
func planBudget(w work) Budget {
	m := w.minimum()
	return Budget{Minimum: m, Bound: m + 1}
}

// applyBudget is the bound for an apply, writes + one grant read
// per space + ⌈spaces/250⌉ + 2, where the ⌈spaces/250⌉ is the key lookups
// and the role catalogue counts as a read: that is the minimum + 2, the +2
// allowing for the site's role mode, which the apply's provider process
// reads again, and one key lookup more than a perfect batching (the first
// keys arrive before the rest are known).
func applyBudget(w work) Budget {
	m := w.minimum()
	return Budget{Minimum: m, Bound: m + 2}
}

// repeat is n copies of rows, for work.reads of n alike spaces.
func repeat(n, rows int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = rows
	}
	return out
}
