package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// Acceptance tests of resource identity (Terraform 1.12 and later) and of
// terraform query (1.14 and later) with the real CLI. They skip on older
// CLIs, which is what `make test` runs today (the protocol tests in
// identity_test.go and list_test.go cover the same ground without a CLI);
// TF_ACC_TERRAFORM_PATH=/path/to/terraform-1.14 runs them.

// TestAccIdentity_importBlock: every legacy resource imported with an
// import block that names it by identity, on every target.
func TestAccIdentity_importBlock(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		alice, hr, terraformAcct, engineering := s.user("alice"), s.group("hr-team"), s.user("terraform"), s.group("engineering")
		config := s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission" "export" {
  space_key = "DOCS"
  principal = %s
  operation = "export/space"
}

resource "confluence_space_permission_set" "hr" {
  space_key  = "HR"
  principal  = %s
  operations = ["read/space", "create/page", "delete/page", "create/attachment"]
}

resource "confluence_space_permissions" "ops" {
  space_key = "OPS"
  grants = {
    %q = ["read/space", "administer/space"]
    %q = ["read/space", "create/page", "create/comment"]
  }
}
`, principalHCL(alice), principalHCL(hr), terraformAcct.Key(), engineering.Key())
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					// The seed holds all of it already: creating adopts it.
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectIdentity("confluence_space_permission.export", map[string]knownvalue.Check{
							"space_key": knownvalue.StringExact("DOCS"), "principal_type": knownvalue.StringExact("user"),
							"principal_id": knownvalue.StringExact(alice.ID), "operation": knownvalue.StringExact("export/space"),
						}),
						statecheck.ExpectIdentity("confluence_space_permission_set.hr", map[string]knownvalue.Check{
							"space_key": knownvalue.StringExact("HR"), "principal_type": knownvalue.StringExact("group"),
							"principal_id": knownvalue.StringExact(hr.ID),
						}),
						statecheck.ExpectIdentity("confluence_space_permissions.ops", map[string]knownvalue.Check{
							"space_key": knownvalue.StringExact("OPS"),
						}),
					},
				},
				importByIdentityStep("confluence_space_permission.export"),
				importByIdentityStep("confluence_space_permission_set.hr"),
				importByIdentityStep("confluence_space_permissions.ops"),
			},
		})
	})
}

// TestAccRoleIdentity_importBlock: the role resources imported by identity.
func TestAccRoleIdentity_importBlock(t *testing.T) {
	t.Parallel()
	s := rolesScenarioSite(t)
	config := s.providerBlock() + fmt.Sprintf(`
resource "confluence_space_role" "reviewer" {
  name        = "Reviewer"
  permissions = ["read/space", "create/comment"]
}

resource "confluence_space_role_assignment" "engineering" {
  space_key = "HR"
  principal = { type = "group", id = %q }
  role_name = "Collaborator"
}

resource "confluence_space_role_assignments" "docs" {
  space_key = "DOCS"
  assignments = {
    "user:%s"                      = "Admin"
    "group:%s"                     = "Collaborator"
    "access_class:anonymous-users" = "Viewer"
  }
}
`, s.group("engineering").ID, s.user("terraform").ID, s.group("engineering").ID)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			importByIdentityStep("confluence_space_role.reviewer"),
			importByIdentityStep("confluence_space_role_assignment.engineering"),
			importByIdentityStep("confluence_space_role_assignments.docs"),
		},
	})
}

func importByIdentityStep(addr string) resource.TestStep {
	return resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity}
}

// TestAccList_query: terraform query against every target, with the
// results' identities and display names.
func TestAccList_query(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, s *site) {
		alice := s.user("alice")
		aliceName := map[permissions.Deployment]string{permissions.Cloud: "Alice Martin", permissions.DataCenter: "alice"}[s.deployment]
		resource.Test(t, resource.TestCase{
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: s.providerBlock()},
				{
					Query: true,
					Config: `
list "confluence_space_permission" "docs" {
  provider = confluence
  config {
    space_keys = ["DOCS"]
  }
}

list "confluence_space_permission_set" "groups" {
  provider = confluence
  config {
    space_labels   = ["engineering"]
    principal_type = "group"
  }
}

