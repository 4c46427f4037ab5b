// Command bench prints how many requests, seconds and megabytes the
// provider needs for typical plans and applies, against the simulator with
// 20 ms of latency per request (`make bench`).
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/benchmark"
)

func main() {
	latency := flag.Duration("latency", 20*time.Millisecond, "simulated latency of every request")
	parallelism := flag.Int("parallelism", 10, "terraform -parallelism")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the provider and simulator to `FILE`")
	only := flag.String("only", "", "run only the benchmarks whose section title contains `TEXT`")
	flag.Parse()

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}

	dir, err := filepath.Abs(".bench")
	if err != nil {
		fail(err)
	}
	_ = os.RemoveAll(dir)
	// The provider runs as its own process, built once, so that its memory
	// is its own; the simulator stays here and counts every request.
	ctx := context.Background()
	providerDir, err := benchmark.BuildProvider(ctx, filepath.Join(dir, "provider"))
	check(err)
	cfg := benchmark.Config{Dir: dir, Latency: *latency, Parallelism: *parallelism, ProviderDir: providerDir}

	fmt.Printf("Benchmarks against internal/confluencesim with %v per request, terraform -parallelism=%d\n", cfg.Latency, cfg.Parallelism)
	fmt.Printf("Each row: requests, seconds, peak RSS of the provider process, the API minimum and the bound it must show\n" +
		"(plan: minimum + 1; apply: minimum + 2), ok or FAIL; per-route counts follow a FAIL.\n")

	var legacy *benchmark.Measurement // the Cloud apply of confluence_space_permissions, beside the roles row
	if section("1,000 confluence_space_permission over 20 spaces (Cloud)", *only) {
		singleGrants(ctx, cfg)
	}
	if section("confluence_space_permissions, 200 principals x 5 operations in one space", *only) {
		legacy = wholeSpace(ctx, cfg)
	}
	if section("1,000 spaces, one confluence_space_permission_set each, from data.confluence_spaces (Cloud)", *only) {
		everySpace(ctx, cfg, 1000)
	}
	// Terraform's own time for 5,000 and 10,000 resources is beyond a bench
	// run (see internal/benchmark/protocol.go): those rows drive the
	// provider over the plugin protocol, checked first against Terraform on
	// the 1,000-space row.
	if section("The same 1,000 spaces driven over the plugin protocol, without Terraform (Cloud)", *only) {
		overProtocol(benchmark.EverySpaceOverProtocol(ctx, cfg, 1000))
	}
	if section("10,000 confluence_space_permission over 200 spaces, over the plugin protocol (Cloud)", *only) {
		overProtocol(benchmark.ManyGrantsOverProtocol(ctx, cfg, 200))
	}
	if section("5,000 spaces, one confluence_space_permission_set each, from data.confluence_spaces, over the plugin protocol (Cloud)", *only) {
		overProtocol(benchmark.EverySpaceOverProtocol(ctx, cfg, 5000))
	}
	if section("2,000 confluence_space_permission against a site limited to 50 requests/s (Cloud)", *only) {
		rateLimited(ctx, cfg, 50)
	}
	if section("Space roles: confluence_space_role_assignments, 200 principals in one space (Cloud, roles only)", *only) {
		roles(ctx, cfg, legacy)
	}

	fmt.Printf("\nMemory\n")
	fmt.Printf("  peak RSS of this process (the simulator, and the provider where served in-process): %.0f MB; Go heap in use at the end: %.0f MB\n",
		benchmark.PeakRSS(), benchmark.HeapMB())
	fmt.Printf("  the provider's own is sampled every 50 ms from /proc/<pid>/status (VmHWM) of its processes, the largest kept;\n" +
		"  growth in a process's last 50 ms is missed. Rows marked heap drove the provider in-process over the protocol:\n" +
		"  their figure is the peak Go heap in use of this process, provider and simulator together\n")
}

func singleGrants(ctx context.Context, cfg benchmark.Config) {
	alone, err := benchmark.TerraformAlone(ctx, cfg)
	check(err)
	apply, plan, planNoRefresh, err := benchmark.SingleGrants(ctx, cfg, 20, benchmark.ForEach)
	check(err)
	row(plan, true)
	fmt.Printf("      requests per space: %.1f (goal: about 1; the best public Cloud provider needs 3,000 requests and 11 s here)\n", plan.RequestsPerSpace())
	fmt.Printf("      Terraform's own time: %.1f s for the same plan with -refresh=false (%d requests), %.1f s for 1,000 terraform_data\n",
		planNoRefresh.Seconds, planNoRefresh.Requests, alone.Seconds)
	row(apply, false)
	fmt.Printf("      grant creations: %d POST; grant reads: %d\n", apply.Count("POST", "/permission"), apply.Count("GET", "/permissions"))
}

