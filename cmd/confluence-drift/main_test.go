package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// invoke runs the command as a shell would, with stdin and the variables
// given.
func invoke(t *testing.T, args []string, stdin string, vars map[string]string, terminal bool) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(context.Background(), args, env{
		getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(stdin),
		stdout: &out, stderr: &errs, stdoutTerminal: terminal, stdinTerminal: terminal && stdin == "",
	})
	return code, out.String(), errs.String()
}

func recordedPlan(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "plans", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestExitStatusesTellInputsApart(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	mixed := recordedPlan(t, "mixed")
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{"drift", []string{file("drift.json", mixed)}, "", exitDrift, ""},
		{"configuration only", []string{"-"}, recordedPlan(t, "configuration-only"), exitConfiguration, ""},
		{"no change", nil, recordedPlan(t, "no-change"), exitNoChange, ""},
		{"format version 2", []string{file("v2.json", strings.Replace(mixed, `"format_version": "1.2"`, `"format_version": "2.0"`, 1))}, "", exitFormatVersion,
			`v2.json: the plan JSON has format_version "2.0"; this confluence-drift reads format 1.x`},
		{"no resources of the provider", nil,
			`{"format_version":"1.2","resource_changes":[{"address":"null_resource.x","mode":"managed","type":"null_resource","provider_name":"registry.terraform.io/hashicorp/null","change":{"actions":["create"]}}]}`,
			exitNoResources, "standard input: the plan holds no resources of the Confluence provider, only of registry.terraform.io/hashicorp/null"},
		{"truncated", []string{file("cut.json", mixed[:len(mixed)/3])}, "", exitNotAPlan, "cut.json: the plan JSON ends early"},
		{"binary plan file", []string{file("plan.out", "PK\x03\x04rest")}, "", exitNotAPlan, "a saved plan file, not its JSON"},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, "", exitError, "cannot read the plan JSON"},
		{"two files", []string{"a", "b"}, "", exitError, "one plan at a time"},
		{"bad format", []string{"-format", "html"}, mixed, exitError, `-format "html" is not text, markdown or json`},
		{"bad names", []string{"-names", "always"}, mixed, exitError, `-names "always" is not auto or off`},
		{"unknown flag", []string{"-colour"}, mixed, exitError, "flag provided but not defined: -colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := invoke(t, tt.args, tt.stdin, nil, false)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) || tt.stderr == "" && stderr != "" {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr with %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

func TestNoPlanFromATerminal(t *testing.T) {
	code, _, stderr := invoke(t, nil, "", nil, true)
	if code != exitError || !strings.Contains(stderr, "no plan JSON: give a file, or pipe one in") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestHelpListsExitStatuses(t *testing.T) {
	code, _, stderr := invoke(t, []string{"-h"}, "", nil, false)
	for _, want := range []string{"usage: confluence-drift", "-format string", "Exit status:", "2  drift", "6  the input is not a plan's JSON"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("usage lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitNoChange {
		t.Errorf("exit %d", code)
	}
}

func TestColoursOnlyOnATerminalWithoutNoColor(t *testing.T) {
	plan := recordedPlan(t, "mixed")
	for _, tt := range []struct {
		name     string
		terminal bool
		vars     map[string]string
		colour   bool
	}{
		{"terminal", true, nil, true},
		{"terminal with NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, false},
		{"dumb terminal", true, map[string]string{"TERM": "dumb"}, false},
		{"pipe", false, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, stdout, _ := invoke(t, []string{"-"}, plan, tt.vars, tt.terminal)
			if got := strings.Contains(stdout, "\x1b["); got != tt.colour {
				t.Errorf("colours %v, want %v:\n%s", got, tt.colour, stdout)
			}
		})
	}
}

func TestNamesSettingsThatDoNotResolveAreAWarning(t *testing.T) {
	code, stdout, stderr := invoke(t, []string{"-"}, recordedPlan(t, "mixed"), map[string]string{"CONFLUENCE_URL": "https://example.atlassian.net"}, false)
	if code != exitDrift || !strings.Contains(stdout, "undo drift") {
		t.Errorf("exit %d, report:\n%s", code, stdout)
	}
	if !strings.Contains(stderr, "confluence-drift: names not looked up:") {
		t.Errorf("stderr %q", stderr)
	}
	// -names off asks nothing and says nothing.
	if _, _, stderr := invoke(t, []string{"-names", "off", "-"}, recordedPlan(t, "mixed"), map[string]string{"CONFLUENCE_URL": "https://example.atlassian.net"}, false); stderr != "" {
		t.Errorf("with -names off, stderr %q", stderr)
	}
	// A site out of reach: the report shows ids, and stderr says why.
	unreachable := map[string]string{"CONFLUENCE_URL": "http://127.0.0.1:1", "CONFLUENCE_DEPLOYMENT": "cloud",
		"CONFLUENCE_USER": "me@example.com", "CONFLUENCE_API_TOKEN": "t", "CONFLUENCE_MAX_RETRIES": "0"}
	code, stdout, stderr = invoke(t, []string{"-"}, recordedPlan(t, "mixed"), unreachable, false)
	if code != exitDrift || !strings.Contains(stdout, "user:5c3f8e9a1b2d4e6f7a8b9c0d ") || !strings.Contains(stderr, "confluence-drift: names: looking up 1 users:") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
