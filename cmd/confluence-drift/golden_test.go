package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every plan the acceptance tests recorded under testdata/plans is rendered
// in the three formats and compared with testdata/NAME.FORMAT.golden:
// these files are what people and tools see, so a change to them is
// reviewed as a diff. `go test ./cmd/confluence-drift -update` rewrites
// them; `TF_ACC=1 go test ./cmd/confluence-drift -run TestAccDrift -update`
// records the plans again first.

var goldenFormats = map[string]string{"text": "txt", "markdown": "md", "json": "json"}

func TestGoldenReports(t *testing.T) {
	plans, err := filepath.Glob(filepath.Join("testdata", "plans", "*.json"))
	if err != nil || len(plans) == 0 {
		t.Fatalf("no plans under testdata/plans (%v): record them with TF_ACC=1 go test -run TestAccDrift -update", err)
	}
	for _, plan := range plans {
		name := strings.TrimSuffix(filepath.Base(plan), ".json")
		data, err := os.ReadFile(plan)
		if err != nil {
			t.Fatal(err)
		}
		for format, ext := range goldenFormats {
			t.Run(name+"/"+format, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := run(context.Background(), []string{"-format", format, "-"}, env{
					getenv: func(string) string { return "" }, stdin: bytes.NewReader(data), stdout: &stdout, stderr: &stderr})
				if code == exitError || stderr.Len() > 0 {
					t.Fatalf("exit %d\n%s", code, stderr.String())
				}
				compareGolden(t, filepath.Join("testdata", name+"."+ext+".golden"), stdout.Bytes())
			})
		}
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (write it with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
