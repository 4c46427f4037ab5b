package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

var (
	_ resource.Resource                     = (*spaceRoleAssignmentResource)(nil)
	_ resource.ResourceWithConfigure        = (*spaceRoleAssignmentResource)(nil)
	_ resource.ResourceWithImportState      = (*spaceRoleAssignmentResource)(nil)
	_ resource.ResourceWithConfigValidators = (*spaceRoleAssignmentResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*spaceRoleAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*spaceRoleAssignmentResource)(nil)
	_ resource.ResourceWithIdentity         = (*spaceRoleAssignmentResource)(nil)
)

func newSpaceRoleAssignmentResource() resource.Resource { return &spaceRoleAssignmentResource{} }

// spaceRoleAssignmentResource is one principal's space role in one space:
// authoritative for that principal's role there (a principal holds one
// role per space, contributing/confluence-api.md#space-roles).
type spaceRoleAssignmentResource struct {
	resourceBase
}

type spaceRoleAssignmentModel struct {
	ID        types.String       `tfsdk:"id"`
	SpaceKey  types.String       `tfsdk:"space_key"`
	Principal rolePrincipalModel `tfsdk:"principal"`
	RoleID    types.String       `tfsdk:"role_id"`
	RoleName  types.String       `tfsdk:"role_name"`
}

var (
	pathRoleID   = path.Root("role_id")
	pathRoleName = path.Root("role_name")
)

func (r *spaceRoleAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_role_assignment"
}

func (r *spaceRoleAssignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	identitySchema(roleAssignmentIdentity, resp)
}

func (m spaceRoleAssignmentModel) identity() []string {
	return []string{m.SpaceKey.ValueString(), m.Principal.Type.ValueString(), m.Principal.ID.ValueString()}
}

func (r *spaceRoleAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The space role of one user, group or access class in one space, on Confluence Cloud sites with space roles. " +
			"**Authoritative for that principal's role in that space**: a role assigned to it outside Terraform shows up as a change in the next plan, " +
			"and destroying the resource takes the principal's role away.",
		Attributes: map[string]schema.Attribute{
			"id": importIDAttribute("`SPACEKEY/TYPE/ID`, also the import id (for example `DOCS/group/8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f` " +
				"or `DOCS/access_class/anonymous-users`)."),
			"space_key": spaceKeyAttribute(),
			"principal": schema.SingleNestedAttribute{
				Required:            true,
				MarkdownDescription: rolePrincipalDescription,
				Attributes:          rolePrincipalAttributes(),
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
			},
			"role_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Id of the role. Set `role_id` or `role_name`, not both; the other is filled in. " +
					"Use `role_id` to assign a role created in the same configuration (`confluence_space_role.<name>.id`).",
			},
			"role_name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Name of the role, such as `Viewer`, `Collaborator`, `Manager`, `Admin` or a custom role's name. " +
					"A name no role has is an error at plan time that lists the site's roles.",
			},
		},
	}
}

func (r *spaceRoleAssignmentResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(path.MatchRoot("role_id"), path.MatchRoot("role_name"))}
}

// ValidateConfig checks the principal without Confluence: an access class
// must be one Confluence knows.
func (r *spaceRoleAssignmentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var space, typ, id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("space_key"), &space)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("principal").AtName("type"), &typ)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("principal").AtName("id"), &id)...)
	if resp.Diagnostics.HasError() || !known(typ) || !known(id) {
		return
	}
	if _, err := (rolePrincipalModel{Type: typ, ID: id}).toDomain(); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("principal").AtName("id"), "Invalid principal",
			fmt.Sprintf("%s: %s.", describeGrantTarget(space, typ, id), err))
	}
}

// ModifyPlan refuses sites without space roles and resolves the role:
// role_name to role_id, or role_id to role_name, so that the plan shows
// both and a role that does not exist is an error before anything changes.
func (r *spaceRoleAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	if !ok {
		return
	}
	var plan spaceRoleAssignmentModel
	var configuredID, configuredName types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathRoleID, &configuredID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathRoleName, &configuredName)...)
	if resp.Diagnostics.HasError() {
		return
	}
	where := describeGrantTarget(plan.SpaceKey, plan.Principal.Type, plan.Principal.ID)
	switch {
	case known(configuredName):
		role, err := roles.ByName(ctx, configuredName.ValueString())
		if err != nil {
			addRoleLookupError(&resp.Diagnostics, pathRoleName, where, err)
			return
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathRoleID, role.ID)...)
	case known(configuredID):
		role, err := roles.ByID(ctx, configuredID.ValueString())
		if err != nil {
			addRoleLookupError(&resp.Diagnostics, pathRoleID, where, err)
			return
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathRoleName, role.Name)...)
	}
}

func addRoleLookupError(diags *diag.Diagnostics, at path.Path, where string, err error) {
	if confluence.IsNotFound(err) {
		diags.AddAttributeError(at, "Unknown space role", fmt.Sprintf("%s: %s.", where, err))
		return
	}
	diags.AddAttributeError(at, "Cannot read the site's space roles", fmt.Sprintf("%s: %s", where, err.Error()))
}

func (r *spaceRoleAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan spaceRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		r.assign(ctx, plan, &resp.State, &resp.Diagnostics)
		keepIdentity(ctx, roleAssignmentIdentity, resp.Identity, plan, &resp.Diagnostics)
	}
}

