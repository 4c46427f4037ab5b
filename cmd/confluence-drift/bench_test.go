package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift/names"
	"github.com/spacekeeper/terraform-provider-confluence/internal/drift/render"
)

// The benchmark's plan: 50 spaces, each a confluence_space_permissions
// with 9 grants made by hand (which the apply undoes) and 9 added by the
// configuration, every one to another user, and the same 2 groups losing a
// grant everywhere: 1,000 changed grants of 902 principals.
const (
	benchSpaces         = 50
	benchDriftPerSpace  = 9
	benchConfigPerSpace = 9
	benchGroups         = 2
)

func benchUser(space, i int) string { return fmt.Sprintf("bench%02d%03d", space, i) }
func benchGroup(i int) string       { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

// benchPlan writes the plan JSON as Terraform shows it.
func benchPlan(tb testing.TB) []byte {
	tb.Helper()
	var drifts, changes []map[string]any
	for s := range benchSpaces {
		key := fmt.Sprintf("S%02d", s)
		prior := map[string][]string{"user:admin": {"read/space", "administer/space"}}
		for g := range benchGroups {
			prior["group:"+benchGroup(g)] = []string{"read/space", "create/page"}
		}
		now, planned := clone(prior), clone(prior)
		for i := range benchDriftPerSpace {
			now["user:"+benchUser(s, i)] = []string{"read/space"}
		}
		for i := range benchConfigPerSpace {
			planned["user:"+benchUser(s, benchDriftPerSpace+i)] = []string{"read/space"}
		}
		for g := range benchGroups {
			planned["group:"+benchGroup(g)] = []string{"read/space"}
		}
		resource := func(before, after map[string][]string) map[string]any {
			value := func(g map[string][]string) map[string]any {
				return map[string]any{"id": key, "space_key": key, "grants": g}
			}
			return map[string]any{"address": `confluence_space_permissions.all["` + key + `"]`, "mode": "managed", "type": "confluence_space_permissions",
				"provider_name": "registry.terraform.io/spacekeeper/confluence",
				"change":        map[string]any{"actions": []string{"update"}, "before": value(before), "after": value(after), "after_unknown": map[string]any{}}}
		}
		drifts = append(drifts, resource(prior, now))
		changes = append(changes, resource(now, planned))
	}
	data, err := json.Marshal(map[string]any{"format_version": "1.2", "terraform_version": "1.11.4",
		"planned_values": map[string]any{}, "resource_drift": drifts, "resource_changes": changes})
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func clone(g map[string][]string) map[string][]string {
	out := make(map[string][]string, len(g))
	for k, v := range g {
		out[k] = v
	}
	return out
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReport prints what the report of a big plan costs: CPU time per
// report (the simulator's, in this process, included) and, with
// credentials, the names requests per 100 principals. It prints; it does
// not assert, since CI machines differ.
//
//	go test -run '^$' -bench BenchmarkReport ./cmd/confluence-drift
func BenchmarkReport(b *testing.B) {
	plan := benchPlan(b)

	b.Run("without-names", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			r, err := drift.Parse(plan)
			if err != nil {
				b.Fatal(err)
			}
			if err := render.Text(io.Discard, r, render.TextOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	})

	b.Run("with-names-cloud", func(b *testing.B) {
		seed := confluencesim.DemoSeed()
		for s := range benchSpaces {
			for i := range benchDriftPerSpace + benchConfigPerSpace {
				id := benchUser(s, i)
				seed.Users = append(seed.Users, confluencesim.SeedUser{AccountID: id, DisplayName: "Person " + id, Email: id + "@example.com"})
			}
		}
		for g := range benchGroups {
			seed.Groups = append(seed.Groups, confluencesim.SeedGroup{ID: benchGroup(g), Name: fmt.Sprintf("team-%d", g)})
		}
		sim, srv := confluencesim.Start(b, seed, confluencesim.Options{Flavour: confluencesim.Cloud})
		url, user, token, deployment := srv.URL, "terraform@example.com", "demo-token", "cloud"
		settings, problems := setup.Resolve(setup.Given{URL: &url, User: &user, APIToken: &token, Deployment: &deployment}, func(string) string { return "" })
		if len(problems) > 0 {
			b.Fatal(problems)
		}
		client, err := setup.Open(context.Background(), settings, setup.Options{})
		if err != nil {
			b.Fatal(err)
		}
		sim.ResetRequestCounts()
		principals := 0
		start := cpuTime()
		for b.Loop() {
			r, err := drift.Parse(plan)
			if err != nil {
				b.Fatal(err)
			}
			// A resolver per report: each run of the command starts cold.
			if res := names.New(client).Fill(context.Background(), r); len(res.Failed)+len(res.Missing) > 0 {
				b.Fatalf("names: %+v", res)
			}
			var out bytes.Buffer
			if err := render.Text(&out, r, render.TextOptions{}); err != nil {
				b.Fatal(err)
			}
			principals = len(r.Principals())
		}
		requests := float64(sim.TotalRequests()) / float64(b.N)
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
		b.ReportMetric(float64(principals), "principals")
		b.ReportMetric(requests, "requests/op")
		b.ReportMetric(requests*100/float64(principals), "requests/100-principals")
		b.ReportMetric(float64(sim.RequestCount("POST /wiki/api/v2/users-bulk"))/float64(b.N), "users-bulk/op")
		b.ReportMetric(float64(sim.RequestCount("GET /wiki/rest/api/group/by-id"))/float64(b.N), "group-lookups/op")
	})
}
