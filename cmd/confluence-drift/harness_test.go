package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// -update rewrites what the tests compare against: the plans the
// acceptance tests record (TF_ACC=1, testdata/plans) and the golden reports
// rendered from them (testdata/*.golden).
var update = flag.Bool("update", false, "rewrite testdata/plans (with TF_ACC) and testdata/*.golden")

// The acceptance tests make real plans: the CLI applies a configuration
// against the simulator, a person changes permissions out of band as the
// Confluence UI would, and the CLI plans again and shows the plan as JSON.
// They run the built provider through dev_overrides rather than one served
// in this process, so that Terraform and OpenTofu (whose registry address
// differs) both find it, and so that `show -json` needs no reattachment.

func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: runs only when TF_ACC is set (make acceptance)")
	}
}

// cli is a Terraform or OpenTofu binary.
type cli struct {
	name string // "terraform" or "opentofu"
	path string
}

// clis are the binaries the acceptance tests run on: the one the Makefile
// names (TF_ACC_TERRAFORM_PATH, or terraform on PATH) and, when that is
// Terraform, the OpenTofu that `make test-compat` builds into ./bin, if it
// is there.
func clis(t *testing.T) []cli {
	t.Helper()
	primary, err := tfrun.TerraformPath()
	if err != nil {
		t.Fatal(err)
	}
	out := []cli{{cliName(t, primary), primary}}
	if out[0].name == "terraform" {
		if tofu, err := filepath.Abs(filepath.Join("..", "..", "bin", "tofu")); err == nil {
			if _, err := os.Stat(tofu); err == nil {
				out = append(out, cli{cliName(t, tofu), tofu})
			}
		}
	}
	return out
}

func cliName(t *testing.T, path string) string {
	cmd := exec.Command(path, "version")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	if bytes.Contains(out, []byte("OpenTofu")) {
		return "opentofu"
	}
	return "terraform"
}

// providerDir holds the provider binary, built once per test process for
// the acceptance tests.
var providerDir string

func providerBinary(t *testing.T) string {
	t.Helper()
	if providerDir == "" {
		t.Fatal("the provider was not built: TestMain builds it when TF_ACC is set")
	}
	return providerDir
}

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("TF_ACC") != "" {
		dir, err := buildProvider()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		providerDir = dir
	}
	code := m.Run()
	if providerDir != "" {
		os.RemoveAll(providerDir)
	}
	os.Exit(code)
}

func buildProvider() (string, error) {
	dir, err := os.MkdirTemp("", "confluence-drift-provider-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-confluence"), "github.com/spacekeeper/terraform-provider-confluence")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return dir, nil
}

// workdir is one configuration applied with one CLI to one simulated site.
type workdir struct {
	t   *testing.T
	cli cli
	dir string
	sim *confluencesim.Server
	url string
	env []string
	// settings are the CONFLUENCE_* variables the provider runs with.
	settings map[string]string
	// recordOpenTofu keeps OpenTofu's plans too (see record).
	recordOpenTofu bool
}

// newWorkdir starts a simulated site with the demo seed (spaces DOCS, ENG,
// HR, OPS; alice, bob, carol; confluence-users, engineering, hr-team).
func newWorkdir(t *testing.T, c cli, opts confluencesim.Options) *workdir {
	t.Helper()
	sim, srv := confluencesim.Start(t, confluencesim.DemoSeed(), opts)
	w := &workdir{t: t, cli: c, dir: t.TempDir(), sim: sim, url: srv.URL}
	rc := filepath.Join(w.dir, ".terraformrc")
	bin := providerBinary(t)
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		"registry.terraform.io/spacekeeper/confluence", bin, "registry.opentofu.org/spacekeeper/confluence", bin)
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	// The provider reads its settings from the environment, so that the
	// simulator's address (a new port each run) stays out of the plans.
	w.settings = map[string]string{"CONFLUENCE_URL": srv.URL, "CONFLUENCE_API_TOKEN": "demo-token",
		"CONFLUENCE_USER": "terraform@example.com", "CONFLUENCE_DEPLOYMENT": "cloud"}
	if opts.Flavour == confluencesim.DataCenter {
		w.settings["CONFLUENCE_USER"], w.settings["CONFLUENCE_DEPLOYMENT"] = "terraform", "datacenter"
	}
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	for k, v := range w.settings {
		w.env = append(w.env, k+"="+v)
	}
	return w
}

