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
func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-confluence"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}

	for _, tc := range []struct {
		name, token string
		wantErr     bool
	}{
		{"working credentials", "demo-token", false},
		{"rejected credentials", "wrong-token-7f3a9c", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cloudSite(t)
			s.token = tc.token
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
data "confluence_user" "carol" { account_id = "` + s.user("carol").ID + `" }
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
			if !strings.Contains(log, "/wiki/api/v2/spaces") {
				t.Fatalf("the trace log has no request lines of the provider; log size %d", len(log))
			}
			header := base64.StdEncoding.EncodeToString([]byte("terraform@example.com:" + tc.token))
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
