package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var (
	_ resource.Resource                   = (*spacePermissionSetResource)(nil)
	_ resource.ResourceWithConfigure      = (*spacePermissionSetResource)(nil)
	_ resource.ResourceWithImportState    = (*spacePermissionSetResource)(nil)
	_ resource.ResourceWithValidateConfig = (*spacePermissionSetResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*spacePermissionSetResource)(nil)
	_ resource.ResourceWithIdentity       = (*spacePermissionSetResource)(nil)
)

func newSpacePermissionSetResource() resource.Resource { return &spacePermissionSetResource{} }

// spacePermissionSetResource is every grant of one principal in one space:
// authoritative for that principal there.
type spacePermissionSetResource struct {
	resourceBase
}

type spacePermissionSetModel struct {
	ID         types.String   `tfsdk:"id"`
	SpaceKey   types.String   `tfsdk:"space_key"`
	Principal  principalModel `tfsdk:"principal"`
	Operations types.Set      `tfsdk:"operations"`
}

func (r *spacePermissionSetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_permission_set"
}

func (r *spacePermissionSetResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	identitySchema(principalIdentity, resp)
}

func (m spacePermissionSetModel) identity() []string {
	return []string{m.SpaceKey.ValueString(), m.Principal.Type.ValueString(), m.Principal.ID.ValueString()}
}

func (r *spacePermissionSetResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every permission of one user, group or anonymous in one space. " +
			"**Authoritative for that principal in that space**: grants it holds there that are not listed are removed, " +
			"and grants added to it outside Terraform show up as a change in the next plan.",
		Attributes: map[string]schema.Attribute{
			"id":        importIDAttribute("`SPACEKEY/TYPE/ID`, also the import id (for example `DOCS/group/8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f` or `DOCS/anonymous`)."),
			"space_key": spaceKeyAttribute(),
			"principal": schema.SingleNestedAttribute{
				Required:            true,
				MarkdownDescription: principalDescription,
				Attributes:          principalAttributes(),
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
			},
			"operations": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "The principal's permissions in the space, each as `key/target` " +
					"(see the [table of operations](../index.md#operations)). Must include `read/space`: Confluence grants nothing else without it. " +
					"The provider adds `read/space` before the others and removes it after them.",
			},
		},
	}
}

// ValidateConfig checks the operations without Confluence.
func (r *spacePermissionSetResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var space, typ, id types.String
	var operations types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("space_key"), &space)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("principal").AtName("type"), &typ)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("principal").AtName("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("operations"), &operations)...)
	if resp.Diagnostics.HasError() || !known(typ) || id.IsUnknown() {
		return
	}
	where := describeGrantTarget(space, typ, id)
	p, diags := principalModel{Type: typ, ID: id}.toDomain(where)
	for _, d := range diags {
		resp.Diagnostics.AddAttributeError(path.Root("principal"), d.Summary(), d.Detail())
	}
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(validateOperationSet(ctx, operations, p, "", where, path.Root("operations"))...)
}

// ModifyPlan checks the operations against the deployment.
func (r *spacePermissionSetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	if req.Plan.Raw.IsNull() {
		refuseOnRolesOnlySite(ctx, r.client, "confluence_space_permission_set", "", permissions.Principal{}, true, &resp.Diagnostics)
		return
	}
	var plan spacePermissionSetModel
	if diags := req.Plan.Get(ctx, &plan); diags.HasError() {
		return // parts still unknown; checked again when they are known
	}
	where := describeGrantTarget(plan.SpaceKey, plan.Principal.Type, plan.Principal.ID)
	p, diags := plan.Principal.toDomain(where)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(validateOperationSet(ctx, plan.Operations, p, r.client.Deployment(), where, path.Root("operations"))...)
	if req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		refuseOnRolesOnlySite(ctx, r.client, "confluence_space_permission_set", plan.SpaceKey.ValueString(), p, false, &resp.Diagnostics)
	}
}