list "confluence_space_permissions" "site" {
  provider = confluence
}
`,
					QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength("confluence_space_permission.docs", 8),
						querycheck.ExpectIdentity("confluence_space_permission.docs", map[string]knownvalue.Check{
							"space_key": knownvalue.StringExact("DOCS"), "principal_type": knownvalue.StringExact("user"),
							"principal_id": knownvalue.StringExact(alice.ID), "operation": knownvalue.StringExact("administer/space"),
						}),
						querycheck.ExpectResourceDisplayName("confluence_space_permission.docs",
							queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
								"space_key": knownvalue.StringExact("DOCS"), "principal_type": knownvalue.StringExact("anonymous"),
								"principal_id": knownvalue.Null(), "operation": knownvalue.StringExact("read/space"),
							}),
							knownvalue.StringExact("DOCS: anonymous — read/space")),
						querycheck.ExpectResourceDisplayName("confluence_space_permission.docs",
							queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
								"space_key": knownvalue.StringExact("DOCS"), "principal_type": knownvalue.StringExact("user"),
								"principal_id": knownvalue.StringExact(alice.ID), "operation": knownvalue.StringExact("read/space"),
							}),
							knownvalue.StringExact("DOCS: user "+aliceName+" — read/space")),
						querycheck.ExpectLength("confluence_space_permission_set.groups", 3),
						querycheck.ExpectLength("confluence_space_permissions.site", 4),
					},
				},
			},
		})
	})
}

// queryWorkspace is a workspace for a query test on a CLI that has
// terraform query; older CLIs skip the test.
func queryWorkspace(t *testing.T, w *tfrun.Workspace, major, minor int) {
	t.Helper()
	ok, err := w.AtLeast(context.Background(), major, minor)
	switch {
	case err != nil:
		t.Skipf("cannot tell the version of the CLI under test: %v", err)
	case !ok:
		t.Skipf("needs Terraform %d.%d or later", major, minor)
	}
}

// TestAccScenarioQueryAdopt runs the guide's three ways of adopting a site
// with terraform query -generate-config-out (examples/scenarios/query-*):
// the generated resources and import blocks import exactly what the site
// holds, the apply changes nothing in Confluence, and the next plan is
// empty.
func TestAccScenarioQueryAdopt(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		for _, c := range []struct {
			scenario, tfvars, resource string
			found                      int
		}{
			{"query-every-space", "", `resource "confluence_space_permissions" "site_3"`, 4},
			{"query-these-spaces", `space_keys = ["DOCS", "ENG"]`, `resource "confluence_space_permission_set" "spaces_5"`, 6},
			{"query-one-principal", fmt.Sprintf("group_id = %q", s.group("engineering").ID), `resource "confluence_space_permission_set" "group_1"`, 2},
		} {
			t.Run(c.scenario, func(t *testing.T) {
				s := s.restart(t)
				w := scenario(t, s, c.scenario, nil)
				queryWorkspace(t, w, 1, 14)
				if c.tfvars != "" {
					if err := w.WriteFile("terraform.tfvars", c.tfvars+"\n"); err != nil {
						t.Fatal(err)
					}
				}
				before := siteGrants(t, s)
				adoptWithQuery(t, w, c.resource, c.found)
				if after := siteGrants(t, s); after != before {
					t.Fatalf("adopting changed the site:\n%s\nwas\n%s", after, before)
				}
			})
		}
	})
}

// TestAccScenarioQueryAdoptRoles adopts every role assignment of a roles
// site one principal at a time: the generated configuration names each role
// by role_name alone, as the resource requires.
func TestAccScenarioQueryAdoptRoles(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	s := rolesScenarioSite(t)
	w := workspace(t)
	queryWorkspace(t, w, 1, 14)
	if err := w.WriteFile("main.tf", s.providerBlock()); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteFile("list.tfquery.hcl", "list \"confluence_space_role_assignment\" \"site\" {\n  provider = confluence\n}\n"); err != nil {
		t.Fatal(err)
	}
	before := fmt.Sprint(s.sim.RoleAssignments("HR"))
	adoptWithQuery(t, w, `resource "confluence_space_role_assignment" "site_6"`, 7)
	if after := fmt.Sprint(s.sim.RoleAssignments("HR")); after != before {
		t.Fatalf("adopting changed HR:\n%s\nwas\n%s", after, before)
	}
}

// adoptWithQuery runs terraform query -generate-config-out, then applies
// what it wrote and expects an empty plan after.
func adoptWithQuery(t *testing.T, w *tfrun.Workspace, resourceBlock string, found int) {
	t.Helper()
	if _, err := w.Query(context.Background(), "generated.tf"); err != nil {
		stdout, stderr := w.Output()
		t.Fatalf("query: %v\n%s%s", err, stdout, stderr)
	}
	generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("query -generate-config-out wrote nothing: %v", err)
	}
	if !strings.Contains(string(generated), resourceBlock) || strings.Count(string(generated), "identity = {") != found {
		t.Fatalf("want %d imports by identity and %s; generated configuration:\n%s", found, resourceBlock, generated)
	}
	if changes := planChanges(t, w); len(changes) > 0 {
		t.Fatalf("importing should change nothing, the plan has: %v\ngenerated:\n%s", changes, generated)
	}
	mustApply(t, w)
	expectNoChanges(t, w)
}

// TestAccScenarioIdentityAdopt adopts with import blocks that name what
// they import by identity, as Terraform 1.12 and 1.13 users do without
// terraform query (examples/scenarios/identity-adopt).
func TestAccScenarioIdentityAdopt(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		w := scenario(t, s, "identity-adopt", nil)
		queryWorkspace(t, w, 1, 12)
		before := siteGrants(t, s)
		changes := planChanges(t, w, tfexec.GenerateConfigOut("generated.tf"))
		if len(changes) != 0 {
			t.Fatalf("importing should change nothing, the plan has: %v", changes)
		}
		generated, err := os.ReadFile(filepath.Join(w.Dir, "generated.tf"))
		if err != nil || !strings.Contains(string(generated), `resource "confluence_space_permission_set" "docs_public"`) {
			t.Fatalf("plan -generate-config-out wrote %v:\n%s", err, generated)
		}
		mustApply(t, w)
		expectNoChanges(t, w)
		if after := siteGrants(t, s); after != before {
			t.Fatalf("adopting changed the site:\n%s\nwas\n%s", after, before)
		}
	})
}

// TestAccScenarioIdentityImports: the configuration that writes an import
// block per space (examples/scenarios/identity-imports) writes one for
// every space, and with Terraform 1.12 and later those blocks adopt the
// whole site without changing it.
func TestAccScenarioIdentityImports(t *testing.T) {
	skipUnlessAcc(t)
	onEveryTarget(t, func(t *testing.T, s *site) {
		w := scenario(t, s, "identity-imports", nil)
		mustApply(t, w)
		state, err := w.State(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		imports, _ := state.Values.Outputs["import_blocks"].Value.(string)
		if strings.Count(imports, "import {") != 4 || !strings.Contains(imports, "to       = confluence_space_permissions.space_docs\n") ||
			!strings.Contains(imports, `identity = { space_key = "DOCS" }`) {
			t.Fatalf("import blocks:\n%s", imports)
		}
		adopt := workspace(t)
		queryWorkspace(t, adopt, 1, 12)
		if err := adopt.WriteFile("main.tf", s.providerBlock()); err != nil {
			t.Fatal(err)
		}
		if err := adopt.WriteFile("imports.tf", imports); err != nil {
			t.Fatal(err)
		}
		before := siteGrants(t, s)
		if changes := planChanges(t, adopt, tfexec.GenerateConfigOut("generated.tf")); len(changes) != 0 {
			t.Fatalf("importing should change nothing, the plan has: %v", changes)
		}
		mustApply(t, adopt)
		expectNoChanges(t, adopt)
		if after := siteGrants(t, s); after != before {
			t.Fatalf("adopting changed the site:\n%s\nwas\n%s", after, before)
		}
	})
}

// siteGrants renders every grant of every space of the simulator.
func siteGrants(t *testing.T, s *site) string {
	t.Helper()
	var b strings.Builder
	for _, sp := range s.sim.Spaces() {
		grants, err := s.sim.Grants(sp.Key)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:\n%s\n", sp.Key, render(groupSimGrants(grants)))
	}
	return b.String()
}
