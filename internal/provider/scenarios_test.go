package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// The complete configurations under examples/scenarios are the jobs people
// otherwise script by hand. Each test runs one, unchanged, against the
// simulator; only the provider block and variables are added.

func scenario(t *testing.T, s *site, name string, vars map[string]string) *tfrun.Workspace {
	t.Helper()
	w := workspace(t)
	dir := filepath.Join("..", "..", "examples", "scenarios", name)
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	queries, _ := filepath.Glob(filepath.Join(dir, "*.tfquery.hcl"))
	files = append(files, queries...)
	if err != nil || len(files) == 0 {
		t.Fatalf("no configuration in %s", dir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteFile(filepath.Base(f), string(data)); err != nil {
			t.Fatal(err)
		}
	}
	provider := s.providerBlock()
	provider = provider[strings.Index(provider, `provider "confluence"`):] // the scenario declares required_providers
	var tfvars strings.Builder
	for k, v := range vars {
		fmt.Fprintf(&tfvars, "%s = %q\n", k, v)
	}
	if err := w.WriteFile("provider.tf", provider); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteFile("terraform.tfvars", tfvars.String()); err != nil {
		t.Fatal(err)
	}
	return w
}

func mustApply(t *testing.T, w *tfrun.Workspace) {
	t.Helper()
	if err := w.Apply(context.Background(), 10); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func planChanges(t *testing.T, w *tfrun.Workspace, opts ...tfexec.PlanOption) []string {
	t.Helper()
	plan, err := w.Plan(context.Background(), opts...)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return tfrun.Changes(plan)
}

func expectNoChanges(t *testing.T, w *tfrun.Workspace) {
	t.Helper()
	if changes := planChanges(t, w); len(changes) > 0 {
		t.Fatalf("the plan should be empty, it has: %v", changes)
	}
}

func TestAccScenarioEverySpace(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		hr := s.group("hr-team")
		w := scenario(t, s, "every-space", map[string]string{"group_name": "hr-team"})
		mustApply(t, w)
		for _, space := range []string{"DOCS", "ENG", "HR", "OPS"} {
			if err := s.expectOperations(space, hr, "read/space", "create/page", "create/comment", "create/attachment")(); err != nil {
				t.Fatal(err)
			}
		}
		expectNoChanges(t, w)

		// A space created later is picked up by the next plan.
		if _, err := s.sim.CreateSpace(confluencesim.SeedSpace{Key: "LEGAL", Name: "Legal", Grants: []confluencesim.SeedGrant{{
			Principal: confluencesim.SeedPrincipal{Type: "user", ID: s.simPrincipal(s.user("carol")).ID}, Operations: []string{"read/space", "administer/space"},
		}}}); err != nil {
			t.Fatal(err)
		}
		changes := planChanges(t, w)
		if len(changes) != 1 || !strings.Contains(changes[0], `confluence_space_permission_set.everywhere["LEGAL"] ["create"]`) {
			t.Fatalf("the plan should create the grants in LEGAL only, it has: %v", changes)
		}
		mustApply(t, w)
		if err := s.expectOperations("LEGAL", hr, "read/space", "create/page", "create/comment", "create/attachment")(); err != nil {
			t.Fatal(err)
		}
		expectNoChanges(t, w)
	})
}

func TestAccScenarioLockdown(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		carol := s.user("carol")
		w := scenario(t, s, "lockdown", map[string]string{"space_key": "ENG", "admin": carol.ID})
		mustApply(t, w)
		// ENG had bob as admin, engineering with seven permissions and
		// confluence-users with two: all are down to View, carol administers.
		if err := s.expectSpace("ENG",
			entry{carol, []string{"read/space", "administer/space"}},
			entry{s.user("bob"), []string{"read/space"}},
			entry{s.group("engineering"), []string{"read/space"}},
			entry{s.group("confluence-users"), []string{"read/space"}},
		)(); err != nil {
			t.Fatal(err)
		}
		expectNoChanges(t, w)
	})
}

func TestAccScenarioCopySpace(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		w := scenario(t, s, "copy-space", map[string]string{"source_space": "DOCS", "target_space": "OPS"})
		mustApply(t, w)
		source, err := s.sim.Grants("DOCS")
		if err != nil {
			t.Fatal(err)
		}
		var want []entry
		for p, ops := range groupSimGrants(source) {
			want = append(want, entry{p, ops.Strings()})
		}
		if err := s.expectSpace("OPS", want...)(); err != nil {
			t.Fatal(err)
		}
		expectNoChanges(t, w)
	})
}

func TestAccScenarioAdoptSpace(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		adoptScenario(t, s, "adopt", `resource "confluence_space_permissions" "hr"`, func() (string, error) {
			grants, err := s.sim.Grants("HR")
			return render(groupSimGrants(grants)), err
		})
	})
}

// adoptScenario runs an adopt scenario: the plan that writes the
// configuration imports and changes nothing, the generated file declares
// wantResource, the apply and the plan after it change nothing, and the
// space (as snapshot renders it) is as before.
func adoptScenario(t *testing.T, s *site, name, wantResource string, snapshot func() (string, error)) {
	t.Helper()
	before, err := snapshot()
	if err != nil {
		t.Fatal(err)
	}
	w := scenario(t, s, name, nil)
	changes := planChanges(t, w, tfexec.GenerateConfigOut("generated.tf"))
	if len(changes) != 0 {
		t.Fatalf("importing should change nothing, the plan has: %v", changes)
	}
	generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("plan -generate-config-out wrote nothing: %v", err)
	}
	if !strings.Contains(string(generated), wantResource) {
		t.Fatalf("generated configuration:\n%s", generated)
	}
	mustApply(t, w)
	expectNoChanges(t, w)
	after, err := snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("adopting changed the space:\n%s\nwas\n%s", after, before)
	}
}

