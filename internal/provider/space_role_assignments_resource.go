package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var (
	_ resource.Resource                   = (*spaceRoleAssignmentsResource)(nil)
	_ resource.ResourceWithConfigure      = (*spaceRoleAssignmentsResource)(nil)
	_ resource.ResourceWithImportState    = (*spaceRoleAssignmentsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*spaceRoleAssignmentsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*spaceRoleAssignmentsResource)(nil)
	_ resource.ResourceWithIdentity       = (*spaceRoleAssignmentsResource)(nil)
)

func newSpaceRoleAssignmentsResource() resource.Resource { return &spaceRoleAssignmentsResource{} }

// spaceRoleAssignmentsResource is every role assignment of one space:
// authoritative for the space, the roles counterpart of
// confluence_space_permissions.
type spaceRoleAssignmentsResource struct {
	resourceBase
}

type spaceRoleAssignmentsModel struct {
	ID          types.String `tfsdk:"id"`
	SpaceKey    types.String `tfsdk:"space_key"`
	Assignments types.Map    `tfsdk:"assignments"`
}

func (r *spaceRoleAssignmentsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_role_assignments"
}

func (r *spaceRoleAssignmentsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	identitySchema(roleAssignmentsIdentity, resp)
}

func (m spaceRoleAssignmentsModel) identity() []string { return []string{m.SpaceKey.ValueString()} }

func (r *spaceRoleAssignmentsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every space role assignment of one space, on Confluence Cloud sites with space roles. " +
			"**Authoritative for the whole space**: users, groups and access classes not listed lose their role there, and roles " +
			"assigned outside Terraform show up as a change in the next plan. A change is sent in one request.",
		Attributes: map[string]schema.Attribute{
			"id":        importIDAttribute("The space key, also the import id."),
			"space_key": spaceKeyAttribute(),
			"assignments": schema.MapAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Each principal's role in the space: " + roleAssignmentsKeyDescription + " " +
					"Values name the role by name (`Viewer`, `Collaborator`, `Manager`, `Admin`, or a custom role's) or by id " +
					"(`confluence_space_role.<name>.id`). At least one user or group must keep a role that can manage the space's access, " +
					"or the plan is refused. The `assignments` of the `confluence_space_role_assignments` data source has the same shape.",
			},
		},
	}
}

// ValidateConfig checks the keys without Confluence.
func (r *spaceRoleAssignmentsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var space types.String
	var assignments types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("space_key"), &space)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("assignments"), &assignments)...)
	if resp.Diagnostics.HasError() || !known(assignments) {
		return
	}
	_, diags := desiredAssignments(assignments, space.ValueString())
	resp.Diagnostics.Append(diags...)
}

// ModifyPlan refuses sites without space roles, roles that do not exist,
// and assignments that leave nobody able to manage the space's access, all
// before anything changes. Destroying changes nothing in Confluence.
func (r *spaceRoleAssignmentsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	if !ok {
		return
	}
	var plan spaceRoleAssignmentsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !known(plan.SpaceKey) || !fullyKnown(plan.Assignments) {
		return
	}
	spaceKey := plan.SpaceKey.ValueString()
	written, diags := desiredAssignments(plan.Assignments, spaceKey)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	final, diags := resolveRoles(ctx, roles, spaceKey, written)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	// Principals the provider cannot manage keep their roles: they count.
	if held, err := roles.SpaceAssignments(ctx, spaceKey); err == nil {
		for _, a := range held {
			if !a.Principal.Type.Managed() {
				if role, err := roles.ByID(ctx, a.RoleID); err == nil {
					final[a.Principal] = role
				}
			}
		}
	}
	checkAccessManagers(ctx, roles, spaceKey, final, &resp.Diagnostics)
}

func (r *spaceRoleAssignmentsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan spaceRoleAssignmentsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.SpaceKey
	r.write(ctx, plan, &resp.State, &resp.Diagnostics)
	keepIdentity(ctx, roleAssignmentsIdentity, resp.Identity, plan, &resp.Diagnostics)
}

func (r *spaceRoleAssignmentsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan spaceRoleAssignmentsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, plan, &resp.State, &resp.Diagnostics)
	keepIdentity(ctx, roleAssignmentsIdentity, resp.Identity, plan, &resp.Diagnostics)
}

// write makes the space's assignments the planned ones in one request, and
// records in state what Confluence holds afterwards, also when it failed.
func (r *spaceRoleAssignmentsResource) write(ctx context.Context, plan spaceRoleAssignmentsModel, state stateSetter, diags *diag.Diagnostics) {
	roles, ok := spaceRoles(ctx, r.client, diags)
	if !ok {
		return
	}
	spaceKey := plan.SpaceKey.ValueString()
	written, d := desiredAssignments(plan.Assignments, spaceKey)
	diags.Append(d...)
	resolved, d := resolveRoles(ctx, roles, spaceKey, written)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	desired := make(map[confluence.RolePrincipal]string, len(resolved))
	for p, role := range resolved {
		desired[p] = role.ID
	}
	if _, err := roles.SetSpaceAssignments(ctx, spaceKey, desired); err != nil {
		diags.AddError("Cannot set the role assignments of space "+spaceKey, err.Error())
		// Record what really exists, so that the next plan shows what is left.
		if held, rerr := roles.SpaceAssignments(ctx, spaceKey); rerr == nil {
			plan.Assignments = assignmentsValue(ctx, roles, held, written)
			diags.Append(state.Set(ctx, plan)...)
		}
		return
	}
	diags.Append(state.Set(ctx, plan)...)
}

// Read reflects the server: roles changed outside Terraform show as a diff,
// and a space gone leaves state.
func (r *spaceRoleAssignmentsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state spaceRoleAssignmentsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	keepIdentity(ctx, roleAssignmentsIdentity, resp.Identity, state, &resp.Diagnostics)
	roles, ok := spaceRoles(ctx, r.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	spaceKey := state.SpaceKey.ValueString()
	held, err := roles.SpaceAssignments(ctx, spaceKey)
	switch {
	case confluence.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the role assignments of space "+spaceKey, err.Error())
		return
	}
	var prior map[confluence.RolePrincipal]string
	if known(state.Assignments) {
		prior, _ = desiredAssignments(state.Assignments, spaceKey)
	}
	state.ID = state.SpaceKey
	state.Assignments = assignmentsValue(ctx, roles, held, prior)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Delete leaves the space's roles as they are: a space must keep someone
// who can manage it, so Terraform only stops managing them.
func (r *spaceRoleAssignmentsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state spaceRoleAssignmentsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Space role assignments left in place",
		fmt.Sprintf("Terraform no longer manages the role assignments of space %s, but they are unchanged in Confluence: "+
			"a space must keep someone who can manage its access.", state.SpaceKey.ValueString()))
}

func (r *spaceRoleAssignmentsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, roleAssignmentsIdentity, req, resp, func(raw string) (identified, error) {
		key, err := permissions.ParseSpaceKeyID(raw)
		if err != nil {
			return nil, err
		}
		return spaceRoleAssignmentsModel{ID: types.StringValue(key), SpaceKey: types.StringValue(key), Assignments: types.MapNull(types.StringType)}, nil
	})
}
