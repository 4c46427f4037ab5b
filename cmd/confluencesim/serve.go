package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

type serveConfig struct {
	seed       string
	addr       string
	latency    time.Duration
	flavour    string
	pathPrefix string
	urlFile    string
	dcVersion  string
	remoteAPI  bool
	webSudo    bool
	// variants are the options that choose between plausible answers,
	// the role task delay and the rate limit.
	variants confluencesim.Options
}

func parseServeFlags(args []string, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("confluencesim serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.seed, "seed", "", "seed `FILE` (JSON); default: the built-in demo site")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "loopback `address` to listen on (port 0 picks a free port)")
	fs.DurationVar(&c.latency, "latency", 0, "delay added to every request, for example 20ms")
	fs.StringVar(&c.flavour, "flavour", string(confluencesim.Cloud), "deployment to simulate: cloud or datacenter")
	fs.StringVar(&c.pathPrefix, "path-prefix", "", "serve under a `prefix`: the API gateway's on Cloud (/ex/confluence/CLOUD-ID), the context path on Data Center (/confluence)")
	fs.StringVar(&c.dcVersion, "dc-version", "", "Data Center `version` (default 9.2.1); below 9.1 the REST permission API and server-information answer 404")
	fs.BoolVar(&c.remoteAPI, "remote-api", false, "Data Center: switch on the JSON-RPC remote API (off answers --remote-api-off-status)")
	fs.BoolVar(&c.webSudo, "websudo", false, "Data Center: secure administrator sessions (remote API calls answer an HTML page)")
	fs.IntVar(&c.variants.RemoteAPIOffStatus, "remote-api-off-status", 0, "Data Center: `status` of remote API calls while it is off, 401 or 404 (default 401)")
	v := &c.variants
	fs.DurationVar(&v.RoleTaskDelay, "role-task-delay", 0, "Cloud: how long an accepted role update or deletion takes to apply (default 100ms; negative applies at once)")
	fs.Func("cloud-anonymous", "Cloud: the `form` in which the v2 permission list names anonymous access: role (principal role/ANONYMOUS, the default) or user (user/anonymous)", func(s string) error {
		v.CloudAnonymous = confluencesim.AnonymousForm(s)
		return nil
	})
	fs.BoolVar(&v.DistinctPermissionIDs, "distinct-permission-ids", false, "Cloud: give v2 permission rows ids other than the v1 ids DELETE takes (default: the same ids)")
	fs.Func("space-keys-param", "Cloud: the `parsing` of keys, ids and labels on GET /wiki/api/v2/spaces: comma-joined (the default; a repeated parameter reads its first value), repeated (a comma-joined value is one key) or either", func(s string) error {
		v.SpaceKeysParam = confluencesim.KeysParsing(s)
		return nil
	})
	fs.BoolVar(&v.FreeEdition, "free-edition", false, "Cloud: a Free edition site, whose v1 permission writes answer 403")
	fs.BoolVar(&v.RoleRowsInPermissionList, "role-rows-in-permission-list", false, "Cloud: list rows of type role in the v2 permission list for the roles assigned in a space")
	fs.Func("required-permissions", "Cloud: the `policy` for role definitions lacking required permissions: added (the default) or refused (400 naming them)", func(s string) error {
		v.RequiredPermissions = confluencesim.RequiredPolicy(s)
		return nil
	})
	fs.Func("grant-policy", "Cloud: the `policy` for the roles a caller may assign: what-you-have (the default: on roles-only sites, callers other than product admins assign only roles whose permissions they hold) or any-role", func(s string) error {
		v.GrantPolicy = confluencesim.GrantPolicy(s)
		return nil
	})
	fs.IntVar(&v.GrantRefusalStatus, "grant-refusal-status", 0, "Cloud: `status` of a role assignment refused by --grant-policy what-you-have, 404 or 403 (default 404)")
	fs.Func("role-assignment-failure", "Cloud: what a role assignment request with a refused entry leaves applied: applied-up-to-failure (the default: the entries before it) or all-or-nothing", func(s string) error {
		v.RoleAssignmentFailure = confluencesim.AssignmentFailure(s)
		return nil
	})
	fs.BoolVar(&v.CombinationsNotGenerated, "combinations-not-generated", false, "Cloud: start without a roles transition inventory (default: the seed's, generated at start)")
	fs.Float64Var(&v.RateLimit.PerSecond, "rate-limit", 0, "requests per `second` the whole site serves, a token bucket; more answer 429 with Retry-After (default 0: no limit)")
	fs.IntVar(&v.RateLimit.Burst, "rate-burst", 0, "`requests` the --rate-limit bucket holds, how many may arrive at once (default: one second's worth)")
	fs.StringVar(&c.urlFile, "url-file", "", "also write the base URL to `PATH`, for scripts")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return c, nil
}

// serve runs the simulator until ctx is done.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := confluencesim.CheckLoopback(c.addr); err != nil {
		return err
	}
	seed := confluencesim.DemoSeed()
	if c.seed != "" {
		if seed, err = confluencesim.LoadSeed(c.seed); err != nil {
			return err
		}
	}
	opts := c.variants
	opts.Flavour = confluencesim.Flavour(c.flavour)
	opts.PathPrefix = c.pathPrefix
	opts.Latency = c.latency
	opts.DCVersion = c.dcVersion
	opts.RemoteAPI = c.remoteAPI
	opts.WebSudo = c.webSudo
	sim, err := confluencesim.New(seed, opts)
	if err != nil {
		return err
	}
	ts, err := sim.Listen(c.addr)
	if err != nil {
		return err
	}
	defer ts.Close()
	url := ts.URL + c.pathPrefix
	if c.urlFile != "" {
		if err := os.WriteFile(c.urlFile, []byte(url+"\n"), 0o600); err != nil {
			return fmt.Errorf("writing the URL file: %w", err)
		}
	}
	fmt.Fprintf(stdout, "confluencesim: %s simulator listening on %s\n", confluencesim.Flavour(c.flavour).Title(), url)
	<-ctx.Done()
	throttled := ""
	if n := sim.Throttled(); n > 0 {
		throttled = fmt.Sprintf(" (%d answered 429 Too Many Requests)", n)
	}
	fmt.Fprintf(stdout, "confluencesim: stopped after %d requests%s\n", sim.TotalRequests(), throttled)
	return nil
}
