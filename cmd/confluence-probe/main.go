// Command confluence-probe asks a real Confluence site the questions that
// the provider and its simulator answer from an incomplete public record,
// and prints a report to attach to a bug report:
//
//	CONFLUENCE_USER=me@example.com CONFLUENCE_API_TOKEN=... \
//	  go run ./cmd/confluence-probe -url https://example.atlassian.net -space DOCS
//
// It only reads, unless -write-space names a sandbox space. Run it with -h
// for every flag and check; contributing/probe.md explains the report.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
	"github.com/spacekeeper/terraform-provider-confluence/internal/probe"
)

// Exit statuses.
const (
	exitOK         = 0
	exitCheckFails = 1
	exitBadFlags   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usageHead = `usage: confluence-probe -url URL [-space KEY[,KEY...]]... [-write-space KEY]
                        [-deployment cloud|datacenter] [-format text|markdown|json]

Asks a Confluence site (Cloud or Data Center) the questions that the provider
and its simulator answer from an incomplete or contradictory public record,
and prints a report to attach to a bug report (see contributing/probe.md).
It only reads, unless -write-space names a sandbox space.

Credentials come from the same environment variables as the provider's, never
from flags:
  CONFLUENCE_USER and CONFLUENCE_API_TOKEN  basic authentication (Cloud: the
                                            account email and an API token;
                                            Data Center: username, password)
  CONFLUENCE_TOKEN                          a bearer token instead (OAuth
                                            access token, or a Data Center
                                            personal access token)
  CONFLUENCE_URL                            the site address, if -url is unset

The report never contains the token, the password or the Authorization
header; an address with a user or password in it is refused.

Flags:
`

const usageTail = `
Exit status: 0 when every check ran, whatever it found; 1 when a check could
not run (network, credentials, or a write check that could not restore its
space); 2 for bad flags or settings.

`

// spaceList is a repeatable, comma-separated -space flag.
type spaceList []string

func (s *spaceList) String() string { return strings.Join(*s, ",") }

func (s *spaceList) Set(v string) error {
	for _, k := range strings.Split(v, ",") {
		if k = strings.TrimSpace(k); k != "" {
			*s = append(*s, k)
		}
	}
	return nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("confluence-probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg        probe.Config
		spaces     spaceList
		deployment string
		format     string
		timeout    time.Duration
		verbose    bool
	)
	fs.StringVar(&cfg.URL, "url", "", "the site address: https://SITE.atlassian.net, https://api.atlassian.com/ex/confluence/CLOUD-ID,\nor a Data Center address with its context path (default $"+probe.EnvURL+")")
	fs.StringVar(&deployment, "deployment", "", "cloud or datacenter (default: inferred from the address as the provider does:\n*.atlassian.net and api.atlassian.com/ex/confluence/... are Cloud, anything else Data Center)")
	fs.Var(&spaces, "space", fmt.Sprintf("a space KEY the read checks look at; repeat the flag or separate keys with commas\n(default: the first %d global spaces the account can see)", probe.DefaultSpaceCount))
	fs.StringVar(&cfg.WriteSpace, "write-space", "", "enables the anonymous-write check on this one sandbox space KEY, and on no other:\nit grants anonymous read/space, removes it and restores the space (skipped if\nthe space already allows anonymous access)")
	fs.StringVar(&format, "format", "text", "report format: text, markdown (a table plus details) or json (stable, for issues)")
	fs.DurationVar(&timeout, "timeout", 10*time.Minute, "bound on the whole run (a write check still restores its space after it)")
	fs.BoolVar(&verbose, "v", false, "print each check's name on stderr as it starts")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageTail)
		fmt.Fprint(fs.Output(), probe.ChecksHelp())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadFlags
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "confluence-probe: unexpected argument %q (run with -h for usage)\n", fs.Arg(0))
		return exitBadFlags
	}
	f, err := probe.ParseFormat(format)
	if err != nil {
		fmt.Fprintln(stderr, "confluence-probe:", err)
		return exitBadFlags
	}
	switch d := permissions.Deployment(strings.ToLower(strings.TrimSpace(deployment))); d {
	case "", permissions.Cloud, permissions.DataCenter:
		cfg.Deployment = d
	default:
		fmt.Fprintf(stderr, "confluence-probe: -deployment %q is not cloud or datacenter\n", deployment)
		return exitBadFlags
	}
	cfg.Spaces = spaces
	cfg.FromEnv(getenv)
	cfg.Version = version()
	if verbose {
		cfg.Progress = stderr
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rep, err := probe.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "confluence-probe:", err)
		if probe.IsConfigError(err) {
			return exitBadFlags
		}
		return exitCheckFails
	}
	if err := probe.Render(stdout, rep, f); err != nil {
		fmt.Fprintln(stderr, "confluence-probe: writing the report:", err)
		return exitCheckFails
	}
	if rep.Failed() {
		fmt.Fprintln(stderr, "confluence-probe: some checks could not run; see the report")
		return exitCheckFails
	}
	return exitOK
}

// version is the module version when built from a tagged module, else the
// VCS revision, else "dev".
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
