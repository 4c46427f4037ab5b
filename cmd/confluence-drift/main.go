// Command confluence-drift turns the JSON of a saved Terraform or OpenTofu
// plan into a report of the Confluence permissions it changes, by space and
// principal, telling changes made outside Terraform (which the apply
// undoes) from configuration changes, with an exit status a pipeline can
// branch on:
//
//	terraform plan -out plan.out
//	terraform show -json plan.out | confluence-drift
//
// Run it with -h for flags and exit statuses. The guide
// docs/guides/catching-permissions-changed-by-hand.md shows it in a
// scheduled pipeline and documents the JSON report.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift/names"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift/render"
)

// Exit statuses, documented in usageTail and the guide. 2 and 3 are the
// answers a scheduled job branches on; 4 to 6 each name one way the input
// is wrong, so that a pipeline can tell a broken step from drift.
const (
	exitNoChange      = 0
	exitError         = 1
	exitDrift         = 2
	exitConfiguration = 3
	exitFormatVersion = 4
	exitNoResources   = 5
	exitNotAPlan      = 6
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{
		getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		stdinTerminal: isTerminal(os.Stdin), stdoutTerminal: isTerminal(os.Stdout),
	})
	stop()
	os.Exit(code)
}

// env is what run takes from the process, so that tests give their own.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	stdinTerminal  bool
	stdoutTerminal bool
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const usageHead = `usage: confluence-drift [-format text|markdown|json] [-names auto|off] [PLAN.json | -]

Reads the JSON of a saved Terraform or OpenTofu plan and prints the
Confluence permissions it changes, grouped by space, then principal: who
was granted or revoked which permission, or had their space role changed,
and what the apply does about it:

  undo drift            the change was made outside Terraform (in the
                        Confluence UI, by a script); the apply reverts it
  configuration change  the configuration asks for the change

  terraform plan -out plan.out
  terraform show -json plan.out > plan.json
  confluence-drift plan.json                   # or: ... | confluence-drift

Without PLAN.json, or with -, the plan JSON is read from standard input.

Principals are shown with the names the plan's confluence_user and
confluence_group data sources read. With read credentials in the
environment, the names of the others are looked up in Confluence (Cloud
users 250 a request); nothing else is asked but, on Data Center, the
server's version. Without credentials the report shows ids:
  CONFLUENCE_URL                            the site address
  CONFLUENCE_USER and CONFLUENCE_API_TOKEN  basic authentication
  CONFLUENCE_TOKEN                          a bearer token instead
  CONFLUENCE_DEPLOYMENT                     cloud or datacenter, when the
                                            address does not tell

Flags:
`

const usageTail = `
Exit status:
  0  no permission changes
  1  error: bad flags, unreadable file, report not written
  2  drift: permissions were changed outside Terraform, and the apply
     undoes them (a refresh-only plan's apply records them instead),
     whether or not the configuration changes others too
  3  configuration changes only
  4  the plan JSON's format_version is not 1.x
  5  the plan holds no resource of the Confluence provider
  6  the input is not a plan's JSON: empty, truncated or invalid JSON,
     a binary plan file, a state, or the output of plan -json
`

