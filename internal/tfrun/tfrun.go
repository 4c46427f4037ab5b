// Package tfrun drives the real terraform binary against this provider, for
// tests and benchmarks that need more than terraform-plugin-testing offers:
// a chosen -parallelism, plan -generate-config-out, a provider served in this
// process (so the simulator's counters see every request) or the built
// binary under TF_LOG=trace.
package tfrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	testinginterface "github.com/mitchellh/go-testing-interface"
)

// ProviderAddress is the provider's registry address as the CLI under test
// resolves source = "spacekeeper/confluence": on the host in
// TF_ACC_PROVIDER_HOST when it is set, as terraform-plugin-testing reads it
// (registry.opentofu.org for OpenTofu), else registry.terraform.io.
func ProviderAddress() string {
	host := "registry.terraform.io"
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		host = strings.TrimSuffix(h, "/")
	}
	return host + "/spacekeeper/confluence"
}

// TerraformPath finds the terraform binary: TF_ACC_TERRAFORM_PATH (which the
// Makefile sets, building Terraform when the machine has none), else PATH.
func TerraformPath() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is unset: run the tests through `make test`, which builds Terraform when needed")
	}
	return p, nil
}

// Workspace is one Terraform working directory.
type Workspace struct {
	Dir string
	tf  *tfexec.Terraform

	mu       sync.Mutex
	stderr   bytes.Buffer
	stdout   bytes.Buffer
	env      map[string]string
	inited   bool
	reattach *tfexec.ReattachOption // set when the provider runs in this process
}

// NewWorkspace prepares dir (created if missing) for terraform commands.
func NewWorkspace(dir string) (*Workspace, error) {
	bin, err := TerraformPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tf, err := tfexec.NewTerraform(dir, bin)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Dir: dir, tf: tf, env: map[string]string{"CHECKPOINT_DISABLE": "1"}}
	for _, kv := range os.Environ() {
		if k, v, ok := cut(kv); ok && !isTerraformControlled(k) {
			w.env[k] = v
		}
	}
	// An empty CLI config, so that nothing of the user's own Terraform
	// setup (credentials, mirrors, overrides) leaks into a run.
	if err := w.writeCLIConfig(""); err != nil {
		return nil, err
	}
	tf.SetStdout(&lockedWriter{&w.mu, &w.stdout})
	tf.SetStderr(&lockedWriter{&w.mu, &w.stderr})
	return w, tf.SetEnv(w.env)
}

func cut(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return "", "", false
}

// isTerraformControlled lists variables terraform-exec refuses to inherit
// through SetEnv because it sets them itself.
func isTerraformControlled(k string) bool {
	switch k {
	case "TF_CLI_ARGS", "TF_INPUT", "TF_IN_AUTOMATION", "TF_LOG", "TF_LOG_CORE", "TF_LOG_PATH", "TF_LOG_PROVIDER",
		"TF_REATTACH_PROVIDERS", "TF_WORKSPACE", "TF_DISABLE_PLUGIN_TLS", "TF_SKIP_PROVIDER_VERIFY", "TF_APPEND_USER_AGENT":
		return true
	}
	return len(k) > 12 && k[:12] == "TF_CLI_ARGS_" || len(k) > 7 && k[:7] == "TF_VAR_"
}

// SetEnv sets an environment variable for later terraform commands.
func (w *Workspace) SetEnv(k, v string) error {
	w.env[k] = v
	return w.tf.SetEnv(w.env)
}

// SetLog sends Terraform's and the provider's log at level to path.
func (w *Workspace) SetLog(path, level string) error {
	if err := w.tf.SetLogPath(path); err != nil {
		return err
	}
	return w.tf.SetLog(level)
}

func (w *Workspace) writeCLIConfig(body string) error {
	path := filepath.Join(w.Dir, ".terraformrc")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		return err
	}
	w.env["TF_CLI_CONFIG_FILE"] = path
	return nil
}

// UseBinary makes Terraform run the provider binary found in binDir, through
// a dev_overrides CLI configuration written into the workspace.
func (w *Workspace) UseBinary(binDir string) error {
	abs, err := filepath.Abs(binDir)
	if err != nil {
		return err
	}
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", ProviderAddress(), abs)
	if err := w.writeCLIConfig(cfg); err != nil {
		return err
	}
	w.inited = true // init is neither needed nor wanted with dev_overrides
	return w.tf.SetEnv(w.env)
}

// ServeInProcess serves the provider from this process until ctx ends and
// points the workspace's terraform commands at it.
func (w *Workspace) ServeInProcess(ctx context.Context, server func() tfprotov6.ProviderServer) error {
	configs := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve(ProviderAddress(), server,
			tf6server.WithDebug(ctx, configs, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// Log as Terraform would: at the level TF_LOG asks for, off when
			// it is unset, instead of tracing everything to stderr.
			tf6server.WithLoggingSink(&testinginterface.RuntimeT{}),
		)
	}()
	select {
	case cfg := <-configs:
		w.reattach = tfexec.Reattach(tfexec.ReattachInfo{ProviderAddress(): tfexec.ReattachConfig{
			Protocol:        string(cfg.Protocol),
			ProtocolVersion: cfg.ProtocolVersion,
			Pid:             cfg.Pid,
			Test:            cfg.Test,
			Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
		}})
		return nil
	case err := <-serveErr:
		return fmt.Errorf("serving the provider: %w", err)
	}
}

// WriteFile writes a file (typically main.tf) into the workspace.
func (w *Workspace) WriteFile(name, content string) error {
	return os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o644)
}

