package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// The role assignments of a space are written as a map from principal to
// role, keyed like the grants of confluence_space_permissions:
// "user:ID", "group:ID", "access_class:ID". The resource
// confluence_space_role_assignments and the data source of the same name
// share the shape, so one space's roles can be copied to another.

const roleAssignmentsKeyDescription = "Keys name principals: `user:ACCOUNTID`, `group:GROUPID` or `access_class:CLASS` " +
	"(`anonymous-users`, `authenticated-users`, `all-licensed-users`, `all-product-admins`, `jsm-project-admins`)."

// rolePrincipalKey renders a principal as a map key, its type in lower case.
func rolePrincipalKey(p confluence.RolePrincipal) string {
	return strings.ToLower(string(p.Type)) + ":" + p.ID
}

// parseRolePrincipalKey reads a key written by rolePrincipalKey. The type
// is read without regard to case, so that two spellings of one principal's
// key are found out (see desiredAssignments).
func parseRolePrincipalKey(key string) (confluence.RolePrincipal, error) {
	typ, id, ok := strings.Cut(key, ":")
	if !ok {
		return confluence.RolePrincipal{}, fmt.Errorf("principal %q is not \"user:ID\", \"group:ID\" or \"access_class:ID\"", key)
	}
	p := confluence.RolePrincipal{Type: confluence.RolePrincipalType(strings.ToUpper(typ)), ID: id}
	if p.Type == confluence.RoleAccessClass {
		p.ID = strings.ToLower(id) // access class ids are a fixed, lower-case list
	}
	if err := confluence.ValidateRolePrincipal(p); err != nil {
		return confluence.RolePrincipal{}, fmt.Errorf("principal %q: %w", key, err)
	}
	return p, nil
}

// desiredAssignments reads a known assignments map: principal → the role
// as written (a name or an id). Two keys naming one principal are an error.
func desiredAssignments(v types.Map, spaceKey string) (map[confluence.RolePrincipal]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := map[confluence.RolePrincipal]string{}
	keyOf := map[confluence.RolePrincipal]string{}
	for _, key := range slices.Sorted(maps.Keys(v.Elements())) {
		at := path.Root("assignments").AtMapKey(key)
		p, err := parseRolePrincipalKey(key)
		if err != nil {
			diags.AddAttributeError(at, "Invalid principal", fmt.Sprintf("In space %s: %s.", spaceKey, err))
			continue
		}
		if first, twice := keyOf[p]; twice {
			diags.AddAttributeError(at, "Principal listed twice",
				fmt.Sprintf("In space %s, %q and %q name the same principal (%s): keep one of them.", spaceKey, first, key, p))
			continue
		}
		keyOf[p] = key
		role, _ := v.Elements()[key].(types.String)
		if !known(role) {
			continue
		}
		if strings.TrimSpace(role.ValueString()) == "" {
			diags.AddAttributeError(at, "No role", fmt.Sprintf("In space %s, %s has an empty role: name a role, or remove the entry to take the principal's role away.", spaceKey, p))
			continue
		}
		out[p] = role.ValueString()
	}
	return out, diags
}

// resolveRoles turns each principal's role as written (a name or an id)
// into the role, with an error per entry that names no role.
func resolveRoles(ctx context.Context, roles *confluence.Roles, spaceKey string, written map[confluence.RolePrincipal]string) (map[confluence.RolePrincipal]confluence.Role, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := make(map[confluence.RolePrincipal]confluence.Role, len(written))
	for p, w := range written {
		role, err := roleNamedOrID(ctx, roles, w)
		if err != nil {
			at := path.Root("assignments").AtMapKey(rolePrincipalKey(p))
			addRoleLookupError(&diags, at, fmt.Sprintf("%s in space %s", p, spaceKey), err)
			continue
		}
		out[p] = role
	}
	return out, diags
}

// roleNamedOrID finds a role by id, or else by name.
func roleNamedOrID(ctx context.Context, roles *confluence.Roles, written string) (confluence.Role, error) {
	if role, err := roles.ByID(ctx, written); err == nil {
		return role, nil
	}
	return roles.ByName(ctx, written)
}

// assignmentsValue renders held assignments as the map, keeping each role as
// written in prior (a name or an id) while it still names the role the
// principal holds, and the role's name otherwise.
func assignmentsValue(ctx context.Context, roles *confluence.Roles, held []confluence.RoleAssignment, prior map[confluence.RolePrincipal]string) types.Map {
	elements := map[string]attr.Value{}
	for _, a := range held {
		if !a.Principal.Type.Managed() {
			continue
		}
		value := a.RoleID
		if w, ok := prior[a.Principal]; ok {
			if role, err := roleNamedOrID(ctx, roles, w); err == nil && role.ID == a.RoleID {
				value = w
			}
		}
		if value == a.RoleID {
			if role, err := roles.ByID(ctx, a.RoleID); err == nil {
				value = role.Name
			}
		}
		elements[rolePrincipalKey(a.Principal)] = types.StringValue(value)
	}
	return types.MapValueMust(types.StringType, elements)
}

// checkAccessManagers refuses assignments that leave a space with nobody
// but Confluence's product admins able to manage its access. Atlassian
// dropped the rule that every space of a roles site keeps a full Admin:
// what lets someone manage a space's access now is a role holding the
// permission to manage access, and on roles-only sites people can grant only
// what they hold, so a space where no user or group holds it can be
// repaired only by a product admin
// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
func checkAccessManagers(ctx context.Context, roles *confluence.Roles, spaceKey string, final map[confluence.RolePrincipal]confluence.Role, diags *diag.Diagnostics) {
	catalogue, err := roles.Catalogue(ctx)
	if err != nil {
		diags.AddWarning("Cannot check who can manage the space's access", err.Error()+
			" The plan goes on without checking that someone keeps the permission to manage access.")
		return
	}
	access := catalogue.AccessPermissions()
	if len(access) == 0 {
		diags.AddWarning("Cannot check who can manage the space's access",
			"The site's catalogue of role permissions lists no permission to manage a space's access, so the plan cannot check "+
				"that someone keeps it. Make sure a user or group keeps a role that can manage the space.")
		return
	}
	for p, role := range final {
		if (p.Type == confluence.RoleUser || p.Type == confluence.RoleGroup) && role.ManagesAccess(access) {
			return
		}
	}
	var managers []string
	if all, err := roles.List(ctx); err == nil {
		for _, role := range all {
			if role.ManagesAccess(access) {
				managers = append(managers, role.Name)
			}
		}
	}
	diags.AddAttributeError(path.Root("assignments"), "Nobody could manage the space's access",
		fmt.Sprintf("After this change no user or group in space %s would hold a role with %s, so only Confluence product admins "+
			"could change who may access it. Give at least one user or group such a role (on this site: %s).",
			spaceKey, quoteAll(access), strings.Join(managers, ", ")))
}