func run(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("confluence-drift", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var (
		format      string
		namesMode   string
		timeout     time.Duration
		showVersion bool
	)
	fs.StringVar(&format, "format", "text", "report format: text (an aligned table), markdown (for a pull request comment or an issue)\nor json (stable, for other tools)")
	fs.StringVar(&namesMode, "names", "auto", "auto: look names up in Confluence when CONFLUENCE_URL is set; off: never")
	fs.DurationVar(&timeout, "timeout", time.Minute, "bound on looking names up; past it the report shows ids")
	fs.BoolVar(&showVersion, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageTail)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitNoChange
		}
		return exitError
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(e.stderr, "confluence-drift: "+format+"\n", args...)
		return exitError
	}
	if showVersion {
		fmt.Fprintln(e.stdout, "confluence-drift", version())
		return exitNoChange
	}
	write, ok := writers[format]
	if !ok {
		return fail("-format %q is not text, markdown or json", format)
	}
	if namesMode != "auto" && namesMode != "off" {
		return fail("-names %q is not auto or off", namesMode)
	}
	if fs.NArg() > 1 {
		return fail("one plan at a time: got %d arguments (run with -h for usage)", fs.NArg())
	}

	data, source, err := readPlan(fs.Arg(0), e)
	if err != nil {
		return fail("%v", err)
	}
	report, err := drift.Parse(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "confluence-drift: %s: %v\n", source, err)
		switch drift.ProblemOf(err) {
		case drift.UnsupportedFormat:
			return exitFormatVersion
		case drift.NoProviderResources:
			return exitNoResources
		case drift.NotAPlan:
			return exitNotAPlan
		}
		return exitError
	}
	if namesMode == "auto" && e.getenv(setup.Attr.URL.Env) != "" {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		lookUpNames(ctx, report, e)
		cancel()
	}

	color := e.stdoutTerminal && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
	var out bytes.Buffer
	if err := write(&out, report, color); err != nil {
		return fail("rendering the report: %v", err)
	}
	if _, err := e.stdout.Write(out.Bytes()); err != nil {
		return fail("writing the report: %v", err)
	}
	switch report.Outcome() {
	case drift.Drift:
		return exitDrift
	case drift.ConfigurationOnly:
		return exitConfiguration
	}
	return exitNoChange
}

var writers = map[string]func(io.Writer, *drift.Report, bool) error{
	"text": func(w io.Writer, r *drift.Report, color bool) error {
		return render.Text(w, r, render.TextOptions{Color: color})
	},
	"markdown": func(w io.Writer, r *drift.Report, _ bool) error { return render.Markdown(w, r) },
	"json":     func(w io.Writer, r *drift.Report, _ bool) error { return render.JSON(w, r) },
}

// readPlan reads the named file, or standard input for "" and "-", which
// must not be a terminal: a report waiting for typed JSON would look hung.
func readPlan(name string, e env) ([]byte, string, error) {
	if name != "" && name != "-" {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, name, fmt.Errorf("cannot read the plan JSON: %w", err)
		}
		return data, name, nil
	}
	if e.stdinTerminal {
		return nil, "", errors.New("no plan JSON: give a file, or pipe one in (terraform show -json plan.out | confluence-drift); -h for usage")
	}
	data, err := io.ReadAll(e.stdin)
	if err != nil {
		return nil, "standard input", fmt.Errorf("cannot read the plan JSON from standard input: %w", err)
	}
	return data, "standard input", nil
}

// lookUpNames names the report's principals from Confluence. It never
// fails the report: settings that do not resolve and lookups that fail are
// warnings, and the report shows ids instead.
func lookUpNames(ctx context.Context, report *drift.Report, e env) {
	warn := func(format string, args ...any) {
		fmt.Fprintf(e.stderr, "confluence-drift: names not looked up: "+format+"\n", args...)
	}
	settings, problems := setup.Resolve(setup.Given{}, e.getenv)
	if len(problems) > 0 {
		warn("%s: %s", problems[0].Summary, problems[0].Detail)
		return
	}
	client, err := setup.Open(ctx, settings, setup.Options{UserAgent: "confluence-drift/" + version()})
	if err != nil {
		warn("%v", err)
		return
	}
	res := names.New(client).Fill(ctx, report)
	// A site out of reach fails every lookup the same way: a few say why.
	const shown = 3
	for i, f := range res.Failed {
		if i == shown {
			fmt.Fprintf(e.stderr, "confluence-drift: names: and %d more lookups failed\n", len(res.Failed)-shown)
			break
		}
		fmt.Fprintln(e.stderr, "confluence-drift: names: "+f)
	}
	for _, p := range res.Missing {
		report.Notes = append(report.Notes, drift.Note{Origin: drift.Information,
			Text: fmt.Sprintf("%s is not known to Confluence: removed, or the id of another site.", p.Key())})
	}
}

// version is the module version of a `go install ...@vX` build, else "dev".
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
