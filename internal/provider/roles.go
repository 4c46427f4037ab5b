package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// legacyResources names what to use where space roles are not enabled.
const legacyResources = "confluence_space_permission, confluence_space_permission_set or confluence_space_permissions"

// spaceRoles returns the site's space role API. Where there is none (Data
// Center, or a Cloud site in PRE_ROLES mode) it adds an error that says so
// and what to use instead. The role mode is read once per provider process.
//
// Every role resource checks this before reading too: the role endpoints of
// a site without roles answer 404, which must not be taken for "deleted".
func spaceRoles(ctx context.Context, c *confluence.Client, diags *diag.Diagnostics) (*confluence.Roles, bool) {
	roles, ok := c.Roles()
	var err error = &confluence.RolesNotEnabledError{}
	if ok {
		err = roles.CheckEnabled(ctx)
	}
	var off *confluence.RolesNotEnabledError
	switch {
	case err == nil:
		return roles, true
	case errors.As(err, &off):
		diags.AddError("Space roles are not enabled on this site",
			"The provider cannot manage space roles here: "+err.Error()+". Manage the site's permissions with "+legacyResources+" instead.")
	default:
		diags.AddError("Cannot tell whether this site has space roles", err.Error())
	}
	return nil, false
}

// roleTypeName is a role type as configuration and data sources write it.
func roleTypeName(t confluence.RoleType) string { return strings.ToLower(string(t)) }