// getenv gives the command the site's read credentials, as a pipeline
// that runs it beside terraform would.
func (w *workdir) getenv(k string) string { return w.settings[k] }

func (w *workdir) write(config string) {
	w.t.Helper()
	main := "terraform {\n  required_providers {\n    confluence = { source = \"spacekeeper/confluence\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(main), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI and returns its exit status and standard output.
func (w *workdir) run(args ...string) (int, []byte) {
	w.t.Helper()
	cmd := exec.CommandContext(context.Background(), w.cli.path, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.Bytes()
	case errors.As(err, &exit):
		return exit.ExitCode(), append(stdout.Bytes(), stderr.Bytes()...)
	}
	w.t.Fatalf("%s %s: %v", w.cli.name, strings.Join(args, " "), err)
	return 0, nil
}

func (w *workdir) apply() {
	w.t.Helper()
	if code, out := w.run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		w.t.Fatalf("%s apply: exit %d\n%s", w.cli.name, code, out)
	}
}

// plan saves a plan and returns its JSON, as a scheduled job would: plan
// -detailed-exitcode -out plan.out, then show -json plan.out. The plan is
// recorded under name.
func (w *workdir) plan(wantExit int, name string) []byte {
	w.t.Helper()
	if code, out := w.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=plan.out"); code != wantExit {
		w.t.Fatalf("%s plan: exit %d, want %d\n%s", w.cli.name, code, wantExit, out)
	}
	code, out := w.run("show", "-json", "plan.out")
	if code != 0 {
		w.t.Fatalf("%s show -json: exit %d\n%s", w.cli.name, code, out)
	}
	w.record(name, out)
	return out
}

