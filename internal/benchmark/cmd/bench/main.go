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
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/benchmark"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

func main() {
	latency := flag.Duration("latency", 20*time.Millisecond, "simulated latency of every request")
	parallelism := flag.Int("parallelism", 10, "terraform -parallelism")
	flag.Parse()

	dir, err := filepath.Abs(".bench")
	if err != nil {
		fail(err)
	}
	_ = os.RemoveAll(dir)
	cfg := benchmark.Config{Dir: dir, Latency: *latency, Parallelism: *parallelism}
	ctx := context.Background()

	fmt.Printf("Benchmarks against internal/confluencesim with %v per request, terraform -parallelism=%d\n", cfg.Latency, cfg.Parallelism)

	alone, err := benchmark.TerraformAlone(ctx, cfg)
	check(err)
	apply, plan, err := benchmark.SingleGrants(ctx, cfg)
	check(err)
	section("1,000 confluence_space_permission over 20 spaces (Cloud)")
	row(plan)
	fmt.Printf("      requests per space: %.1f (goal: about 1; the best public Cloud provider needs 3,000 requests and 11 s here)\n", plan.RequestsPerSpace())
	fmt.Printf("      Terraform alone, 1,000 terraform_data: %.1f s\n", alone.Seconds)
	fmt.Print(plan.Routes())
	row(apply)
	fmt.Printf("      grant creations: %d POST; grant reads: %d\n", apply.Count("POST", "/permission"), apply.Count("GET", "/permissions"))

	cloudApply, cloudPlan, err := benchmark.WholeSpace(ctx, cfg, confluencesim.Cloud, confluencesim.Options{}, "cloud", benchmark.CloudPerson)
	check(err)
	section("confluence_space_permissions, 200 principals x 5 operations in one space (Cloud)")
	row(cloudApply)
	fmt.Printf("      writes: %d POST + %d DELETE for 1,000 grants changed; grant list reads: %d\n",
		cloudApply.Count("POST", "/permission"), cloudApply.Count("DELETE", "/permission"), cloudApply.Count("GET", "/permissions"))
	row(cloudPlan)
	fmt.Print(cloudPlan.Routes())

	self, children := benchmark.MaxRSS()
	section("Memory")
	fmt.Printf("  peak RSS of provider + simulator (this process): %.0f MB; of the largest terraform process: %.0f MB\n", self, children)
}

func section(title string) { fmt.Printf("\n%s\n", title) }

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
