package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
	"github.com/spacekeeper/terraform-provider-confluence/internal/probe"
)

func runProbe(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHelpDocumentsEveryFlagAndCheck(t *testing.T) {
	code, _, help := runProbe(t, nil, "-h")
	if code != exitOK {
		t.Fatalf("-h exited %d", code)
	}
	for _, want := range []string{"-url", "-space", "-write-space", "-deployment", "-format", "CONFLUENCE_USER", "CONFLUENCE_API_TOKEN", "CONFLUENCE_TOKEN", "CONFLUENCE_URL", "Exit status"} {
		if !strings.Contains(help, want) {
			t.Errorf("the usage text lacks %q", want)
		}
	}
	for _, d := range []permissions.Deployment{permissions.Cloud, permissions.DataCenter} {
		for _, name := range probe.CheckNames(d) {
			if !strings.Contains(help, "\n  "+name) {
				t.Errorf("the usage text does not document %s", name)
			}
		}
	}
}

func TestBadFlagsExitTwo(t *testing.T) {
	env := map[string]string{probe.EnvUser: "me", probe.EnvAPIToken: "tok"}
	for _, args := range [][]string{
		{"-nosuchflag"},
		{"-url", "https://example.atlassian.net", "-format", "yaml"},
		{"-url", "https://example.atlassian.net", "-deployment", "server"},
		{"-url", "https://example.atlassian.net", "extra"},
		{"-url", "https://me:tok@example.atlassian.net"},
		{"-url", "https://example.atlassian.net", "-space", "A/B"},
	} {
		if code, _, stderr := runProbe(t, env, args...); code != exitBadFlags {
			t.Errorf("%v exited %d, want %d (stderr %q)", args, code, exitBadFlags, stderr)
		} else if strings.Contains(stderr, "me:tok") {
			t.Errorf("%v: stderr repeats the credentials: %q", args, stderr)
		}
	}
	if code, _, _ := runProbe(t, nil, "-url", "https://example.atlassian.net"); code != exitBadFlags {
		t.Errorf("no credentials exited %d, want %d", code, exitBadFlags)
	}
}

func TestRunAgainstTheSimulator(t *testing.T) {
	_, ts := confluencesim.Start(t, confluencesim.DemoSeed(), confluencesim.Options{Flavour: confluencesim.DataCenter})
	env := map[string]string{probe.EnvURL: ts.URL, probe.EnvUser: "terraform", probe.EnvAPIToken: "demo-token"}
	code, out, stderr := runProbe(t, env, "-space", "DOCS,ENG", "-space", "HR", "-format", "json")
	if code != exitOK {
		t.Fatalf("exited %d: %s", code, stderr)
	}
	var rep probe.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range rep.Spaces {
		keys = append(keys, s.Key)
	}
	if rep.Deployment != "datacenter" || strings.Join(keys, ",") != "DOCS,ENG,HR" {
		t.Errorf("deployment %q, spaces %v", rep.Deployment, keys)
	}
	if strings.Contains(out, "demo-token") {
		t.Error("the report contains the password")
	}

	env[probe.EnvAPIToken] = "wrong"
	if code, _, _ := runProbe(t, env); code != exitCheckFails {
		t.Errorf("wrong credentials exited %d, want %d", code, exitCheckFails)
	}
}
