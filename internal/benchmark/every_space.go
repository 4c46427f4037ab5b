package benchmark

import (
	"context"
	"fmt"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// EverySpace measures one confluence_space_permission_set per space of the
// site, the spaces found by a confluence_spaces data source and fed to
// for_each: the first apply, then a plan with nothing to change. Each set
// gives one person read/space and create/page.
func EverySpace(ctx context.Context, cfg Config, spaces int) (apply, plan Measurement, err error) {
	operations := []string{"read/space", "create/page"}
	b, stop, err := newBench(ctx, cfg, "every-space", siteSeed(spaces, 1), confluencesim.Options{Flavour: confluencesim.Cloud}, nil)
	if err != nil {
		return apply, plan, err
	}
	defer stop()
	config := b.providerBlock("cloud") + fmt.Sprintf(`
data "confluence_spaces" "all" {}

resource "confluence_space_permission_set" "reader" {
  for_each   = toset(data.confluence_spaces.all.space_keys)
  space_key  = each.value
  principal  = { type = "user", id = %q }
  operations = [%q, %q]
}
`, accountID(0), operations[0], operations[1])
	if err := b.w.WriteFile("main.tf", config); err != nil {
		return apply, plan, err
	}
	n := thousands(spaces)
	// The plan lists every space for the data source; the apply reads each
	// space once before its two writes, and must find the ids again (see
	// applyReviewed): ⌈spaces/250⌉ lookups at least.
	apply, err = b.applyReviewed(ctx, cfg, "apply "+n+" sets, one per space", spaces, planBudget(work{lists: []int{spaces}}))
	apply.Budget = applyBudget(work{writes: spaces * len(operations), reads: repeat(spaces, seededGrants), unknownKeys: spaces})
	if err != nil {
		return apply, plan, err
	}
	plan, err = b.measure("plan "+n+" sets (refresh, no changes)", spaces, cfg.Latency, b.expectEmptyPlan(ctx))
	plan.Budget = planBudget(work{reads: repeat(spaces, seededGrants+len(operations)), lists: []int{spaces}})
	return apply, plan, err
}
