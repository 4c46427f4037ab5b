package main

import (
	"fmt"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The demo seed's principals, as the simulator and Cloud name them.
const (
	aliceID      = "5b10ac8d82e05b22cc7d4ef5"
	bobID        = "5b10a2844c20165700ede21f"
	carolID      = "5c3f8e9a1b2d4e6f7a8b9c0d"
	everyoneID   = "8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f" // confluence-users
	engineeringG = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
)

var (
	bob      = permissions.Principal{Type: permissions.User, ID: bobID}
	everyone = permissions.Principal{Type: permissions.Group, ID: everyoneID}
)

var cloud = confluencesim.Options{Flavour: confluencesim.Cloud}

// onEveryCLI runs a scenario on Terraform and, where the harness has it,
// OpenTofu, one after the other (each starts its own site).
func onEveryCLI(t *testing.T, scenario func(t *testing.T, c cli)) {
	skipUnlessAcc(t)
	for _, c := range clis(t) {
		t.Run(c.name, func(t *testing.T) { scenario(t, c) })
	}
}

func TestAccDriftLegacyGrants(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		w.write(fmt.Sprintf(`
data "confluence_user" "bob" {
  account_id = %q
}

resource "confluence_space_permission" "bob_hr" {
  for_each  = toset(["read/space", "export/space", "create/page"])
  space_key = "HR"
  principal = { type = "user", id = data.confluence_user.bob.id }
  operation = each.value
}
`, bobID))
		w.apply()
		w.revoke("HR", bob, "export/space")

		plan := w.plan(2, "legacy-grants")
		expectReport(t, plan, nil, exitDrift, []string{"HR user:" + bobID + " (Bob Nguyen) revoked export/space undo_drift"})
	})
}

func TestAccDriftPermissionSet(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		w.write(`
data "confluence_group" "engineering" {
  name = "engineering"
}

resource "confluence_space_permission_set" "engineering_ops" {
  space_key  = "OPS"
  principal  = { type = "group", id = data.confluence_group.engineering.id }
  operations = ["read/space", "create/page", "create/comment"]
}
`)
		w.apply()
		engineering := permissions.Principal{Type: permissions.Group, ID: engineeringG}
		w.grant("OPS", engineering, "delete/page")
		w.revoke("OPS", engineering, "create/comment")

		plan := w.plan(2, "permission-set")
		expectReport(t, plan, nil, exitDrift, []string{
			"OPS group:" + engineeringG + " (engineering) granted delete/page undo_drift",
			"OPS group:" + engineeringG + " (engineering) revoked create/comment undo_drift",
		})
	})
}

// wholeSpace is DOCS as the demo seed has it, in the deployment's ids.
func wholeSpace(alice, everyone string) string {
	return fmt.Sprintf(`
resource "confluence_space_permissions" "docs" {
  space_key = "DOCS"
  grants = {
    "user:%s"  = ["read/space", "administer/space", "export/space"]
    "group:%s" = ["read/space", "create/page", "create/comment", "create/attachment"]
    "anonymous" = ["read/space"]
  }
}
`, alice, everyone)
}

func TestAccDriftWholeSpace(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		w.write(wholeSpace(aliceID, everyoneID))
		w.apply()

		// Nothing changed yet: exit 0, and a report that says so.
		plan := w.plan(0, "no-change")
		expectReport(t, plan, nil, exitNoChange, nil)

		w.grant("DOCS", bob, "read/space")
		w.grant("DOCS", bob, "administer/space")
		w.revoke("DOCS", permissions.AnonymousPrincipal, "read/space")
		plan = w.plan(2, "whole-space")
		// No data source names bob: without credentials the report shows ids.
		expectReport(t, plan, nil, exitDrift, []string{
			"DOCS user:" + bobID + " granted administer/space undo_drift",
			"DOCS user:" + bobID + " granted read/space undo_drift",
			"DOCS anonymous (Anonymous) revoked read/space undo_drift",
		})

		// With credentials, bob is looked up: one bulk request.
		w.sim.ResetRequestCounts()
		expectReport(t, plan, w.getenv, exitDrift, []string{
			"DOCS user:" + bobID + " (Bob Nguyen) granted administer/space undo_drift",
			"DOCS user:" + bobID + " (Bob Nguyen) granted read/space undo_drift",
			"DOCS anonymous (Anonymous) revoked read/space undo_drift",
		})
		if n, all := w.sim.RequestCount("POST /wiki/api/v2/users-bulk"), w.sim.TotalRequests(); n != 1 || all != 1 {
			t.Errorf("names took %d users-bulk requests of %d in all (%v), want 1 of 1", n, all, w.sim.RequestCounts())
		}

		// A refresh-only plan of the same drift: the apply would record it.
		if code, out := w.run("plan", "-refresh-only", "-input=false", "-no-color", "-out=refresh.out"); code != 0 {
			t.Fatalf("plan -refresh-only: exit %d\n%s", code, out)
		}
		_, refreshOnly := w.run("show", "-json", "refresh.out")
		w.record("whole-space-refresh-only", refreshOnly)
		expectReport(t, refreshOnly, nil, exitDrift, []string{
			"DOCS user:" + bobID + " granted administer/space record_drift",
			"DOCS user:" + bobID + " granted read/space record_drift",
			"DOCS anonymous (Anonymous) revoked read/space record_drift",
		})
	})
}

