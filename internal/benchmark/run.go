package benchmark

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/provider"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// Measurement is one timed terraform command.
type Measurement struct {
	Name     string
	Seconds  float64
	Requests int
	ByRoute  map[string]int
	// Spaces is the number of spaces the configuration touches, for
	// requests per space.
	Spaces int
	// Throttled is how many requests the site answered 429.
	Throttled int
	// PeakMB is the peak resident memory of the provider process, NaN when
	// the provider ran inside this process (see watchPeak).
	PeakMB float64
	// Budget is what the API allows the run; zero when no formula applies.
	Budget Budget
	// HeapOnly says PeakMB is the Go heap of this process, provider and
	// simulator, not the provider process's resident memory: the provider
	// was driven over the protocol in-process (see protocol.go).
	HeapOnly bool
	// PlanOut is the terraform plan -out this apply applied, nil for a
	// one-command terraform apply (see applyReviewed).
	PlanOut *Measurement
}

// Within reports whether the requests stayed within the must-show bound.
func (m Measurement) Within() bool { return m.Requests <= m.Budget.Bound }

// RequestsPerSpace is Requests / Spaces.
func (m Measurement) RequestsPerSpace() float64 {
	if m.Spaces == 0 {
		return 0
	}
	return float64(m.Requests) / float64(m.Spaces)
}

// Count returns the requests of routes whose key contains all of parts.
func (m Measurement) Count(parts ...string) int {
	n := 0
	for route, c := range m.ByRoute {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(route, p)
		}
		if all {
			n += c
		}
	}
	return n
}

// Writes counts the requests that change grants: Cloud's POST and DELETE,
// Data Center's PUT grant/revoke and bulk POST, and remote API changes.
func (m Measurement) Writes() int {
	n := 0
	for route, c := range m.ByRoute {
		method, path, _ := strings.Cut(route, " ")
		switch {
		case strings.Contains(path, "json-rpc"):
			if strings.Contains(path, "PermissionToSpace") || strings.Contains(path, "PermissionsToSpace") || strings.Contains(path, "PermissionFromSpace") {
				n += c
			}
		case strings.Contains(path, "/permission") && method != "GET":
			n += c
		}
	}
	return n
}

// Routes renders the per-route counts, busiest first.
func (m Measurement) Routes() string {
	type rc struct {
		route string
		n     int
	}
	var list []rc
	for r, n := range m.ByRoute {
		list = append(list, rc{r, n})
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].n > list[j].n || list[i].n == list[j].n && list[i].route < list[j].route
	})
	var b strings.Builder
	for _, x := range list {
		fmt.Fprintf(&b, "      %6d  %s\n", x.n, x.route)
	}
	return b.String()
}

// bench is one simulated site with a Terraform workspace pointed at it.
type bench struct {
	sim *confluencesim.Server
	url string
	w   *tfrun.Workspace
	exe string // the provider binary Terraform runs; "" when served in-process
}

