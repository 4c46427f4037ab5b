package benchmark

import (
	"context"
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// RoleAssignments measures the apply of one confluence_space_role_assignments
// giving principals people a role in one space of a roles-only Cloud site
// (Viewer and Collaborator by turns), Terraform's account keeping Admin.
func RoleAssignments(ctx context.Context, cfg Config, principals int) (Measurement, error) {
	seed := siteSeed(1, principals)
	seed.RoleMode = confluencesim.RolesOnly
	// Terraform's account holds Admin besides the seeded grants (which a
	// seed needs to have the space administered).
	seed.Spaces[0].RoleAssignments = []confluencesim.SeedRoleAssignment{
		{Principal: confluencesim.SeedRolePrincipal{Type: confluencesim.RoleUser, ID: adminAccountID}, Role: "Admin"},
	}
	b, stop, err := newBench(ctx, cfg, "role-assignments", seed, confluencesim.Options{Flavour: confluencesim.Cloud}, nil)
	if err != nil {
		return Measurement{}, err
	}
	defer stop()
	var entries strings.Builder
	fmt.Fprintf(&entries, "    \"user:%s\" = \"Admin\"\n", adminAccountID)
	for p := 0; p < principals; p++ {
		fmt.Fprintf(&entries, "    \"user:%s\" = %q\n", accountID(p), []string{"Viewer", "Collaborator"}[p%2])
	}
	config := b.providerBlock("cloud") + `
resource "confluence_space_role_assignments" "space" {
  space_key = "SP01"
  assignments = {
` + entries.String() + `  }
}
`
	if err := b.w.WriteFile("main.tf", config); err != nil {
		return Measurement{}, err
	}
	// The plan already reads what the guard and the role names need: the
	// space's assignments (its key looked up), the roles, and the
	// permission catalogue that says which of their permissions manage
	// access (it fits one page, which is all that counts: pageSize rows).
	current := len(seed.Spaces[0].RoleAssignments)
	planOut := planBudget(work{reads: []int{current}, lists: []int{defaultRoles, pageSize}, unknownKeys: 1})
	m, err := b.applyReviewed(ctx, cfg, fmt.Sprintf("apply one space: %d principals, roles by name", principals), 1, planOut)
	// One POST takes the whole list; the space's assignments are read once
	// (the seeded Admin), its key looked up, and the role catalogue (the
	// four default roles) read to turn names into the ids the POST takes.
	m.Budget = applyBudget(work{writes: 1, reads: []int{current}, lists: []int{defaultRoles}, unknownKeys: 1})
	return m, err
}

// defaultRoles is how many roles every Cloud site with space roles has:
// Admin, Manager, Collaborator and Viewer.
const defaultRoles = 4