// Update changes the role in place: one request, no moment without a role.
func (r *spaceRoleAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan spaceRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		r.assign(ctx, plan, &resp.State, &resp.Diagnostics)
		keepIdentity(ctx, roleAssignmentIdentity, resp.Identity, plan, &resp.Diagnostics)
	}
}

// assign gives the principal the planned role. A role only known at apply
// (the name or id of a role created in the same run) is resolved here.
func (r *spaceRoleAssignmentResource) assign(ctx context.Context, plan spaceRoleAssignmentModel, state stateSetter, diags *diag.Diagnostics) {
	roles, ok := spaceRoles(ctx, r.client, diags)
	if !ok {
		return
	}
	where := describeGrantTarget(plan.SpaceKey, plan.Principal.Type, plan.Principal.ID)
	p, err := plan.Principal.toDomain()
	if err != nil {
		diags.AddAttributeError(path.Root("principal"), "Invalid principal", fmt.Sprintf("%s: %s.", where, err))
		return
	}
	var role confluence.Role
	if known(plan.RoleID) {
		role, err = roles.ByID(ctx, plan.RoleID.ValueString())
	} else {
		role, err = roles.ByName(ctx, plan.RoleName.ValueString())
	}
	if err != nil {
		addRoleLookupError(diags, pathRoleName, where, err)
		return
	}
	if err := roles.Assign(ctx, plan.SpaceKey.ValueString(), p, role.ID); err != nil {
		diags.AddError("Cannot assign role "+role.Name+" to "+where, err.Error())
		return
	}
	plan.RoleID = types.StringValue(role.ID)
	if !known(plan.RoleName) {
		plan.RoleName = types.StringValue(role.Name)
	}
	plan.ID = types.StringValue(roleAssignmentID{SpaceKey: plan.SpaceKey.ValueString(), Principal: p}.String())
	diags.Append(state.Set(ctx, plan)...)
}

// Read reflects the server: no assignment (or no space) removes the
// resource from state, so that the next plan assigns the role again; a
// different role shows as a change.
func (r *spaceRoleAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, roles, p, where, ok := r.stored(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	keepIdentity(ctx, roleAssignmentIdentity, resp.Identity, state, &resp.Diagnostics)
	a, found, err := roles.Assignment(ctx, state.SpaceKey.ValueString(), p)
	if confluence.IsNotFound(err) || err == nil && !found {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the role of "+where, err.Error())
		return
	}
	role, err := roles.ByID(ctx, a.RoleID)
	switch {
	case confluence.IsNotFound(err):
		state.RoleName = types.StringNull() // a role deleted a moment ago
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the role of "+where, err.Error())
		return
	case !strings.EqualFold(state.RoleName.ValueString(), role.Name) || state.RoleID.ValueString() != a.RoleID:
		// Keep the name as configured while it still names this role
		// (role names are matched without case).
		state.RoleName = types.StringValue(role.Name)
	}
	state.RoleID = types.StringValue(a.RoleID)
	state.ID = types.StringValue(roleAssignmentID{SpaceKey: state.SpaceKey.ValueString(), Principal: p}.String())
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Delete takes the principal's role in the space away.
func (r *spaceRoleAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, roles, p, where, ok := r.stored(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	if err := roles.Unassign(ctx, state.SpaceKey.ValueString(), p); err != nil {
		resp.Diagnostics.AddError("Cannot remove the role of "+where, err.Error())
	}
}

// stored reads the state with what reading or removing the assignment
// needs: the site's role API, the principal and its name for messages.
func (r *spaceRoleAssignmentResource) stored(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) (spaceRoleAssignmentModel, *confluence.Roles, confluence.RolePrincipal, string, bool) {
	var m spaceRoleAssignmentModel
	diags.Append(st.Get(ctx, &m)...)
	if diags.HasError() {
		return m, nil, confluence.RolePrincipal{}, "", false
	}
	roles, ok := spaceRoles(ctx, r.client, diags)
	if !ok {
		return m, nil, confluence.RolePrincipal{}, "", false
	}
	where := describeGrantTarget(m.SpaceKey, m.Principal.Type, m.Principal.ID)
	p, err := m.Principal.toDomain()
	if err != nil {
		diags.AddError("Invalid principal in state", fmt.Sprintf("%s: %s.", where, err))
		return m, nil, confluence.RolePrincipal{}, "", false
	}
	return m, roles, p, where, true
}

func (r *spaceRoleAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, roleAssignmentIdentity, req, resp, func(raw string) (identified, error) {
		id, err := parseRoleAssignmentID(raw)
		if err != nil {
			return nil, err
		}
		return roleAssignmentModel(id, ""), nil
	})
}

// roleAssignmentModel is one principal's role in a space: before Read with
// no role known (role ""), or as a list reports it, by name. A list leaves
// role_id out: configuration generated from it must set role_id or
// role_name, not both.
func roleAssignmentModel(id roleAssignmentID, roleName string) spaceRoleAssignmentModel {
	m := spaceRoleAssignmentModel{
		ID:        types.StringValue(id.String()),
		SpaceKey:  types.StringValue(id.SpaceKey),
		Principal: rolePrincipalFromDomain(id.Principal),
		RoleID:    types.StringNull(),
		RoleName:  types.StringNull(),
	}
	if roleName != "" {
		m.RoleName = types.StringValue(roleName)
	}
	return m
}
