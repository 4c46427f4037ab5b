package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// What each list resource makes of one space (see list.go). The results
// are the resources' own models, so that their identities are the ones
// Read and ImportState give.

// listGrants: confluence_space_permission, one result per grant.
func listGrants(ctx context.Context, l *listing, space confluence.Space) ([]listed, diag.Diagnostics) {
	held, diags := l.grantsIn(ctx, space)
	var out []listed
	for _, p := range l.namedPrincipals(ctx, held) {
		who := l.names.of(string(p.Type), p.ID)
		for _, op := range held[p].Sorted() {
			out = append(out, listed{
				display: fmt.Sprintf("%s: %s — %s", space.Key, who, op),
				model:   grantModel(permissions.GrantID{SpaceKey: space.Key, Principal: p, Operation: op}),
			})
		}
	}
	return out, diags
}

// listPrincipalSets: confluence_space_permission_set, one result per
// principal.
func listPrincipalSets(ctx context.Context, l *listing, space confluence.Space) ([]listed, diag.Diagnostics) {
	held, diags := l.grantsIn(ctx, space)
	var out []listed
	for _, p := range l.namedPrincipals(ctx, held) {
		out = append(out, listed{
			display: fmt.Sprintf("%s: %s — %s", space.Key, l.names.of(string(p.Type), p.ID), strings.Join(held[p].Strings(), ", ")),
			model:   principalSetModel(permissions.PrincipalID{SpaceKey: space.Key, Principal: p}, operationSetValue(held[p])),
		})
	}
	return out, diags
}

// listSpacePermissions: confluence_space_permissions, the whole space.
func listSpacePermissions(ctx context.Context, l *listing, space confluence.Space) ([]listed, diag.Diagnostics) {
	held, diags := l.grantsIn(ctx, space)
	if len(l.selectedPrincipals(held)) == 0 {
		return nil, diags
	}
	n := 0
	for _, ops := range held {
		n += len(ops)
	}
	return []listed{{
		display: fmt.Sprintf("%s (%s): %s, %s", space.Key, space.Name, count(len(held), "principal"), count(n, "permission")),
		model:   spacePermissionsModel{ID: types.StringValue(space.Key), SpaceKey: types.StringValue(space.Key), Grants: grantsValue(held)},
	}}, diags
}

// listRoleAssignments: confluence_space_role_assignment, one result per
// principal.
func listRoleAssignments(ctx context.Context, l *listing, space confluence.Space) ([]listed, diag.Diagnostics) {
	held, diags := l.assignmentsIn(ctx, space)
	var chosen []confluence.RoleAssignment
	var users []string
	for _, a := range held {
		if l.selects(rolePrincipalKeyType(a.Principal), a.Principal.ID) {
			chosen = append(chosen, a)
			if a.Principal.Type == confluence.RoleUser {
				users = append(users, a.Principal.ID)
			}
		}
	}
	l.names.learn(ctx, users)
	out := make([]listed, 0, len(chosen))
	for _, a := range chosen {
		m := roleAssignmentModel(roleAssignmentID{SpaceKey: space.Key, Principal: a.Principal}, "")
		role := a.RoleID
		if r, err := l.roles.ByID(ctx, a.RoleID); err == nil {
			role, m.RoleName = r.Name, types.StringValue(r.Name)
		} else {
			m.RoleID = types.StringValue(a.RoleID) // a role deleted a moment ago: its id is all there is
		}
		out = append(out, listed{
			display: fmt.Sprintf("%s: %s — %s", space.Key, l.names.of(rolePrincipalKeyType(a.Principal), a.Principal.ID), role),
			model:   m,
		})
	}
	return out, diags
}

// listSpaceRoleAssignments: confluence_space_role_assignments, the whole
// space.
func listSpaceRoleAssignments(ctx context.Context, l *listing, space confluence.Space) ([]listed, diag.Diagnostics) {
	held, diags := l.assignmentsIn(ctx, space)
	if !slices.ContainsFunc(held, func(a confluence.RoleAssignment) bool {
		return l.selects(rolePrincipalKeyType(a.Principal), a.Principal.ID)
	}) {
		return nil, diags
	}
	return []listed{{
		display: fmt.Sprintf("%s (%s): %s", space.Key, space.Name, count(len(held), "role assignment")),
		model: spaceRoleAssignmentsModel{ID: types.StringValue(space.Key), SpaceKey: types.StringValue(space.Key),
			Assignments: assignmentsValue(ctx, l.roles, held, nil)},
	}}, diags
}

// grantsIn reads the grants of a space that the provider can manage, with
// principals as configuration writes them: the read every resource of the
// space shares.
func (l *listing) grantsIn(ctx context.Context, space confluence.Space) (permissions.Grants, diag.Diagnostics) {
	held, _, found, err := l.client.SpaceGrants(ctx, space.Key, nil)
	switch {
	case err != nil:
		return nil, l.unreadable(ctx, space, "permissions", err)
	case !found:
		return nil, spaceGone(space, "was deleted after the list began, or the provider's account can no longer view it")
	}
	return held, nil
}

// assignmentsIn reads the role assignments of a space that the provider
// can manage.
func (l *listing) assignmentsIn(ctx context.Context, space confluence.Space) ([]confluence.RoleAssignment, diag.Diagnostics) {
	held, err := l.roles.SpaceAssignments(ctx, space.Key)
	switch {
	case confluence.IsNotFound(err):
		return nil, spaceGone(space, "was deleted after the list began, or the provider's account can no longer view it")
	case err != nil:
		return nil, l.unreadable(ctx, space, "role assignments", err)
	}
	held = slices.DeleteFunc(held, func(a confluence.RoleAssignment) bool { return !a.Principal.Type.Managed() })
	// Users, groups, then access classes, as grants list them.
	slices.SortFunc(held, func(a, b confluence.RoleAssignment) int {
		return cmp.Or(cmp.Compare(slices.Index(confluence.RolePrincipalTypes, a.Principal.Type), slices.Index(confluence.RolePrincipalTypes, b.Principal.Type)),
			strings.Compare(a.Principal.ID, b.Principal.ID))
	})
	return held, nil
}

// selectedPrincipals are the principals of held that the block's principal
// filter takes, in a stable order.
func (l *listing) selectedPrincipals(held permissions.Grants) []permissions.Principal {
	return slices.DeleteFunc(held.Principals(), func(p permissions.Principal) bool { return !l.selects(string(p.Type), p.ID) })
}

// namedPrincipals are selectedPrincipals, with the names of the users
// among them looked up.
func (l *listing) namedPrincipals(ctx context.Context, held permissions.Grants) []permissions.Principal {
	ps := l.selectedPrincipals(held)
	var users []string
	for _, p := range ps {
		if p.Type == permissions.User {
			users = append(users, p.ID)
		}
	}
	l.names.learn(ctx, users)
	return ps
}

// rolePrincipalKeyType is a role principal's type as configuration writes
// it: user, group, access_class.
func rolePrincipalKeyType(p confluence.RolePrincipal) string { return strings.ToLower(string(p.Type)) }

// count renders "1 principal", "3 principals".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
