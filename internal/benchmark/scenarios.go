package benchmark

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/provider"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// Config sets the size and latency of the benchmarks.
type Config struct {
	Dir         string        // where Terraform working directories go
	Latency     time.Duration // per request, like a real site (20ms)
	Parallelism int           // terraform -parallelism
	ProviderDir string        // holds the provider binary (BuildProvider)
}

// grantOperations are the five operations each person gets in each space.
var grantOperations = []string{"read/space", "create/page", "create/comment", "create/attachment", "export/space"}

// Shape is how a configuration writes many single grants.
type Shape bool

// Terraform's for_each over a map of n objects costs it about twice the CPU
// of count over a list of them (65 s against 37 s to apply 2,000
// terraform_data on the 2-core machine), so the larger rows use Count; the
// 1,000-grant row keeps the ForEach its earlier numbers were measured with.
const (
	ForEach Shape = true
	Count   Shape = false
)

// SingleGrants measures spaces × 10 people × 5 operations single
// confluence_space_permission resources (1,000 over 20 spaces, 10,000 over
// 200): the first apply, then a plan with nothing to change, which is the
// scheduled drift check, and the same plan with -refresh=false, which is
// Terraform's own time.
func SingleGrants(ctx context.Context, cfg Config, spaces int, shape Shape) (apply, plan, planNoRefresh Measurement, err error) {
	const peoplePerSpace = 10
	b, stop, first, err := grantsBench(ctx, cfg, "single-grants", spaces, peoplePerSpace, shape, confluencesim.Options{Flavour: confluencesim.Cloud}, nil)
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	defer stop()
	grants := first.writes
	// The plan of creations only reads the site's role mode.
	apply, err = b.applyReviewed(ctx, cfg, "apply "+thousands(grants)+" grants", spaces, planBudget(work{}))
	apply.Budget = applyBudget(first)
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	plan, err = b.measure("plan "+thousands(grants)+" grants (refresh, no changes)", spaces, cfg.Latency, b.expectEmptyPlan(ctx))
	// Each space is read once; its id is kept in private state.
	plan.Budget = planBudget(work{reads: repeat(spaces, seededGrants+peoplePerSpace*len(grantOperations))})
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	planNoRefresh, err = b.measure("the same plan with -refresh=false", spaces, cfg.Latency, b.expectEmptyPlan(ctx, tfexec.Refresh(false)))
	return apply, plan, planNoRefresh, err
}

// RateLimitedGrants measures the apply of 2,000 confluence_space_permission
// (20 spaces × 20 people × 5 operations) against a site that answers 429
// above perSecond requests a second (0: no limit): with the provider's
// shared pace, or without it (paced false, which needs the provider served
// in-process).
func RateLimitedGrants(ctx context.Context, cfg Config, perSecond float64, paced bool) (Measurement, error) {
	const spaces, peoplePerSpace = 20, 20
	name, inProcess := "apply 2,000 grants, shared pace", (*provider.Options)(nil)
	if !paced {
		name, inProcess = "apply 2,000 grants, without the shared pace", &provider.Options{Unpaced: true}
	}
	if perSecond == 0 {
		name = "apply 2,000 grants, no rate limit"
	}
	opts := confluencesim.Options{Flavour: confluencesim.Cloud, RateLimit: confluencesim.RateLimit{PerSecond: perSecond}}
	b, stop, first, err := grantsBench(ctx, cfg, "rate-limited", spaces, peoplePerSpace, Count, opts, inProcess)
	if err != nil {
		return Measurement{}, err
	}
	defer stop()
	m, err := b.applyReviewed(ctx, cfg, name, spaces, planBudget(work{}))
	// Under a limit, the checks are the 429s and the wall time; requests
	// answered 429 are sent again, so the bound holds only without one.
	if perSecond == 0 {
		m.Budget = applyBudget(first)
	}
	return m, err
}

// seededGrants is what siteSeed gives each space: Terraform's read/space
// and administer/space.
const seededGrants = 2

