// Command confluencesim serves a simulated Confluence site for demos and
// manual testing:
//
//	confluencesim serve [--seed FILE] [--addr 127.0.0.1:0] [--latency 20ms] [--flavour cloud|datacenter]
//	                    [--path-prefix /ex/confluence/CLOUD-ID | /confluence] [--url-file PATH]
//	                    [--role-task-delay 100ms] [--cloud-anonymous role|user] [--distinct-permission-ids]
//	                    [--space-keys-param comma-joined|repeated|either] [--free-edition]
//	                    [--role-rows-in-permission-list] [--required-permissions added|refused]
//	                    [--grant-policy what-you-have|any-role] [--grant-refusal-status 404|403]
//	                    [--role-assignment-failure applied-up-to-failure|all-or-nothing] [--combinations-not-generated]
//	                    [--rate-limit 50] [--rate-burst N]
//	                    [--dc-version 9.2.1] [--remote-api] [--remote-api-off-status 401|404] [--websudo]
//
// The Cloud flags apply with --flavour cloud only (the default), the Data
// Center flags with --flavour datacenter only; --rate-limit and --rate-burst
// with either. The flags that choose an
// answer the public record leaves open default to the recorded or
// documented one; "confluencesim serve -h" describes each.
//
// It prints the site's base URL on one line and serves until interrupted.
// Without --seed it serves the demo site (internal/confluencesim/seeds/demo.json).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h printed the flags.
	case err != nil:
		fmt.Fprintln(os.Stderr, "confluencesim:", err)
		os.Exit(2)
	}
}

const usage = `usage: confluencesim serve [flags]

Serves a simulated Confluence site on a loopback address until interrupted.
Run "confluencesim serve -h" for the flags.
`

// run dispatches the subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing subcommand")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown subcommand %q", args[0])
}
