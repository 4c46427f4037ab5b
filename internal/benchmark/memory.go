package benchmark

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// providerBinary is the name Terraform's dev_overrides look for in a
// provider directory.
const providerBinary = "terraform-provider-confluence"

// BuildProvider builds the provider binary into dir, once per `make bench`,
// and returns dir for Config.ProviderDir. The repository's root is found by
// asking go list for the main module of this command, so it works from any
// directory inside the repository.
func BuildProvider(ctx context.Context, dir string) (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Path == "" {
		return "", errors.New("cannot tell which module this command was built from: run it with go run inside the repository")
	}
	out, err := exec.CommandContext(ctx, "go", "list", "-f", "{{.Dir}}", info.Main.Path).Output()
	if err != nil {
		return "", fmt.Errorf("finding the root of %s: %w", info.Main.Path, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(abs, providerBinary), ".")
	build.Dir = strings.TrimSpace(string(out))
	if msg, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, msg)
	}
	return abs, nil
}

// samplePeriod is how often watchPeak looks at the provider's memory.
const samplePeriod = 50 * time.Millisecond

// watchPeak polls, every samplePeriod until the returned function is
// called, the peak resident memory (VmHWM) of every running process whose
// executable is exe; that function returns the largest, in MB. Terraform
// starts a provider process per phase (validate, plan, apply), so this is
// the peak of the hungriest one. A process's growth in its last 50 ms before
// it exits is missed: VmHWM can only be read while the process lives. With
// exe "" (a provider served in-process, whose memory is this process's) the
// answer is NaN.
func watchPeak(exe string) (stop func() float64) {
	if exe == "" {
		return func() float64 { return math.NaN() }
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved // /proc/<pid>/exe names the file itself
	}
	return watchMax(func() float64 { return peakOf(exe) })
}

// watchMax calls sample every samplePeriod until the returned function is
// called, which returns the largest sample.
func watchMax(sample func() float64) (stop func() float64) {
	done, result := make(chan struct{}), make(chan float64)
	go func() {
		tick := time.NewTicker(samplePeriod)
		defer tick.Stop()
		peak := 0.0
		for {
			peak = max(peak, sample())
			select {
			case <-tick.C:
			case <-done:
				result <- peak
				return
			}
		}
	}()
	return func() float64 { close(done); return <-result }
}

// peakOf is the largest VmHWM of the running processes of exe, in MB.
func peakOf(exe string) float64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	peak := 0.0
	for _, e := range entries {
		pid := e.Name()
		if pid[0] < '0' || pid[0] > '9' {
			continue
		}
		// Other users' processes, and ones that just exited, fail to read:
		// none of them is ours.
		if target, err := os.Readlink("/proc/" + pid + "/exe"); err == nil && target == exe {
			peak = max(peak, vmHWM("/proc/"+pid+"/status"))
		}
	}
	return peak
}
