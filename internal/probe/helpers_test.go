package probe

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The demo seed's site-admin account (internal/confluencesim/seeds/demo.json).
const (
	demoEmail    = "terraform@example.com"
	demoUsername = "terraform"
	demoToken    = "demo-token"
	demoOAuth    = "demo-oauth-token"
)

// site is a simulator serving one test.
type site struct {
	sim *confluencesim.Server
	ts  *httptest.Server
	dep permissions.Deployment
}

func startSite(t *testing.T, seed confluencesim.Seed, opts confluencesim.Options) site {
	t.Helper()
	return startWrapped(t, seed, opts, nil)
}

// startWrapped serves the simulator behind wrap, which plays what stands
// in front of a real site (a login page, a proxy that echoes requests).
func startWrapped(t *testing.T, seed confluencesim.Seed, opts confluencesim.Options, wrap func(http.Handler) http.Handler) site {
	t.Helper()
	sim, err := confluencesim.New(seed, opts)
	if err != nil {
		t.Fatalf("confluencesim.New: %v", err)
	}
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	dep := permissions.Cloud
	if opts.Flavour == confluencesim.DataCenter {
		dep = permissions.DataCenter
	}
	return site{sim: sim, ts: ts, dep: dep}
}

func cloudSite(t *testing.T, opts confluencesim.Options) site {
	t.Helper()
	opts.Flavour = confluencesim.Cloud
	return startSite(t, confluencesim.DemoSeed(), opts)
}

func dcSite(t *testing.T, opts confluencesim.Options) site {
	t.Helper()
	opts.Flavour = confluencesim.DataCenter
	return startSite(t, confluencesim.DemoSeed(), opts)
}

// config is a probe configuration for the site with the demo account's
// basic credentials and instant retries.
func (s site) config(edits ...func(*Config)) Config {
	user := demoEmail
	if s.dep == permissions.DataCenter {
		user = demoUsername
	}
	c := Config{
		URL:        s.ts.URL,
		Deployment: s.dep,
		User:       user,
		APIToken:   demoToken,
		Version:    "test",
		Now:        func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) },
		HTTPClient: s.ts.Client(),
		Sleep:      func(context.Context, time.Duration) error { return nil },
	}
	for _, e := range edits {
		e(&c)
	}
	return c
}

func probeSite(t *testing.T, cfg Config) *Report {
	t.Helper()
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// probeEveryCheck probes the site as configured by default and fails
// unless every check of its deployment ran, in order, and none failed.
func probeEveryCheck(t *testing.T, s site) *Report {
	t.Helper()
	rep := probeSite(t, s.config())
	if rep.Failed() {
		t.Fatalf("a check failed on the default %s site:\n%s", s.dep, render(t, rep, FormatText))
	}
	if got, want := strings.Join(checkNames(rep), " "), strings.Join(CheckNames(s.dep), " "); got != want {
		t.Errorf("checks %q, want %q", got, want)
	}
	return rep
}

// wantCleanAnswer probes the site as configured by default and fails
// unless the check answers want and no check of the run failed.
func wantCleanAnswer(t *testing.T, s site, check, want string) {
	t.Helper()
	rep := probeSite(t, s.config())
	wantAnswer(t, result(t, rep, check), Answered, want)
	wantNoFailure(t, rep)
}

func wantNoFailure(t *testing.T, rep *Report) {
	t.Helper()
	if rep.Failed() {
		t.Errorf("the run failed:\n%s", render(t, rep, FormatText))
	}
}

// probeWrite probes the site with key as the write space and returns the
// report and its anonymous-write check.
func probeWrite(t *testing.T, s site, key string) (*Report, Result) {
	t.Helper()
	rep := probeSite(t, s.config(func(c *Config) { c.WriteSpace = key }))
	return rep, result(t, rep, "anonymous-write")
}

// probeWrongSecret probes the site with a refused token or password and
// fails unless the run fails and the credentials check says so.
func probeWrongSecret(t *testing.T, s site, secret string) *Report {
	t.Helper()
	rep := probeSite(t, s.config(func(c *Config) { c.APIToken = secret }))
	if !rep.Failed() {
		t.Fatal("the run did not fail")
	}
	wantAnswer(t, result(t, rep, "credentials"), Answered, "every request refused")
	return rep
}

// inject adds a fault to the site.
func (s site) inject(t *testing.T, f confluencesim.Fault) {
	t.Helper()
	if err := s.sim.InjectFault(f); err != nil {
		t.Fatal(err)
	}
}

// anonymousGrants returns the anonymous grants of a space in the
// simulator.
func anonymousGrants(t *testing.T, s site, key string) []confluencesim.Grant {
	t.Helper()
	grants, err := s.sim.Grants(key)
	if err != nil {
		t.Fatalf("Grants(%s): %v", key, err)
	}
	var out []confluencesim.Grant
	for _, g := range grants {
		if g.Principal.Type == permissions.Anonymous {
			out = append(out, g)
		}
	}
	return out
}

// wantNoAnonymousGrants fails when the write check left anonymous access
// in its space.
func wantNoAnonymousGrants(t *testing.T, s site, key string, res Result) {
	t.Helper()
	if g := anonymousGrants(t, s, key); len(g) != 0 {
		t.Errorf("%s keeps anonymous grants after the check: %+v\n%s", key, g, describe(res))
	}
}

func result(t *testing.T, rep *Report, name string) Result {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in the report (checks: %v)", name, checkNames(rep))
	return Result{}
}

func checkNames(rep *Report) []string {
	var names []string
	for _, c := range rep.Checks {
		names = append(names, c.Name)
	}
	return names
}

func render(t *testing.T, rep *Report, f Format) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, rep, f); err != nil {
		t.Fatalf("Render %s: %v", f, err)
	}
	return b.String()
}

// wantAnswer fails unless the check's answer contains want.
func wantAnswer(t *testing.T, res Result, status Status, want string) {
	t.Helper()
	if res.Status != status || !strings.Contains(res.Answer, want) {
		t.Errorf("%s: got %s %q, want %s with %q\n%s", res.Name, res.Status, res.Answer, status, want, describe(res))
	}
}

func describe(res Result) string {
	var b strings.Builder
	for _, m := range res.Interpretation {
		b.WriteString("  meaning: " + m + "\n")
	}
	for _, f := range res.Facts {
		b.WriteString("  fact: " + f.Name + ": " + f.Value + "\n")
	}
	for _, s := range res.Steps {
		b.WriteString("  step: " + s.Action + ": " + s.Outcome + "\n")
	}
	for _, l := range exchangesLines(res.Exchanges) {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

func factValue(res Result, name string) (string, bool) {
	for _, f := range res.Facts {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}