func (r *spacePermissionSetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan spacePermissionSetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(plan.importID().String())
	r.write(ctx, plan, &resp.State, identities(ctx, nil, resp.Private, &resp.Diagnostics), &resp.Diagnostics)
	keepIdentity(ctx, principalIdentity, resp.Identity, plan, &resp.Diagnostics)
}

func (r *spacePermissionSetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan spacePermissionSetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, plan, &resp.State, identities(ctx, req.Private, resp.Private, &resp.Diagnostics), &resp.Diagnostics)
	keepIdentity(ctx, principalIdentity, resp.Identity, plan, &resp.Diagnostics)
}

// write makes the principal's grants the planned ones and records in state
// what Confluence holds afterwards, also when it failed part way.
func (r *spacePermissionSetResource) write(ctx context.Context, plan spacePermissionSetModel, state stateSetter, ids confluence.IdentityStore, diags *diag.Diagnostics) {
	where := describeGrantTarget(plan.SpaceKey, plan.Principal.Type, plan.Principal.ID)
	p, d := plan.Principal.toDomain(where)
	diags.Append(d...)
	desired, d := operationSetFromValue(ctx, plan.Operations, where, path.Root("operations"))
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	spaceKey := plan.SpaceKey.ValueString()
	outcome, err := r.client.SetPrincipal(ctx, spaceKey, p, desired, ids)
	addNotes(diags, outcome)
	if err == nil {
		diags.Append(state.Set(ctx, plan)...)
		return
	}
	diags.AddError("Cannot set the permissions of "+where, err.Error())
	// Record what really exists, so that the next plan shows what is left.
	held, found, rerr := r.client.PrincipalOperations(ctx, spaceKey, p, ids)
	if rerr != nil || !found || len(held) == 0 {
		return
	}
	plan.Operations = operationSetValue(held)
	diags.Append(state.Set(ctx, plan)...)
}

// Read reflects the server: a principal left with nothing, or a space gone,
// leaves state, so the next plan creates the set again.
func (r *spacePermissionSetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state spacePermissionSetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	keepIdentity(ctx, principalIdentity, resp.Identity, state, &resp.Diagnostics)
	where := describeGrantTarget(state.SpaceKey, state.Principal.Type, state.Principal.ID)
	p, diags := state.Principal.toDomain(where)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	held, found, err := r.client.PrincipalOperations(ctx, state.SpaceKey.ValueString(), p, identities(ctx, req.Private, resp.Private, &resp.Diagnostics))
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the permissions of "+where, err.Error())
	case !found || len(held) == 0:
		resp.State.RemoveResource(ctx)
	default:
		state.ID = types.StringValue(state.importID().String())
		state.Operations = operationSetValue(held)
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

func (r *spacePermissionSetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state spacePermissionSetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Operations = operationSetValue(permissions.OperationSet{})
	r.write(ctx, state, nullState{}, identities(ctx, req.Private, resp.Private, &resp.Diagnostics), &resp.Diagnostics)
}

func (r *spacePermissionSetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, principalIdentity, req, resp, func(raw string) (identified, error) {
		id, err := permissions.ParsePrincipalID(raw)
		if err != nil {
			return nil, err
		}
		return principalSetModel(id, types.SetNull(types.StringType)), nil
	})
}

// principalSetModel is a principal's grants in a space: before Read with
// no operations known, or as a list reports them.
func principalSetModel(id permissions.PrincipalID, operations types.Set) spacePermissionSetModel {
	return spacePermissionSetModel{
		ID:         types.StringValue(id.String()),
		SpaceKey:   types.StringValue(id.SpaceKey),
		Principal:  principalFromDomain(id.Principal),
		Operations: operations,
	}
}

func (m spacePermissionSetModel) importID() permissions.PrincipalID {
	return permissions.PrincipalID{
		SpaceKey:  m.SpaceKey.ValueString(),
		Principal: permissions.Principal{Type: permissions.PrincipalType(m.Principal.Type.ValueString()), ID: m.Principal.ID.ValueString()},
	}
}
