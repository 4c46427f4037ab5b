package benchmark

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/parallel"
	"github.com/spacekeeper/terraform-provider-confluence/internal/provider"
	"github.com/spacekeeper/terraform-provider-confluence/internal/testutil/tfvalue"
)

// Terraform 1.11 on two cores had not applied 10,000 resources of one
// configuration after 25 minutes, nearly all of the time spent in
// Terraform's own process (32 min of its CPU against 75 s of the
// provider's),
// and its cost per resource grows with their number. The rows of 5,000 and
// 10,000 resources therefore speak the plugin protocol to the provider's
// server themselves, the calls Terraform makes in the order it makes them,
// with -parallelism resources at a time and a new server for each command
// (Terraform starts a provider process per command): the requests and the
// provider's seconds are the provider's, without Terraform's.

// protoRun is one Terraform command's provider: a server configured for the
// site, as terraform plan or apply would start it.
type protoRun struct {
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func startProtoRun(ctx context.Context, url string, opts provider.Options) (*protoRun, error) {
	server, err := providerserver.NewProtocol6WithError(provider.NewWith("bench", opts)())()
	if err != nil {
		return nil, err
	}
	r := &protoRun{server: server}
	if r.schemas, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		return nil, err
	}
	if err := diagnosticsError("GetProviderSchema", r.schemas.Diagnostics); err != nil {
		return nil, err
	}
	config, err := tfvalue.Dynamic(r.schemas.Provider.ValueType(), map[string]any{
		"url": url, "user": adminEmail, "api_token": adminToken, "deployment": "cloud",
	})
	if err != nil {
		return nil, err
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.0", Config: config})
	if err != nil {
		return nil, err
	}
	return r, diagnosticsError("ConfigureProvider", resp.Diagnostics)
}

// instance is one resource instance: its configuration, and what the last
// apply or refresh left in state.
type instance struct {
	config     map[string]any
	stateValue *tfprotov6.DynamicValue // nil before the first apply
	private    []byte
}

// values are what a plan of inst sends: its configuration, and its prior
// state (null before the first apply).
func (r *protoRun) values(typeName string, inst *instance) (config, prior *tfprotov6.DynamicValue, err error) {
	typ := r.schemas.ResourceSchemas[typeName].ValueType()
	if config, err = tfvalue.Dynamic(typ, inst.config); err != nil {
		return nil, nil, err
	}
	if prior = inst.stateValue; prior == nil {
		prior, err = tfvalue.Dynamic(typ, nil)
	}
	return config, prior, err
}

// plan is PlanResourceChange for inst: a creation when it has no state.
func (r *protoRun) plan(ctx context.Context, typeName string, inst *instance) (*tfprotov6.PlanResourceChangeResponse, error) {
	config, prior, err := r.values(typeName, inst)
	if err != nil {
		return nil, err
	}
	proposed := config
	if inst.stateValue != nil {
		proposed = prior // nothing changed in the configuration
	}
	resp, err := r.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: prior, ProposedNewState: proposed, Config: config, PriorPrivate: inst.private,
	})
	if err != nil {
		return nil, err
	}
	return resp, diagnosticsError("PlanResourceChange", resp.Diagnostics)
}

// create plans inst again and applies it, as terraform apply does.
func (r *protoRun) create(ctx context.Context, typeName string, inst *instance) error {
	planned, err := r.plan(ctx, typeName, inst)
	if err != nil {
		return err
	}
	config, prior, err := r.values(typeName, inst)
	if err != nil {
		return err
	}
	resp, err := r.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: prior, PlannedState: planned.PlannedState, Config: config, PlannedPrivate: planned.PlannedPrivate,
	})
	if err != nil {
		return err
	}
	if err := diagnosticsError("ApplyResourceChange", resp.Diagnostics); err != nil {
		return err
	}
	inst.stateValue, inst.private = resp.NewState, resp.Private
	return nil
}

// refresh reads inst and plans it, as terraform plan does; an instance
// whose plan would change something is an error.
func (r *protoRun) refresh(ctx context.Context, typeName string, inst *instance) error {
	resp, err := r.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: inst.stateValue, Private: inst.private})
	if err != nil {
		return err
	}
	if err := diagnosticsError("ReadResource", resp.Diagnostics); err != nil {
		return err
	}
	inst.stateValue, inst.private = resp.NewState, resp.Private
	planned, err := r.plan(ctx, typeName, inst)
	if err != nil {
		return err
	}
	typ := r.schemas.ResourceSchemas[typeName].ValueType()
	before, err := inst.stateValue.Unmarshal(typ)
	if err != nil {
		return err
	}
	after, err := planned.PlannedState.Unmarshal(typ)
	if err != nil {
		return err
	}
	if !before.Equal(after) || len(planned.RequiresReplace) > 0 {
		return fmt.Errorf("%s %v: the plan would change it", typeName, inst.config)
	}
	return nil
}