func TestAccDriftWholeSpaceDataCenter(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, confluencesim.Options{Flavour: confluencesim.DataCenter, DCVersion: "9.2.1"})
		// Data Center names users by username and groups by name.
		w.write(wholeSpace("alice", "confluence-users"))
		w.apply()
		w.grant("DOCS", bob, "read/space")
		w.revoke("DOCS", everyone, "create/attachment")

		plan := w.plan(2, "whole-space-datacenter")
		w.sim.ResetRequestCounts()
		expectReport(t, plan, w.getenv, exitDrift, []string{
			"DOCS user:bob (Bob Nguyen) granted read/space undo_drift",
			"DOCS group:confluence-users revoked create/attachment undo_drift",
		})
		// One lookup for bob (a group's id is its name already), after the
		// one read of the server's version that chooses its API.
		if n, all := w.sim.RequestCount("GET /rest/api/user"), w.sim.TotalRequests(); n != 1 || all != 2 {
			t.Errorf("names took %d user requests of %d in all (%v), want 1 of 2", n, all, w.sim.RequestCounts())
		}
	})
}

func TestAccDriftRoleAssignment(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		w.useRoles()
		w.write(fmt.Sprintf(`
resource "confluence_space_role_assignment" "carol_docs" {
  space_key = "DOCS"
  principal = { type = "user", id = %q }
  role_name = "Viewer"
}

resource "confluence_space_role_assignment" "everyone_eng" {
  space_key = "ENG"
  principal = { type = "access_class", id = "authenticated-users" }
  role_name = "Viewer"
}
`, carolID))
		w.apply()
		w.assignRole("DOCS", confluencesim.RoleUser, carolID, "Admin")
		w.assignRole("ENG", confluencesim.RoleAccessClass, "authenticated-users", "")

		plan := w.plan(2, "role-assignment")
		expectReport(t, plan, nil, exitDrift, []string{
			"DOCS user:" + carolID + " role_changed Viewer->Admin then Viewer undo_drift",
			"ENG access_class:authenticated-users (Authenticated users) role_changed Viewer->none then Viewer undo_drift",
		})
	})
}

func TestAccDriftMixedWithConfigurationChanges(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		config := func(extra string, engOps string) string {
			return fmt.Sprintf(`
data "confluence_user" "bob" {
  account_id = %q
}

data "confluence_group" "everyone" {
  name = "confluence-users"
}

resource "confluence_space_permissions" "docs" {
  space_key = "DOCS"
  grants = {
    "user:%s"                                    = ["read/space", "administer/space", "export/space"]
    "group:${data.confluence_group.everyone.id}" = ["read/space", "create/page", "create/comment", "create/attachment"]
    "anonymous"                                  = ["read/space"]
    %s
  }
}

resource "confluence_space_permission_set" "everyone_eng" {
  space_key  = "ENG"
  principal  = { type = "group", id = data.confluence_group.everyone.id }
  operations = %s
}
`, bobID, aliceID, extra, engOps)
		}
		w.write(config("", `["read/space", "create/comment"]`))
		w.apply()

		// By hand: bob administers DOCS. In the configuration: carol gets
		// export in DOCS and HR, and everyone stops commenting in ENG.
		w.grant("DOCS", bob, "read/space")
		w.grant("DOCS", bob, "administer/space")
		w.write(config(fmt.Sprintf(`"user:%s" = ["read/space", "export/space"]`, carolID), `["read/space"]`) + fmt.Sprintf(`
resource "confluence_space_permission" "carol_hr_export" {
  space_key = "HR"
  principal = { type = "user", id = %q }
  operation = "export/space"
}
`, carolID))

		w.recordOpenTofu = true // OpenTofu's plan renders the same: the golden files show it
		plan := w.plan(2, "mixed")
		expectReport(t, plan, nil, exitDrift, []string{
			"DOCS user:" + carolID + " granted export/space apply_configuration",
			"DOCS user:" + carolID + " granted read/space apply_configuration",
			"DOCS user:" + bobID + " (Bob Nguyen) granted administer/space undo_drift",
			"DOCS user:" + bobID + " (Bob Nguyen) granted read/space undo_drift",
			"ENG group:" + everyoneID + " (confluence-users) revoked create/comment apply_configuration",
			"HR user:" + carolID + " granted export/space apply_configuration",
		})
	})
}

func TestAccDriftConfigurationOnly(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		set := func(ops string) string {
			return fmt.Sprintf(`
resource "confluence_space_permission_set" "everyone_ops" {
  space_key  = "OPS"
  principal  = { type = "group", id = %q }
  operations = %s
}
`, everyoneID, ops)
		}
		w.write(set(`["read/space"]`))
		w.apply()
		w.write(set(`["read/space", "create/comment"]`))

		plan := w.plan(2, "configuration-only")
		expectReport(t, plan, nil, exitConfiguration, []string{"OPS group:" + everyoneID + " granted create/comment apply_configuration"})
	})
}

func TestAccDriftRoleAssignmentsOfASpace(t *testing.T) {
	onEveryCLI(t, func(t *testing.T, c cli) {
		w := newWorkdir(t, c, cloud)
		w.useRoles()
		w.write(fmt.Sprintf(`
resource "confluence_space_role_assignments" "docs" {
  space_key = "DOCS"
  assignments = {
    "user:%s"                          = "Admin"
    "user:%s"                          = "Collaborator"
    "access_class:authenticated-users" = "Viewer"
  }
}
`, aliceID, carolID))
		w.apply()
		w.assignRole("DOCS", confluencesim.RoleUser, bobID, "Manager")
		w.assignRole("DOCS", confluencesim.RoleAccessClass, "authenticated-users", "")

		plan := w.plan(2, "role-assignments")
		expectReport(t, plan, nil, exitDrift, []string{
			"DOCS user:" + bobID + " role_changed none->Manager then none undo_drift",
			"DOCS access_class:authenticated-users (Authenticated users) role_changed Viewer->none then Viewer undo_drift",
		})
	})
}