// record keeps a plan under testdata/plans for the golden tests, when
// -update asks. Terraform's plans are kept under the scenario's name,
// OpenTofu's under name-opentofu for the scenarios that set recordOpenTofu.
func (w *workdir) record(name string, plan []byte) {
	w.t.Helper()
	if !*update {
		return
	}
	if w.cli.name == "opentofu" {
		if !w.recordOpenTofu {
			return
		}
		name += "-opentofu"
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, plan, "", "  "); err != nil {
		w.t.Fatal(err)
	}
	pretty.WriteByte('\n')
	if err := os.WriteFile(filepath.Join("testdata", "plans", name+".json"), pretty.Bytes(), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// grant and revoke change the site as the Confluence UI would.
func (w *workdir) grant(space string, p permissions.Principal, op string) {
	w.t.Helper()
	w.outOfBand("granting", space, p, op, func(o permissions.Operation) error {
		_, err := w.sim.AddGrant(space, p, o)
		return err
	})
}

func (w *workdir) revoke(space string, p permissions.Principal, op string) {
	w.t.Helper()
	w.outOfBand("revoking", space, p, op, func(o permissions.Operation) error {
		_, err := w.sim.RemoveGrantOf(space, p, o)
		return err
	})
}

func (w *workdir) outOfBand(doing, space string, p permissions.Principal, op string, change func(permissions.Operation) error) {
	w.t.Helper()
	o, err := permissions.ParseOperation(op)
	if err == nil {
		err = change(o)
	}
	if err != nil {
		w.t.Fatalf("%s %s for %s in %s: %v", doing, op, p, space, err)
	}
}

// useRoles puts the site in the mode where legacy grants and space roles
// live side by side.
func (w *workdir) useRoles() {
	w.t.Helper()
	if err := w.sim.SetRoleMode(confluencesim.RoleMode("ROLES_TRANSITION")); err != nil {
		w.t.Fatal(err)
	}
}

// assignRole gives a principal the named role in a space, or with "" takes
// its role away, as the Confluence UI would.
func (w *workdir) assignRole(space string, typ confluencesim.RolePrincipalType, id, roleName string) {
	w.t.Helper()
	p := confluencesim.RolePrincipal{Type: typ, ID: id}
	var err error
	if roleName == "" {
		err = w.sim.UnassignRole(space, p)
	} else if role, ok := w.sim.RoleNamed(roleName); !ok {
		err = fmt.Errorf("the site has no role %q", roleName)
	} else {
		err = w.sim.AssignRole(space, p, role.ID)
	}
	if err != nil {
		w.t.Fatalf("setting the role of %s %s in %s: %v", typ, id, space, err)
	}
}

// report runs the command on a plan with -format json and returns its exit
// status and the report's rows, one line per change, in report order:
// "SPACE KEY (NAME) CHANGE WHAT ACTION".
func report(t *testing.T, plan []byte, getenv func(string) string) (int, []string) {
	t.Helper()
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-format", "json"}, env{getenv: getenv, stdin: bytes.NewReader(plan), stdout: &stdout, stderr: &stderr})
	var r jsonReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("exit %d, report is not JSON: %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout.String(), stderr.String())
	}
	return code, r.rows()
}

// jsonReport is the JSON report as another tool reads it, from its
// documentation: decoding it here keeps the format honest.
type jsonReport struct {
	ReportFormat string `json:"report_format"`
	Outcome      string `json:"outcome"`
	Summary      struct {
		UndoDrift          int `json:"undo_drift"`
		RecordDrift        int `json:"record_drift"`
		KeepDrift          int `json:"keep_drift"`
		ApplyConfiguration int `json:"apply_configuration"`
		Spaces             int `json:"spaces"`
		Principals         int `json:"principals"`
	} `json:"summary"`
	Spaces []struct {
		SpaceKey   string `json:"space_key"`
		Principals []struct {
			Key         string `json:"key"`
			Type        string `json:"type"`
			ID          string `json:"id"`
			DisplayName string `json:"display_name"`
			Changes     []struct {
				Change    string `json:"change"`
				Operation string `json:"operation"`
				Role      *struct {
					From       *string `json:"from"`
					To         *string `json:"to"`
					AfterApply *string `json:"after_apply"`
				} `json:"role"`
				Origin    string   `json:"origin"`
				Action    string   `json:"action"`
				Resources []string `json:"resources"`
			} `json:"changes"`
		} `json:"principals"`
	} `json:"spaces"`
	Notes []struct {
		Address, Origin, Text string
	} `json:"notes"`
}

func (r jsonReport) rows() []string {
	var out []string
	for _, s := range r.Spaces {
		for _, p := range s.Principals {
			who := p.Key
			if p.DisplayName != "" {
				who += " (" + p.DisplayName + ")"
			}
			for _, c := range p.Changes {
				what := c.Operation
				if c.Role != nil {
					what = orNone(c.Role.From) + "->" + orNone(c.Role.To) + " then " + orNone(c.Role.AfterApply)
				}
				out = append(out, strings.Join([]string{s.SpaceKey, who, c.Change, what, c.Action}, " "))
			}
		}
	}
	return out
}

func orNone(s *string) string {
	if s == nil {
		return "none"
	}
	return *s
}

// expectReport checks the command's exit status and rows on a plan.
func expectReport(t *testing.T, plan []byte, getenv func(string) string, exit int, want []string) {
	t.Helper()
	code, got := report(t, plan, getenv)
	if !slices.Equal(got, want) {
		t.Errorf("report rows:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if code != exit {
		t.Errorf("exit %d, want %d", code, exit)
	}
}
