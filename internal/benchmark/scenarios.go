package benchmark

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// Config sets the size and latency of the benchmarks.
type Config struct {
	Dir         string        // where Terraform working directories go
	Latency     time.Duration // per request, like a real site (20ms)
	Parallelism int           // terraform -parallelism
}

// grantOperations are the five operations each person gets in each space.
var grantOperations = []string{"read/space", "create/page", "create/comment", "create/attachment", "export/space"}

// SingleGrants measures 1,000 confluence_space_permission resources over
// 20 spaces (10 people × 5 operations per space): the first apply, then a
// plan with nothing to change, which is the scheduled drift check.
func SingleGrants(ctx context.Context, cfg Config) (apply, plan, planNoRefresh Measurement, err error) {
	const spaces, peoplePerSpace = 20, 10
	dir, err := tempDir(cfg.Dir, "single-grants")
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	b, stop, err := newBench(ctx, dir, siteSeed(spaces, spaces*peoplePerSpace), confluencesim.Options{Flavour: confluencesim.Cloud})
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	defer stop()

	var grants strings.Builder
	for s := 1; s <= spaces; s++ {
		for p := 0; p < peoplePerSpace; p++ {
			person := (s-1)*peoplePerSpace + p
			for _, op := range grantOperations {
				fmt.Fprintf(&grants, "    %q = { space = %q, account = %q, operation = %q }\n",
					fmt.Sprintf("%s/%d/%s", spaceKey(s), person, op), spaceKey(s), accountID(person), op)
			}
		}
	}
	config := b.providerBlock("cloud") + `
locals {
  grants = {
` + grants.String() + `  }
}

resource "confluence_space_permission" "grant" {
  for_each  = local.grants
  space_key = each.value.space
  principal = { type = "user", id = each.value.account }
  operation = each.value.operation
}
`
	if err := b.w.WriteFile("main.tf", config); err != nil {
		return apply, plan, planNoRefresh, err
	}
	apply, err = b.measure("apply 1,000 grants", spaces, cfg.Latency, func() error { return b.w.Apply(ctx, cfg.Parallelism) })
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	plan, err = b.measure("plan 1,000 grants (refresh, no changes)", spaces, cfg.Latency, b.expectEmptyPlan(ctx))
	if err != nil {
		return apply, plan, planNoRefresh, err
	}
	planNoRefresh, err = b.measure("the same plan with -refresh=false", spaces, cfg.Latency, b.expectEmptyPlan(ctx, tfexec.Refresh(false)))
	return apply, plan, planNoRefresh, err
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
	dir, err := tempDir(cfg.Dir, "terraform-alone")
	if err != nil {
		return Measurement{}, err
	}
	b, stop, err := newBench(ctx, dir, siteSeed(1, 0), confluencesim.Options{Flavour: confluencesim.Cloud})
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
	dir, err := tempDir(cfg.Dir, "whole-space-"+deployment)
	if err != nil {
		return apply, plan, err
	}
	options, person := confluencesim.Options{Flavour: confluencesim.Cloud}, CloudPerson
	switch deployment {
	case "rest":
		options, person = confluencesim.Options{Flavour: confluencesim.DataCenter, DCVersion: "9.2.1"}, DataCenterPerson
	case "rpc":
		options, person = confluencesim.Options{Flavour: confluencesim.DataCenter, DCVersion: "8.5.16", RemoteAPI: true}, DataCenterPerson
	}
	b, stop, err := newBench(ctx, dir, siteSeed(1, principals), options)
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
	apply, err = b.measure(fmt.Sprintf("apply one space: %d principals x %d operations", principals, len(grantOperations)), 1, cfg.Latency,
		func() error { return b.w.Apply(ctx, cfg.Parallelism) })
	if err != nil {
		return apply, plan, err
	}
	plan, err = b.measure("plan it again (no changes)", 1, cfg.Latency, b.expectEmptyPlan(ctx))
	return apply, plan, err
}
