package benchmark

import "testing"

// The budgets are the figures `make bench` holds the provider to, so their
// arithmetic is checked here, against the rows of the site-scale issue.
func TestBudgets(t *testing.T) {
	for _, tc := range []struct {
		name       string
		got        Budget
		min, bound int
	}{
		// 1,000 single grants over 20 spaces: 1,000 POST, one read of each
		// space (two seeded grants), one lookup of 20 unknown keys.
		{"apply 1,000 grants", applyBudget(work{writes: 1000, reads: repeat(20, 2), unknownKeys: 20}), 1021, 1023},
		// The plan reads each space's 52 grants in one page each.
		{"plan 1,000 grants", planBudget(work{reads: repeat(20, 52)}), 20, 21},
		// 1,000 sets from the space list: two writes a space, the list in
		// four pages of 250.
		{"apply 1,000 sets", applyBudget(work{writes: 2000, reads: repeat(1000, 2), unknownKeys: 1000}), 3004, 3006},
		{"plan 1,000 sets", planBudget(work{reads: repeat(1000, 4), lists: []int{1000}}), 1004, 1005},
		// A space of 1,002 grants takes five pages; an empty list still one.
		{"one big space", planBudget(work{reads: []int{1002}}), 5, 6},
		{"empty list", planBudget(work{lists: []int{0}}), 1, 2},
		{"nothing to do", planBudget(work{}), 0, 1},
	} {
		if tc.got.Minimum != tc.min || tc.got.Bound != tc.bound {
			t.Errorf("%s: minimum %d, bound %d; want %d, %d", tc.name, tc.got.Minimum, tc.got.Bound, tc.min, tc.bound)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