func groupSimGrants(grants []confluencesim.Grant) permissions.Grants {
	out := permissions.Grants{}
	for _, g := range grants {
		if out[g.Principal] == nil {
			out[g.Principal] = permissions.OperationSet{}
		}
		out[g.Principal][g.Operation] = struct{}{}
	}
	return out
}

// rolesScenarioSite is a roles-only site where the spaces already have role
// assignments, as a site moved to roles would: the provider's account and
// bob administer HR, engineering collaborates in DOCS and HR, carol views
// HR.
func rolesScenarioSite(t *testing.T) *site {
	t.Helper()
	s := rolesSite(t, confluencesim.RolesOnly)
	for _, a := range []struct {
		space, typ, who, role string
	}{
		{"HR", "user", "terraform", "Admin"},
		{"HR", "user", "bob", "Admin"},
		{"HR", "group", "engineering", "Collaborator"},
		{"HR", "user", "carol", "Viewer"},
		{"DOCS", "user", "terraform", "Admin"},
		{"DOCS", "group", "engineering", "Collaborator"},
		{"DOCS", "access_class", "anonymous-users", "Viewer"},
	} {
		typ := map[string]confluencesim.RolePrincipalType{"user": confluencesim.RoleUser, "group": confluencesim.RoleGroup, "access_class": confluencesim.RoleAccessClass}[a.typ]
		s.assignRole(a.space, s.roleHolder(typ, a.who), a.role)
	}
	return s
}

func TestAccScenarioRolesEverySpace(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	s := rolesScenarioSite(t)
	hr := s.roleHolder(confluencesim.RoleGroup, "hr-team")
	w := scenario(t, s, "roles-every-space", map[string]string{"group_name": "hr-team"})
	mustApply(t, w)
	for _, space := range []string{"DOCS", "ENG", "HR", "OPS"} {
		if err := s.expectRole(space, hr, "Collaborator")(nil); err != nil {
			t.Fatal(err)
		}
	}
	expectNoChanges(t, w)

	// A space created later is picked up by the next plan.
	if _, err := s.sim.CreateSpace(confluencesim.SeedSpace{Key: "LEGAL", Name: "Legal", Grants: []confluencesim.SeedGrant{{
		Principal: confluencesim.SeedPrincipal{Type: "user", ID: s.roleHolder(confluencesim.RoleUser, "carol").ID}, Operations: []string{"read/space", "administer/space"},
	}}}); err != nil {
		t.Fatal(err)
	}
	changes := planChanges(t, w)
	if len(changes) != 1 || !strings.Contains(changes[0], `confluence_space_role_assignment.everywhere["LEGAL"] ["create"]`) {
		t.Fatalf("the plan should assign the role in LEGAL only, it has: %v", changes)
	}
	mustApply(t, w)
	if err := s.expectRole("LEGAL", hr, "Collaborator")(nil); err != nil {
		t.Fatal(err)
	}
	expectNoChanges(t, w)
}

func TestAccScenarioRolesLockdown(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	s := rolesScenarioSite(t)
	terraformAcct := s.roleHolder(confluencesim.RoleUser, "terraform")
	w := scenario(t, s, "roles-lockdown", map[string]string{"space_key": "HR", "admin": terraformAcct.ID})
	mustApply(t, w)
	// bob lost Admin and engineering Collaborator: everyone views, the
	// named administrator administers.
	if err := s.expectRoles("HR", map[confluencesim.RolePrincipal]string{
		terraformAcct: "Admin",
		s.roleHolder(confluencesim.RoleUser, "bob"):          "Viewer",
		s.roleHolder(confluencesim.RoleGroup, "engineering"): "Viewer",
		s.roleHolder(confluencesim.RoleUser, "carol"):        "Viewer",
	})(nil); err != nil {
		t.Fatal(err)
	}
	expectNoChanges(t, w)
}

func TestAccScenarioRolesCopySpace(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	s := rolesScenarioSite(t)
	w := scenario(t, s, "roles-copy-space", map[string]string{"source_space": "DOCS", "target_space": "OPS"})
	mustApply(t, w)
	if err := s.expectRoles("OPS", map[confluencesim.RolePrincipal]string{
		s.roleHolder(confluencesim.RoleUser, "terraform"):              "Admin",
		s.roleHolder(confluencesim.RoleGroup, "engineering"):           "Collaborator",
		s.roleHolder(confluencesim.RoleAccessClass, "anonymous-users"): "Viewer",
	})(nil); err != nil {
		t.Fatal(err)
	}
	expectNoChanges(t, w)
}

func TestAccScenarioRolesAdoptSpace(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	s := rolesScenarioSite(t)
	adoptScenario(t, s, "roles-adopt", `resource "confluence_space_role_assignments" "hr"`, func() (string, error) {
		assignments, err := s.sim.RoleAssignments("HR")
		return fmt.Sprint(assignments), err
	})
}
