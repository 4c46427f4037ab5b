// Command bench prints how many requests, seconds and megabytes the
// provider needs for typical plans and applies, against the simulator with
// 20 ms of latency per request (`make bench`).
package main

import (
	"context"
	"flag"
	"fmt"
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
	cfg := benchmark.Config{Dir: dir, Latency: *latency, Parallelism: *parallelism}
	ctx := context.Background()

	fmt.Printf("Benchmarks against internal/confluencesim with %v per request, terraform -parallelism=%d\n", cfg.Latency, cfg.Parallelism)

	if section("1,000 confluence_space_permission over 20 spaces (Cloud)", *only) {
		singleGrants(ctx, cfg)
	}
	if section("confluence_space_permissions, 200 principals x 5 operations in one space", *only) {
		wholeSpace(ctx, cfg)
	}

	fmt.Printf("\nMemory\n")
	fmt.Printf("  peak RSS of provider + simulator (this process): %.0f MB; Go heap in use at the end: %.0f MB\n",
		benchmark.PeakRSS(), benchmark.HeapMB())
}

func singleGrants(ctx context.Context, cfg benchmark.Config) {
	alone, err := benchmark.TerraformAlone(ctx, cfg)
	check(err)
	apply, plan, planNoRefresh, err := benchmark.SingleGrants(ctx, cfg)
	check(err)
	row(plan)
	fmt.Printf("      requests per space: %.1f (goal: about 1; the best public Cloud provider needs 3,000 requests and 11 s here)\n", plan.RequestsPerSpace())
	fmt.Printf("      Terraform's own time: %.1f s for the same plan with -refresh=false (%d requests), %.1f s for 1,000 terraform_data\n",
		planNoRefresh.Seconds, planNoRefresh.Requests, alone.Seconds)
	fmt.Print(plan.Routes())
	row(apply)
	fmt.Printf("      grant creations: %d POST; grant reads: %d\n", apply.Count("POST", "/permission"), apply.Count("GET", "/permissions"))

}

func wholeSpace(ctx context.Context, cfg benchmark.Config) {
	for _, d := range []struct{ name, deployment string }{
		{"Cloud", "cloud"}, {"Data Center 9.2 REST", "rest"}, {"Data Center 8.5 remote API", "rpc"},
	} {
		apply, plan, err := benchmark.WholeSpace(ctx, cfg, d.deployment)
		check(err)
		fmt.Printf("  %s\n", d.name)
		row(apply)
		fmt.Printf("      write calls: %d for 1,000 grants changed (%d principals)\n", apply.Writes(), 200)
		row(plan)
		fmt.Print(plan.Routes())
	}
}

// section prints a title and reports whether to run it.
func section(title, only string) bool {
	if !strings.Contains(title, only) {
		return false
	}
	fmt.Printf("\n%s\n", title)
	return true
}

func row(m benchmark.Measurement) {
	fmt.Printf("  %-52s %6d requests  %6.2f s\n", m.Name, m.Requests, m.Seconds)
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
