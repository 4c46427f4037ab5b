package provider

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// No token may appear in errors or in TF_LOG=trace output, whether the
// credentials work or not. The provider runs as its real binary here, so the
// log is exactly what a user would get.
func TestAccSecretsNeverReachLogsOrErrors(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-confluence"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}

	for _, tc := range []struct {
		name    string
		site    func(t *testing.T) *site
		bearer  bool
		token   string
		wantErr bool
	}{
		{"Cloud API token", cloudSite, false, "demo-token", false},
		{"Cloud API token rejected", cloudSite, false, "wrong-token-7f3a9c", true},
		{"Data Center personal access token", targets[1].start, true, "demo-oauth-token", false},
		{"Data Center personal access token rejected", targets[1].start, true, "wrong-pat-3b8e1d", true},
		{"Data Center password over the remote API", targets[2].start, false, "demo-token", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.site(t)
			s.bearer, s.token = tc.bearer, tc.token
			w, err := tfrun.NewWorkspace(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := w.UseBinary(bin); err != nil {
				t.Fatal(err)
			}
			logPath := filepath.Join(w.Dir, "terraform.log")
			if err := w.SetLog(logPath, "TRACE"); err != nil {
				t.Fatal(err)
			}
			config := grantsConfig(s, "DOCS", s.user("carol"), "read/space", "create/page") + `
data "confluence_spaces" "all" {}
`
			if err := w.WriteFile("main.tf", config); err != nil {
				t.Fatal(err)
			}
			applyErr := w.Apply(context.Background(), 10)
			if tc.wantErr != (applyErr != nil) {
				t.Fatalf("apply error = %v, want error: %v", applyErr, tc.wantErr)
			}
			stdout, stderr := w.Output()
			logData, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			log := string(logData)
			// The log must really contain the provider's request log, or this
			// test proves nothing.
			if !strings.Contains(log, "/rest/api/space") && !strings.Contains(log, "/wiki/api/v2/spaces") {
				t.Fatalf("the trace log has no request lines of the provider; log size %d", len(log))
			}
			header := base64.StdEncoding.EncodeToString([]byte(s.login + ":" + tc.token))
			for where, text := range map[string]string{"log": log, "stdout": stdout, "stderr": stderr, "error": errString(applyErr)} {
				if strings.Contains(text, tc.token) {
					t.Errorf("the token appears in the %s", where)
				}
				if strings.Contains(text, header) {
					t.Errorf("the Authorization header value appears in the %s", where)
				}
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