// grantsBench starts a site of spaces with peoplePerSpace people each and
// writes a configuration of one confluence_space_permission per person and
// operation of grantOperations; first is what its first apply has to do.
func grantsBench(ctx context.Context, cfg Config, name string, spaces, peoplePerSpace int, shape Shape, opts confluencesim.Options, inProcess *provider.Options) (b *bench, stop func(), first work, err error) {
	b, stop, err = newBench(ctx, cfg, name, siteSeed(spaces, spaces*peoplePerSpace), opts, inProcess)
	if err != nil {
		return nil, nil, first, err
	}
	// A map keyed by space/person/operation for for_each, a list for count.
	open, end, meta, grant := "[", "]", "count     = length(local.grants)", "local.grants[count.index]"
	if shape == ForEach {
		open, end, meta, grant = "{", "}", "for_each  = local.grants", "each.value"
	}
	var grants strings.Builder
	for s := 1; s <= spaces; s++ {
		for p := 0; p < peoplePerSpace; p++ {
			person := (s-1)*peoplePerSpace + p
			for _, op := range grantOperations {
				value := fmt.Sprintf("{ space = %q, account = %q, operation = %q }", spaceKey(s), accountID(person), op)
				if shape == ForEach {
					fmt.Fprintf(&grants, "    %q = %s\n", fmt.Sprintf("%s/%d/%s", spaceKey(s), person, op), value)
				} else {
					fmt.Fprintf(&grants, "    %s,\n", value)
				}
			}
		}
	}
	config := b.providerBlock("cloud") + fmt.Sprintf(`
locals {
  grants = %s
%s  %s
}

resource "confluence_space_permission" "grant" {
  %s
  space_key = %[5]s.space
  principal = { type = "user", id = %[5]s.account }
  operation = %[5]s.operation
}
`, open, grants.String(), end, meta, grant)
	if err := b.w.WriteFile("main.tf", config); err != nil {
		stop()
		return nil, nil, first, err
	}
	// One POST per grant; each space read once, holding what the seed gave
	// it; every key unknown (no state, no listing).
	first = work{writes: spaces * peoplePerSpace * len(grantOperations), reads: repeat(spaces, seededGrants), unknownKeys: spaces}
	return b, stop, first, nil
}

// expectEmptyPlan returns a plan run that fails unless nothing would change.
func (b *bench) expectEmptyPlan(ctx context.Context, opts ...tfexec.PlanOption) func() error {
	return func() error {
		p, err := b.w.Plan(ctx, opts...)
		if err == nil && len(tfrun.Changes(p)) > 0 {
			err = fmt.Errorf("the plan after apply is not empty: %v", tfrun.Changes(p))
		}
		return err
	}
}

// TerraformAlone measures a plan of 1,000 terraform_data resources, which
// make no API calls: Terraform's own time for that many resources.
func TerraformAlone(ctx context.Context, cfg Config) (Measurement, error) {
	b, stop, err := newBench(ctx, cfg, "terraform-alone", siteSeed(1, 0), confluencesim.Options{Flavour: confluencesim.Cloud}, nil)
	if err != nil {
		return Measurement{}, err
	}
	defer stop()
	config := `
resource "terraform_data" "r" {
  count = 1000
  input = "value-${count.index}"
}
`
	if err := b.w.WriteFile("main.tf", config); err != nil {
		return Measurement{}, err
	}
	if err := b.w.Apply(ctx, cfg.Parallelism); err != nil {
		return Measurement{}, err
	}
	return b.measure("plan 1,000 terraform_data (no provider)", 0, 0, func() error {
		_, err := b.w.Plan(ctx)
		return err
	})
}

// WholeSpace measures one confluence_space_permissions with 200 principals
// × 5 operations: the apply that creates the 1,000 grants, and the no-op
// plan that follows. deployment is "cloud", or "rest" or "rpc" for Data
// Center with that API.
func WholeSpace(ctx context.Context, cfg Config, deployment string) (apply, plan Measurement, err error) {
	const principals = 200
	options, person := confluencesim.Options{Flavour: confluencesim.Cloud}, CloudPerson
	switch deployment {
	case "rest":
		options, person = confluencesim.Options{Flavour: confluencesim.DataCenter, DCVersion: "9.2.1"}, DataCenterPerson
	case "rpc":
		options, person = confluencesim.Options{Flavour: confluencesim.DataCenter, DCVersion: "8.5.16", RemoteAPI: true}, DataCenterPerson
	}
	b, stop, err := newBench(ctx, cfg, "whole-space-"+deployment, siteSeed(1, principals), options, nil)
	if err != nil {
		return apply, plan, err
	}
	defer stop()
	var entries strings.Builder
	fmt.Fprintf(&entries, "    \"user:%s\" = [\"read/space\", \"administer/space\"]\n", person(-1))
	for p := 0; p < principals; p++ {
		fmt.Fprintf(&entries, "    \"user:%s\" = [%s]\n", person(p), `"`+strings.Join(grantOperations, `", "`)+`"`)
	}
	config := b.providerBlock(deployment) + `
resource "confluence_space_permissions" "space" {
  space_key = "SP01"
  grants = {
` + entries.String() + `  }
}
`
	if err := b.w.WriteFile("main.tf", config); err != nil {
		return apply, plan, err
	}
	// The formula is Cloud's, one write per grant: Data Center's bulk and
	// remote API writes, and its username lookups, are not counted so.
	cloud, writes := deployment == "cloud", principals*len(grantOperations)
	var planOut Budget
	if cloud {
		planOut = planBudget(work{})
	}
	apply, err = b.applyReviewed(ctx, cfg, fmt.Sprintf("apply one space: %d principals x %d operations", principals, len(grantOperations)), 1, planOut)
	if cloud {
		apply.Budget = applyBudget(work{writes: writes, reads: []int{seededGrants}, unknownKeys: 1})
	}
	if err != nil {
		return apply, plan, err
	}
	plan, err = b.measure("plan it again (no changes)", 1, cfg.Latency, b.expectEmptyPlan(ctx))
	if cloud {
		plan.Budget = planBudget(work{reads: []int{seededGrants + writes}})
	}
	return apply, plan, err
}