// newBench starts a simulated site and a workspace for it. Terraform runs
// the provider binary in cfg.ProviderDir, its own process, so that its
// memory can be measured; inProcess, when set, serves the provider from this
// process with those options instead (the only way to pass them).
func newBench(ctx context.Context, cfg Config, name string, seed confluencesim.Seed, opts confluencesim.Options, inProcess *provider.Options) (*bench, func(), error) {
	dir, err := tempDir(cfg.Dir, name)
	if err != nil {
		return nil, nil, err
	}
	sim, url, closeSite, err := startSite(seed, opts)
	if err != nil {
		return nil, nil, err
	}
	w, err := tfrun.NewWorkspace(dir)
	if err != nil {
		closeSite()
		return nil, nil, err
	}
	b := &bench{sim: sim, url: url, w: w}
	ctx, cancel := context.WithCancel(ctx)
	stop := func() { cancel(); closeSite() }
	if inProcess != nil {
		err = w.ServeInProcess(ctx, providerserver.NewProtocol6(provider.NewWith("bench", *inProcess)()))
	} else {
		b.exe = filepath.Join(cfg.ProviderDir, providerBinary)
		err = w.UseBinary(cfg.ProviderDir)
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	return b, stop, nil
}

// providerBlock configures the provider for the bench site: deployment is
// "cloud", "rest" or "rpc" (Data Center with that API).
func (b *bench) providerBlock(deployment string) string {
	login, settings := adminEmail, `deployment = "cloud"`
	if deployment != "cloud" {
		login = adminUsername
		settings = fmt.Sprintf("deployment = \"datacenter\"\n  data_center_api = %q", deployment)
	}
	return fmt.Sprintf(`
terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

provider "confluence" {
  url       = %q
  user      = %q
  api_token = %q
  %s
}
`, b.url, login, adminToken, settings)
}

// measure runs fn with the simulator's counters reset, the clock running
// and the provider's memory watched.
func (b *bench) measure(name string, spaces int, latency time.Duration, fn func() error) (Measurement, error) {
	m, err := clock(b.sim, latency, name, spaces, watchPeak(b.exe), fn)
	if err != nil {
		_, stderr := b.w.Output()
		return m, fmt.Errorf("%s: %w\n%s", name, err, stderr)
	}
	return m, nil
}

// startSite serves a simulated site over HTTP.
func startSite(seed confluencesim.Seed, opts confluencesim.Options) (sim *confluencesim.Server, url string, stop func(), err error) {
	sim, err = confluencesim.New(seed, opts)
	if err != nil {
		return nil, "", nil, err
	}
	srv := httptest.NewServer(sim)
	return sim, srv.URL, srv.Close, nil
}

// clock runs fn with the site's latency set and its counters reset, and
// measures it; watch is the memory sampler already started, stopped when fn
// returns.
func clock(sim *confluencesim.Server, latency time.Duration, name string, spaces int, watch func() float64, fn func() error) (Measurement, error) {
	sim.SetLatency(latency)
	sim.ResetRequestCounts()
	start := time.Now()
	err := fn()
	return Measurement{Name: name, Seconds: time.Since(start).Seconds(), Requests: sim.TotalRequests(), ByRoute: sim.RequestCounts(),
		Spaces: spaces, Throttled: sim.Throttled(), PeakMB: watch()}, err
}

// applyReviewed measures an apply as a pipeline runs one: terraform plan
// -out, then terraform apply of that plan. It returns the apply, holding
// the plan in PlanOut with the plan's budget. Each command runs its own
// provider process, and what the plan's process learned (the site's role
// mode, the spaces' ids) does not reach the apply's: Terraform plans every
// change again in the apply's process and drops the private data of the
// first plan (a way to forward it, behind a client capability, came with
// hashicorp/terraform#37986). A one-command terraform apply makes the same
// two walks in two processes and costs the sum.
func (b *bench) applyReviewed(ctx context.Context, cfg Config, name string, spaces int, planBudget Budget) (Measurement, error) {
	var file string
	plan, err := b.measure("its terraform plan -out", spaces, cfg.Latency, func() (err error) {
		file, err = b.w.SavePlan(ctx, cfg.Parallelism)
		return err
	})
	plan.Budget = planBudget
	if err != nil {
		return plan, err
	}
	apply, err := b.measure(name, spaces, cfg.Latency, func() error {
		return b.w.Apply(ctx, cfg.Parallelism, tfexec.DirOrPlan(file))
	})
	apply.PlanOut = &plan
	return apply, err
}

// PeakRSS returns the peak resident memory of this process, in MB: the
// simulator, and the provider where it was served in-process. Terraform's
// own processes are not counted: getrusage's figure for children is useless
// here, since a child started with clone(CLONE_VM) inherits this process's
// high-water mark.
func PeakRSS() float64 { return vmHWM("/proc/self/status") }

// vmHWM reads the peak resident memory (VmHWM) from a /proc status file, in
// MB; 0 when it cannot (the process is gone).
func vmHWM(status string) float64 {
	data, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%f kB", &kb); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// HeapMB is the Go heap in use now, in MB.
func HeapMB() float64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

func tempDir(parent, name string) (string, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(parent, name+"-")
}