// readDataSource is ReadDataSource, returning the data source's value.
func (r *protoRun) readDataSource(ctx context.Context, typeName string, config map[string]any) (tftypes.Value, error) {
	typ := r.schemas.DataSourceSchemas[typeName].ValueType()
	dv, err := tfvalue.Dynamic(typ, config)
	if err != nil {
		return tftypes.Value{}, err
	}
	resp, err := r.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: dv})
	if err != nil {
		return tftypes.Value{}, err
	}
	if err := diagnosticsError("ReadDataSource", resp.Diagnostics); err != nil {
		return tftypes.Value{}, err
	}
	return resp.State.Unmarshal(typ)
}

// each calls fn for every instance, parallelism at a time, and returns the
// errors.
func each(parallelism int, instances []*instance, fn func(*instance) error) error {
	var (
		mu    sync.Mutex
		first error
	)
	parallel.Do(parallelism, len(instances), func(k int) bool {
		if err := fn(instances[k]); err != nil {
			mu.Lock()
			first = errors.Join(first, err)
			mu.Unlock()
		}
		return true
	})
	return first
}

func diagnosticsError(rpc string, diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s: %s", rpc, d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

// protoBench is a simulated site and the protocol commands run against it.
type protoBench struct {
	sim      *confluencesim.Server
	url      string
	cfg      Config
	provider provider.Options
}

func newProtoBench(cfg Config, seed confluencesim.Seed, opts confluencesim.Options) (*protoBench, func(), error) {
	opts.Flavour = confluencesim.Cloud
	sim, url, stop, err := startSite(seed, opts)
	if err != nil {
		return nil, nil, err
	}
	return &protoBench{sim: sim, url: url, cfg: cfg}, stop, nil
}

// command measures one Terraform command's provider work: a new server,
// then fn with it. PeakMB is the Go heap of this process (provider and
// simulator) at its highest, sampled every 50 ms.
func (b *protoBench) command(ctx context.Context, name string, spaces int, fn func(*protoRun) error) (Measurement, error) {
	runtime.GC() // what earlier rows left behind is not this command's
	m, err := clock(b.sim, b.cfg.Latency, name, spaces, watchHeap(), func() error {
		run, err := startProtoRun(ctx, b.url, b.provider)
		if err != nil {
			return err
		}
		return fn(run)
	})
	m.HeapOnly = true
	if err != nil {
		return m, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// watchHeap samples this process's Go heap in use, in MB; see watchMax.
func watchHeap() (stop func() float64) {
	return watchMax(func() float64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapInuse) / (1 << 20)
	})
}

// applyAndPlan measures what a pipeline's commands ask of the provider for
// instances of typeName: terraform plan -out (creations planned), terraform
// apply of that plan (planned again and applied), then the scheduled
// terraform plan with nothing to change (each read and planned). listed,
// when set, is read by each plan first, as a data source the configuration
// takes its spaces from (and may fill instances from).
func (b *protoBench) applyAndPlan(ctx context.Context, typeName, name string, spaces int, instances *[]*instance, listed func(context.Context, *protoRun) error) (apply, plan Measurement, err error) {
	p := b.cfg.Parallelism
	planOut, err := b.command(ctx, "its terraform plan -out", spaces, func(r *protoRun) error {
		if listed != nil {
			if err := listed(ctx, r); err != nil {
				return err
			}
		}
		return each(p, *instances, func(inst *instance) error { _, err := r.plan(ctx, typeName, inst); return err })
	})
	if err != nil {
		return Measurement{PlanOut: &planOut}, plan, err
	}
	apply, err = b.command(ctx, "apply "+name, spaces, func(r *protoRun) error {
		return each(p, *instances, func(inst *instance) error { return r.create(ctx, typeName, inst) })
	})
	apply.PlanOut = &planOut
	if err != nil {
		return apply, plan, err
	}
	plan, err = b.command(ctx, "plan "+name+" (refresh, no changes)", spaces, func(r *protoRun) error {
		if listed != nil {
			if err := listed(ctx, r); err != nil {
				return err
			}
		}
		return each(p, *instances, func(inst *instance) error { return r.refresh(ctx, typeName, inst) })
	})
	return apply, plan, err
}

// ManyGrantsOverProtocol measures spaces × 10 people × 5 operations
// confluence_space_permission (10,000 over 200 spaces) over the protocol.
func ManyGrantsOverProtocol(ctx context.Context, cfg Config, spaces int) (apply, plan Measurement, err error) {
	const peoplePerSpace = 10
	b, stop, err := newProtoBench(cfg, siteSeed(spaces, spaces*peoplePerSpace), confluencesim.Options{})
	if err != nil {
		return apply, plan, err
	}
	defer stop()
	instances := grantInstances(spaces, peoplePerSpace)
	grants := len(instances)
	apply, plan, err = b.applyAndPlan(ctx, "confluence_space_permission", thousands(grants)+" grants", spaces, &instances, nil)
	apply.PlanOut.Budget = planBudget(work{})
	apply.Budget = applyBudget(work{writes: grants, reads: repeat(spaces, seededGrants), unknownKeys: spaces})
	plan.Budget = planBudget(work{reads: repeat(spaces, seededGrants+peoplePerSpace*len(grantOperations))})
	return apply, plan, err
}

// EverySpaceOverProtocol measures one confluence_space_permission_set per
// space, the spaces read from a confluence_spaces data source, over the
// protocol (EverySpace with Terraform).
func EverySpaceOverProtocol(ctx context.Context, cfg Config, spaces int) (apply, plan Measurement, err error) {
	operations := []string{"read/space", "create/page"}
	b, stop, err := newProtoBench(cfg, siteSeed(spaces, 1), confluencesim.Options{})
	if err != nil {
		return apply, plan, err
	}
	defer stop()
	var instances []*instance
	listed := func(ctx context.Context, r *protoRun) error {
		all, err := r.readDataSource(ctx, "confluence_spaces", map[string]any{})
		if err != nil {
			return err
		}
		var attrs map[string]tftypes.Value
		var keys []tftypes.Value
		if err := all.As(&attrs); err != nil {
			return err
		}
		if err := attrs["space_keys"].As(&keys); err != nil {
			return err
		}
		if instances != nil { // a later plan: the configuration has not changed
			return nil
		}
		for _, k := range keys {
			var key string
			if err := k.As(&key); err != nil {
				return err
			}
			instances = append(instances, &instance{config: map[string]any{
				"space_key": key, "operations": operations, "principal": map[string]any{"type": "user", "id": accountID(0)},
			}})
		}
		return nil
	}
	// The instances exist once the first plan has read the list.
	apply, plan, err = b.applyAndPlan(ctx, "confluence_space_permission_set", thousands(spaces)+" sets, one per space", spaces, &instances, listed)
	apply.PlanOut.Budget = planBudget(work{lists: []int{spaces}})
	apply.Budget = applyBudget(work{writes: spaces * len(operations), reads: repeat(spaces, seededGrants), unknownKeys: spaces})
	plan.Budget = planBudget(work{reads: repeat(spaces, seededGrants+len(operations)), lists: []int{spaces}})
	return apply, plan, err
}

// grantInstances are the single grants of SingleGrants' configuration:
// each of peoplePerSpace people gets grantOperations in each space.
func grantInstances(spaces, peoplePerSpace int) []*instance {
	var instances []*instance
	for s := 1; s <= spaces; s++ {
		for p := 0; p < peoplePerSpace; p++ {
			for _, op := range grantOperations {
				instances = append(instances, &instance{config: map[string]any{
					"space_key": spaceKey(s), "operation": op,
					"principal": map[string]any{"type": "user", "id": accountID((s-1)*peoplePerSpace + p)},
				}})
			}
		}
	}
	return instances
}

// RateLimitedOverProtocol is RateLimitedGrants over the protocol, where
// Terraform's own time does not hide the pace's: the apply of a saved plan
// of 2,000 grants against a site limited to perSecond requests a second,
// with the provider's shared pace or without it.
func RateLimitedOverProtocol(ctx context.Context, cfg Config, perSecond float64, paced bool) (Measurement, error) {
	const spaces, peoplePerSpace = 20, 20
	b, stop, err := newProtoBench(cfg, siteSeed(spaces, spaces*peoplePerSpace), confluencesim.Options{RateLimit: confluencesim.RateLimit{PerSecond: perSecond}})
	if err != nil {
		return Measurement{}, err
	}
	defer stop()
	b.provider.Unpaced = !paced
	name := "apply 2,000 grants, shared pace"
	if !paced {
		name = "apply 2,000 grants, without the shared pace"
	}
	instances := grantInstances(spaces, peoplePerSpace)
	m, err := b.command(ctx, name, spaces, func(r *protoRun) error {
		return each(cfg.Parallelism, instances, func(inst *instance) error { return r.create(ctx, "confluence_space_permission", inst) })
	})
	return m, err
}