// Output returns what terraform wrote to stdout and stderr so far, and
// forgets it.
func (w *Workspace) Output() (stdout, stderr string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	stdout, stderr = w.stdout.String(), w.stderr.String()
	w.stdout.Reset()
	w.stderr.Reset()
	return stdout, stderr
}

func (w *Workspace) init(ctx context.Context) error {
	if w.inited {
		return nil
	}
	opts := []tfexec.InitOption{tfexec.Upgrade(false)}
	if w.reattach != nil {
		opts = append(opts, w.reattach)
	}
	if err := w.tf.Init(ctx, opts...); err != nil {
		return err
	}
	w.inited = true
	return nil
}

// Apply runs terraform apply with the given -parallelism.
func (w *Workspace) Apply(ctx context.Context, parallelism int, opts ...tfexec.ApplyOption) error {
	if err := w.init(ctx); err != nil {
		return err
	}
	opts = append([]tfexec.ApplyOption{tfexec.Parallelism(parallelism)}, opts...)
	if w.reattach != nil {
		opts = append(opts, w.reattach)
	}
	return w.tf.Apply(ctx, opts...)
}

// Destroy runs terraform destroy with the given -parallelism.
func (w *Workspace) Destroy(ctx context.Context, parallelism int) error {
	if err := w.init(ctx); err != nil {
		return err
	}
	opts := []tfexec.DestroyOption{tfexec.Parallelism(parallelism)}
	if w.reattach != nil {
		opts = append(opts, w.reattach)
	}
	return w.tf.Destroy(ctx, opts...)
}

// Plan runs terraform plan and returns the planned changes as JSON.
func (w *Workspace) Plan(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	if err := w.init(ctx); err != nil {
		return nil, err
	}
	out := filepath.Join(w.Dir, "tfplan")
	if _, err := w.tf.Plan(ctx, w.planOptions(append(opts, tfexec.Out(out)))...); err != nil {
		return nil, err
	}
	if w.reattach != nil {
		return w.tf.ShowPlanFile(ctx, out, w.reattach)
	}
	return w.tf.ShowPlanFile(ctx, out)
}

// SavePlan runs terraform plan -out with the given -parallelism and returns
// the plan file, for Apply(ctx, parallelism, tfexec.DirOrPlan(file)): the
// two halves of a pipeline that applies what was reviewed.
func (w *Workspace) SavePlan(ctx context.Context, parallelism int) (string, error) {
	if err := w.init(ctx); err != nil {
		return "", err
	}
	out := filepath.Join(w.Dir, "tfplan")
	_, err := w.tf.Plan(ctx, w.planOptions([]tfexec.PlanOption{tfexec.Parallelism(parallelism), tfexec.Out(out)})...)
	return out, err
}

// PlanText runs terraform plan and returns what it printed.
func (w *Workspace) PlanText(ctx context.Context, opts ...tfexec.PlanOption) (string, error) {
	if err := w.init(ctx); err != nil {
		return "", err
	}
	w.Output()
	_, err := w.tf.Plan(ctx, w.planOptions(opts)...)
	stdout, stderr := w.Output()
	return stdout + stderr, err
}

func (w *Workspace) planOptions(opts []tfexec.PlanOption) []tfexec.PlanOption {
	if w.reattach != nil {
		return append(opts, w.reattach)
	}
	return opts
}

// State returns the current state.
func (w *Workspace) State(ctx context.Context) (*tfjson.State, error) {
	if w.reattach != nil {
		return w.tf.Show(ctx, w.reattach)
	}
	return w.tf.Show(ctx)
}

// Import runs terraform import.
func (w *Workspace) Import(ctx context.Context, address, id string) error {
	if err := w.init(ctx); err != nil {
		return err
	}
	if w.reattach != nil {
		return w.tf.Import(ctx, address, id, w.reattach)
	}
	return w.tf.Import(ctx, address, id)
}

// Query runs terraform query -json (Terraform 1.14 and later), and with
// generateConfigOut set writes the resource and import blocks of what it
// finds into that file. It returns the messages Terraform printed; an
// error message among them is returned as the error.
func (w *Workspace) Query(ctx context.Context, generateConfigOut string) ([]tfjson.LogMsg, error) {
	if err := w.init(ctx); err != nil {
		return nil, err
	}
	var opts []tfexec.QueryOption
	if generateConfigOut != "" {
		opts = append(opts, tfexec.GenerateConfigOut(generateConfigOut))
	}
	if w.reattach != nil {
		opts = append(opts, w.reattach)
	}
	logs, err := w.tf.QueryJSON(ctx, opts...)
	if err != nil {
		return nil, err
	}
	var messages []tfjson.LogMsg
	for m := range logs {
		if m.Err != nil {
			return messages, m.Err
		}
		if m.Msg == nil {
			continue
		}
		messages = append(messages, m.Msg)
		if m.Msg.Level() == tfjson.Error {
			return messages, errors.New(m.Msg.Message())
		}
	}
	return messages, nil
}

// AtLeast reports whether the terraform binary is version major.minor or
// later, for tests of what older versions lack.
func (w *Workspace) AtLeast(ctx context.Context, major, minor int) (bool, error) {
	v, _, err := w.tf.Version(ctx, true)
	if err != nil {
		return false, err
	}
	s := v.Segments()
	return s[0] > major || s[0] == major && s[1] >= minor, nil
}

// Changes lists the addresses and actions of a plan that change something.
func Changes(p *tfjson.Plan) []string {
	var out []string
	for _, rc := range p.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		acts, _ := json.Marshal(rc.Change.Actions)
		out = append(out, rc.Address+" "+string(acts))
	}
	return out
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
