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
	fs.StringVar(&c.dcVersion, "dc-version", "", "Data Center `version` (default 9.2.1); below 9.1 the REST permission API answers 404")
	fs.BoolVar(&c.remoteAPI, "remote-api", false, "Data Center: switch on the JSON-RPC remote API (off answers 401)")
	fs.BoolVar(&c.webSudo, "websudo", false, "Data Center: secure administrator sessions (remote API calls answer an HTML page)")
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
	sim, err := confluencesim.New(seed, confluencesim.Options{
		Flavour:    confluencesim.Flavour(c.flavour),
		PathPrefix: c.pathPrefix,
		Latency:    c.latency,
		DCVersion:  c.dcVersion,
		RemoteAPI:  c.remoteAPI,
		WebSudo:    c.webSudo,
	})
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
	fmt.Fprintf(stdout, "confluencesim: stopped after %d requests\n", sim.TotalRequests())
	return nil
}
