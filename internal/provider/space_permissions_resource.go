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
	_ resource.Resource                   = (*spacePermissionsResource)(nil)
	_ resource.ResourceWithConfigure      = (*spacePermissionsResource)(nil)
	_ resource.ResourceWithImportState    = (*spacePermissionsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*spacePermissionsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*spacePermissionsResource)(nil)
	_ resource.ResourceWithIdentity       = (*spacePermissionsResource)(nil)
)

func newSpacePermissionsResource() resource.Resource { return &spacePermissionsResource{} }

// spacePermissionsResource is every grant of every principal in one space:
// authoritative for the space.
type spacePermissionsResource struct {
	resourceBase
}

type spacePermissionsModel struct {
	ID       types.String `tfsdk:"id"`
	SpaceKey types.String `tfsdk:"space_key"`
	Grants   types.Map    `tfsdk:"grants"`
}

func (r *spacePermissionsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_permissions"
}

func (r *spacePermissionsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	identitySchema(spacePermissionsIdentity, resp)
}

func (m spacePermissionsModel) identity() []string { return []string{m.SpaceKey.ValueString()} }

func (r *spacePermissionsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every permission of every user, group and anonymous in one space. " +
			"**Authoritative for the whole space**: principals not listed lose all their grants there, " +
			"and grants added outside Terraform show up as a change in the next plan.",
		Attributes: map[string]schema.Attribute{
			"id":        importIDAttribute("The space key, also the import id."),
			"space_key": spaceKeyAttribute(),
			"grants": schema.MapAttribute{
				Required:    true,
				ElementType: types.SetType{ElemType: types.StringType},
				MarkdownDescription: "Every principal's permissions in the space: " + grantsKeyDescription + " " +
					"Values are sets of operations as `key/target` (see the [table of operations](../index.md#operations)), each including `read/space`. " +
					"At least one user or group must keep `administer/space`, or the plan is refused: nobody could manage the space afterwards. " +
					"The `grants` of the `confluence_space_permissions` data source has the same shape.",
			},
		},
	}
}

// ValidateConfig checks the entries and the lock-out guard without
// Confluence, as soon as the grants are known.
func (r *spacePermissionsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var space types.String
	var grants types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("space_key"), &space)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("grants"), &grants)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.validate(ctx, space, grants, "")...)
}

// ModifyPlan repeats the checks for the deployment the provider talks to.
// Destroying it changes nothing in Confluence, so it needs no check.
func (r *spacePermissionsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var plan spacePermissionsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.validate(ctx, plan.SpaceKey, plan.Grants, r.client.Deployment())...)
	if req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		example := permissions.Principal{}
		for key := range plan.Grants.Elements() {
			if p, err := permissions.ParsePrincipalKey(key); err == nil {
				example = p
				break
			}
		}
		refuseOnRolesOnlySite(ctx, r.client, "confluence_space_permissions", plan.SpaceKey.ValueString(), example, false, &resp.Diagnostics)
	}
}

func (r *spacePermissionsResource) validate(ctx context.Context, space types.String, grants types.Map, d permissions.Deployment) diag.Diagnostics {
	if !known(space) || !known(grants) || !fullyKnown(grants) {
		return nil
	}
	spaceKey := space.ValueString()
	desired, diags := desiredGrants(ctx, grants, spaceKey)
	if diags.HasError() {
		return diags
	}
	for key, ops := range grants.Elements() {
		p, _ := permissions.ParsePrincipalKey(key)
		set, _ := ops.(types.Set)
		diags.Append(validateOperationSet(ctx, set, p, d, describePrincipalIn(p, spaceKey), path.Root("grants").AtMapKey(key))...)
	}
	if diags.HasError() {
		return diags
	}
	if err := permissions.CheckAdminRemains(spaceKey, desired); err != nil {
		diags.AddAttributeError(path.Root("grants"), "Space would have no administrator", err.Error()+".")
	}
	return diags
}

func (r *spacePermissionsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan spacePermissionsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.SpaceKey
	r.write(ctx, plan, &resp.State, identities(ctx, nil, resp.Private, &resp.Diagnostics), &resp.Diagnostics)
	keepIdentity(ctx, spacePermissionsIdentity, resp.Identity, plan, &resp.Diagnostics)
}

func (r *spacePermissionsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan spacePermissionsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, plan, &resp.State, identities(ctx, req.Private, resp.Private, &resp.Diagnostics), &resp.Diagnostics)
	keepIdentity(ctx, spacePermissionsIdentity, resp.Identity, plan, &resp.Diagnostics)
}

// write makes the space's grants the planned ones and records in state what
// Confluence holds afterwards, also when it failed part way.
func (r *spacePermissionsResource) write(ctx context.Context, plan spacePermissionsModel, state stateSetter, ids confluence.IdentityStore, diags *diag.Diagnostics) {
	spaceKey := plan.SpaceKey.ValueString()
	desired, d := desiredGrants(ctx, plan.Grants, spaceKey)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	outcome, err := r.client.SetSpace(ctx, spaceKey, desired, ids)
	addNotes(diags, outcome)
	if err == nil {
		diags.Append(state.Set(ctx, plan)...)
		return
	}
	diags.AddError(fmt.Sprintf("Cannot set the permissions of space %s", spaceKey), err.Error())
	// Record what really exists, so that the next plan shows what is left.
	held, _, found, rerr := r.client.SpaceGrants(ctx, spaceKey, ids)
	if rerr != nil || !found {
		return
	}
	plan.Grants = grantsValue(held)
	diags.Append(state.Set(ctx, plan)...)
}

// Read reflects the server: a space gone leaves state.
func (r *spacePermissionsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state spacePermissionsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	keepIdentity(ctx, spacePermissionsIdentity, resp.Identity, state, &resp.Diagnostics)
	spaceKey := state.SpaceKey.ValueString()
	held, _, found, err := r.client.SpaceGrants(ctx, spaceKey, identities(ctx, req.Private, resp.Private, &resp.Diagnostics))
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the permissions of space "+spaceKey, err.Error())
	case !found:
		resp.State.RemoveResource(ctx)
	default:
		state.ID = state.SpaceKey
		state.Grants = grantsValue(held)
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// Delete leaves the space's permissions as they are: a space cannot be left
// without grants (someone must administer it), so Terraform only stops
// managing them.
func (r *spacePermissionsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state spacePermissionsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Space permissions left in place",
		fmt.Sprintf("Terraform no longer manages the permissions of space %s, but they are unchanged in Confluence: "+
			"a space cannot be left without grants, because someone must administer it.", state.SpaceKey.ValueString()))
}

func (r *spacePermissionsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, spacePermissionsIdentity, req, resp, func(raw string) (identified, error) {
		key, err := permissions.ParseSpaceKeyID(raw)
		if err != nil {
			return nil, err
		}
		return spacePermissionsModel{ID: types.StringValue(key), SpaceKey: types.StringValue(key), Grants: types.MapNull(grantsMapType.ElemType)}, nil
	})
}