// wholeSpace returns the Cloud apply, for the roles section to compare.
func wholeSpace(ctx context.Context, cfg benchmark.Config) *benchmark.Measurement {
	var cloud *benchmark.Measurement
	for _, d := range []struct{ name, deployment string }{
		{"Cloud", "cloud"}, {"Data Center 9.2 REST", "rest"}, {"Data Center 8.5 remote API", "rpc"},
	} {
		apply, plan, err := benchmark.WholeSpace(ctx, cfg, d.deployment)
		check(err)
		fmt.Printf("  %s\n", d.name)
		row(apply, false)
		fmt.Printf("      write calls: %d for 1,000 grants changed (%d principals)\n", apply.Writes(), 200)
		row(plan, true)
		if d.deployment == "cloud" {
			cloud = &apply
		}
	}
	return cloud
}

func everySpace(ctx context.Context, cfg benchmark.Config, spaces int) {
	apply, plan, err := benchmark.EverySpace(ctx, cfg, spaces)
	check(err)
	row(apply, false)
	row(plan, false)
}

func overProtocol(apply, plan benchmark.Measurement, err error) {
	check(err)
	row(apply, false)
	row(plan, false)
}

// rateLimited prints the apply with and without the shared pace, and the
// two checks the pace must pass: few 429s, and a wall time close to what
// the limit allows for the requests that got through (a 429 draws no
// token). Through Terraform first, after the same apply without a limit,
// since Terraform's own time is part of every wall time there; then over
// the protocol, where the site's limit is the only clock.
func rateLimited(ctx context.Context, cfg benchmark.Config, perSecond float64) {
	free, err := benchmark.RateLimitedGrants(ctx, cfg, 0, true)
	check(err)
	row(free, false)
	for _, paced := range []bool{true, false} {
		m, err := benchmark.RateLimitedGrants(ctx, cfg, perSecond, paced)
		check(err)
		row(m, false)
		paceChecks(m, perSecond)
	}
	fmt.Printf("  over the plugin protocol, without Terraform:\n")
	for _, paced := range []bool{true, false} {
		m, err := benchmark.RateLimitedOverProtocol(ctx, cfg, perSecond, paced)
		check(err)
		row(m, false)
		paceChecks(m, perSecond)
	}
}

func paceChecks(m benchmark.Measurement, perSecond float64) {
	share := float64(m.Throttled) / float64(m.Requests)
	fmt.Printf("      429s answered: %d, %.1f%% of all requests (must show <= 5%%: %s)\n", m.Throttled, 100*share, verdict(share <= 0.05))
	limit := 1.2 * float64(m.Requests-m.Throttled) / perSecond
	fmt.Printf("      wall time %.1f s; 1.2 x (%d requests not answered 429 / %.0f per second) = %.1f s (must show wall time <= that: %s)\n",
		m.Seconds, m.Requests-m.Throttled, perSecond, limit, verdict(m.Seconds <= limit))
}

func roles(ctx context.Context, cfg benchmark.Config, legacy *benchmark.Measurement) {
	m, err := benchmark.RoleAssignments(ctx, cfg, 200)
	check(err)
	row(m, false)
	posts := m.Count("POST", "/role-assignments")
	fmt.Printf("      POST /role-assignments: %d (must be 1: %s)\n", posts, verdict(posts == 1))
	if legacy == nil { // its section did not run
		apply, _, err := benchmark.WholeSpace(ctx, cfg, "cloud")
		check(err)
		legacy = &apply
	}
	fmt.Printf("  the same 200 principals x 5 operations as legacy confluence_space_permissions, on a legacy-mode site:\n")
	row(*legacy, false)
}

// section prints a title and reports whether to run it.
func section(title, only string) bool {
	if !strings.Contains(title, only) {
		return false
	}
	fmt.Printf("\n%s\n", title)
	return true
}

// row prints a measurement and its budget; with routes, or when the bound
// is broken, its per-route counts too.
func row(m benchmark.Measurement, routes bool) {
	memory := "   n/a MB" // served in-process: its memory is this process's
	switch {
	case m.HeapOnly: // the Go heap of provider and simulator together
		memory = fmt.Sprintf("%6.0f MB heap", m.PeakMB)
	case !math.IsNaN(m.PeakMB):
		memory = fmt.Sprintf("%6.0f MB", m.PeakMB)
	}
	budget := "" // no formula for this deployment
	if m.Budget != (benchmark.Budget{}) {
		budget = fmt.Sprintf("  minimum %d, must show <= %d: %s", m.Budget.Minimum, m.Budget.Bound, verdict(m.Within()))
	}
	fmt.Printf("  %-52s %6d requests  %6.2f s  %s%s\n", m.Name, m.Requests, m.Seconds, memory, budget)
	if routes || budget != "" && !m.Within() {
		fmt.Print(m.Routes())
	}
	if p := m.PlanOut; p != nil {
		fmt.Printf("      applied from a terraform plan -out of %d requests, %.2f s", p.Requests, p.Seconds)
		if p.Budget != (benchmark.Budget{}) {
			fmt.Printf(" (minimum %d, must show <= %d: %s)", p.Budget.Minimum, p.Budget.Bound, verdict(p.Within()))
		}
		fmt.Printf("; as one terraform apply: %d requests\n", p.Requests+m.Requests)
		if p.Budget != (benchmark.Budget{}) && !p.Within() {
			fmt.Print(p.Routes())
		}
	}
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAIL"
}

func check(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
