package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var (
	_ resource.Resource                   = (*spaceRoleResource)(nil)
	_ resource.ResourceWithConfigure      = (*spaceRoleResource)(nil)
	_ resource.ResourceWithImportState    = (*spaceRoleResource)(nil)
	_ resource.ResourceWithValidateConfig = (*spaceRoleResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*spaceRoleResource)(nil)
)

func newSpaceRoleResource() resource.Resource { return &spaceRoleResource{} }

// spaceRoleResource is a custom space role: authoritative for the role's
// definition, not for who holds it.
type spaceRoleResource struct {
	resourceBase
}

type spaceRoleModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Permissions types.Set    `tfsdk:"permissions"`
}

var pathPermissions = path.Root("permissions")

func (r *spaceRoleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_role"
}

func (r *spaceRoleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A custom space role of a Confluence Cloud site with space roles: a named set of space permissions that " +
			"`confluence_space_role_assignment` gives to users, groups and access classes. **Authoritative for the role's definition**: " +
			"a name, description or permission changed outside Terraform shows up as a change in the next plan. " +
			"Destroying the role also removes every assignment of it, in every space.",
		Attributes: map[string]schema.Attribute{
			"id": importIDAttribute("Id of the role, also the import id."),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the role, unique on the site (Confluence compares names without case).",
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "What the role is for. Defaults to an empty description.",
			},
			"permissions": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The role's space permissions, each as `key/target` (see the [table of operations](../index.md#operations); " +
					"Cloud permissions only). Must include `read/space`: every other permission requires it.",
			},
		},
	}
}

// ValidateConfig checks name and permissions without Confluence.
func (r *spaceRoleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m spaceRoleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	where := describeRole(m.Name)
	if name := m.Name.ValueString(); known(m.Name) && (name == "" || strings.TrimSpace(name) != name) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Invalid role name",
			fmt.Sprintf("%s: a role name must not be empty nor start or end with spaces (Confluence trims them).", where))
	}
	if !fullyKnown(m.Permissions) {
		return
	}
	ops, diags := operationSetFromValue(ctx, m.Permissions, where, pathPermissions)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if len(ops) == 0 {
		resp.Diagnostics.AddAttributeError(pathPermissions, "No permissions",
			fmt.Sprintf("%s: permissions is empty; a role needs at least %q.", where, permissions.ReadSpace))
		return
	}
	// The rules of one principal's grants, for no principal in particular:
	// Cloud operations only, read/space among them.
	if err := permissions.ValidateOperations(permissions.Principal{}, ops.Sorted(), permissions.Cloud, where); err != nil {
		resp.Diagnostics.AddAttributeError(pathPermissions, "Invalid permissions", err.Error()+".")
	}
}

func describeRole(name types.String) string {
	if known(name) {
		return fmt.Sprintf("space role %q", name.ValueString())
	}
	return "space role"
}

// ModifyPlan refuses sites without space roles, and a name another role
// already has: Confluence would refuse it at apply.
func (r *spaceRoleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	if !ok {
		return
	}
	var plan spaceRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !known(plan.Name) {
		return
	}
	other, err := roles.ByName(ctx, plan.Name.ValueString())
	switch {
	case confluence.IsNotFound(err):
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the site's space roles", explainError(err))
	case other.ID != plan.ID.ValueString():
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Space role name already taken",
			fmt.Sprintf("A %s role named %q already exists on this site (id %s). Choose another name, or manage that role with "+
				"terraform import confluence_space_role.<name> %s (default roles cannot be managed).",
				roleTypeName(other.Type), other.Name, other.ID, other.ID))
	}
}

func (r *spaceRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan spaceRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	d, diags := plan.definition(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	role, err := roles.Create(ctx, d)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create "+describeRole(plan.Name), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, roleModel(role))...)
}

// Update sends the new definition and waits until Confluence has applied
// it, which it does asynchronously (reference §5).
func (r *spaceRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan spaceRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	d, diags := plan.definition(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	role, err := roles.Update(ctx, plan.ID.ValueString(), d)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update "+describeRole(plan.Name), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, roleModel(role))...)
}

// Read reflects the server: a role deleted outside Terraform leaves state,
// a changed one shows as a change.
func (r *spaceRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state spaceRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	role, err := roles.Get(ctx, state.ID.ValueString())
	switch {
	case confluence.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot read space role "+state.ID.ValueString(), explainError(err))
		return
	case role.Type != confluence.CustomRole:
		resp.Diagnostics.AddError("Not a custom space role",
			fmt.Sprintf("Space role %s (%s) is one of Confluence's default roles, which cannot be changed or deleted: "+
				"remove it from the configuration and read it with the confluence_space_roles data source instead.", role.ID, role.Name))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, roleModel(role))...)
}

// Delete deletes the role, and with it its assignments in every space, and
// waits until Confluence has done so.
func (r *spaceRoleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state spaceRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	if err := roles.Delete(ctx, state.ID.ValueString()); err != nil {
		resp.Diagnostics.AddError("Cannot delete "+describeRole(state.Name), err.Error())
	}
}

func (r *spaceRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if strings.TrimSpace(req.ID) == "" || strings.Contains(req.ID, "/") {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("import id %q is not a space role id; the confluence_space_roles data source lists them.", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (m spaceRoleModel) definition(ctx context.Context) (confluence.RoleDefinition, diag.Diagnostics) {
	ops, diags := operationSetFromValue(ctx, m.Permissions, describeRole(m.Name), pathPermissions)
	return confluence.RoleDefinition{Name: m.Name.ValueString(), Description: m.Description.ValueString(), Permissions: ops.Sorted()}, diags
}

func roleModel(r confluence.Role) spaceRoleModel {
	return spaceRoleModel{
		ID:          types.StringValue(r.ID),
		Name:        types.StringValue(r.Name),
		Description: types.StringValue(r.Description),
		Permissions: operationSetValue(permissions.NewOperationSet(r.Permissions...)),
	}
}
