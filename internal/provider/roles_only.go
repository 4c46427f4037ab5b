package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// refuseOnRolesOnlySite stops the plan of a legacy permission resource on a
// Cloud site that manages space access with roles only: Confluence refuses
// every single-permission write there ("Space permission updates that are
// not from RBAC are not supported in roles-only mode"), so the apply could
// only fail. The error shows the equivalent role assignment.
func refuseOnRolesOnlySite(ctx context.Context, c *confluence.Client, resourceType, spaceKey string, p permissions.Principal, destroying bool, diags *diag.Diagnostics) {
	if c == nil {
		return
	}
	mode, ok, err := c.RoleMode(ctx)
	switch {
	case confluence.IsScopeMismatch(err):
		// The token works, but may not read the mode: the plan goes on
		// without knowing whether the site is roles-only.
		diags.AddWarning("Cannot read the site's space role mode", err.Error()+
			" Without it the plan cannot tell whether this site refuses single permissions (roles-only sites do).")
		return
	case confluence.IsUnauthorized(err), confluence.IsForbidden(err):
		// Refused credentials would fail every request of the apply: say so
		// now, in the plan, even for a configuration without data sources.
		diags.AddError("Confluence refused the provider's credentials", err.Error())
		return
	case err != nil:
		// Any other failure to read the mode is no reason to refuse; the
		// apply would still say what Confluence thinks.
		tflog.Debug(ctx, "cannot read the space role mode", map[string]any{"error": err.Error()})
		return
	}
	if !ok || mode != confluence.RolesOnly {
		return
	}
	if destroying {
		diags.AddError("This site uses space roles only",
			fmt.Sprintf("This Confluence Cloud site manages space access with roles only, so Confluence refuses to remove single permissions too. "+
				"To stop managing this %s without touching Confluence, replace it in your configuration with (Terraform 1.7 and later):\n\n"+
				"removed {\n  from = <the resource address>\n  lifecycle {\n    destroy = false\n  }\n}\n\n"+
				"or run terraform state rm on it, and manage access with confluence_space_role_assignment.", resourceType))
		return
	}
	principal := `{ type = "group", id = "<groupId>" }`
	switch p.Type {
	case permissions.User, permissions.Group:
		principal = principalHCL(p)
	case permissions.Anonymous:
		principal = `{ type = "access_class", id = "anonymous-users" }`
	}
	diags.AddError("This site uses space roles only",
		fmt.Sprintf("This Confluence Cloud site manages space access with roles only (space role mode ROLES): Confluence refuses single permissions there, "+
			"so %s cannot be applied. Assign a space role instead, for example:\n\n"+
			"resource \"confluence_space_role_assignment\" \"this\" {\n  space_key = %q\n  principal = %s\n  role_name = \"Collaborator\"\n}\n\n"+
			"The confluence_space_roles data source lists the roles of the site.", resourceType, spaceKey, principal))
}

// principalHCL renders a principal object for configuration.
func principalHCL(p permissions.Principal) string {
	if p.Type == permissions.Anonymous {
		return `{ type = "anonymous" }`
	}
	return fmt.Sprintf(`{ type = %q, id = %q }`, p.Type, p.ID)
}
