package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var (
	_ resource.Resource                   = (*spacePermissionResource)(nil)
	_ resource.ResourceWithConfigure      = (*spacePermissionResource)(nil)
	_ resource.ResourceWithImportState    = (*spacePermissionResource)(nil)
	_ resource.ResourceWithValidateConfig = (*spacePermissionResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*spacePermissionResource)(nil)
	_ resource.ResourceWithIdentity       = (*spacePermissionResource)(nil)
)

func newSpacePermissionResource() resource.Resource { return &spacePermissionResource{} }

// spacePermissionResource is one grant: additive, it touches nothing else.
type spacePermissionResource struct {
	resourceBase
}

type spacePermissionModel struct {
	ID        types.String   `tfsdk:"id"`
	SpaceKey  types.String   `tfsdk:"space_key"`
	Principal principalModel `tfsdk:"principal"`
	Operation types.String   `tfsdk:"operation"`
}

func (r *spacePermissionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_permission"
}

func (r *spacePermissionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	identitySchema(grantIdentity, resp)
}

func (m spacePermissionModel) identity() []string {
	return []string{m.SpaceKey.ValueString(), m.Principal.Type.ValueString(), m.Principal.ID.ValueString(), m.Operation.ValueString()}
}

func (r *spacePermissionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One permission of one user, group or anonymous in one space. " +
			"**Additive**: it manages only its own grant and leaves every other grant in the space alone.",
		Attributes: map[string]schema.Attribute{
			"id":        importIDAttribute("`SPACEKEY/TYPE/ID/KEY/TARGET`, also the import id (for example `DOCS/user/5b10ac8d82e05b22cc7d4ef5/create/page`, or `DOCS/anonymous/read/space`)."),
			"space_key": spaceKeyAttribute(),
			"principal": schema.SingleNestedAttribute{
				Required:            true,
				MarkdownDescription: principalDescription,
				Attributes:          principalAttributes(),
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
			},
			"operation": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: operationDescription,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
		},
	}
}

// ValidateConfig checks what needs no Confluence: the operation's spelling
// and existence, the principal's shape, anonymous administrators.
func (r *spacePermissionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var opText, typ, id, space types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("operation"), &opText)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("principal").AtName("type"), &typ)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("principal").AtName("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("space_key"), &space)...)
	if resp.Diagnostics.HasError() {
		return
	}
	where := describeGrantTarget(space, typ, id)
	if known(opText) {
		if op, err := permissions.ParseOperation(opText.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("operation"), "Invalid operation", fmt.Sprintf("%s: %s.", where, err))
		} else if err := permissions.ValidateOperation(op, ""); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("operation"), "Unknown operation", fmt.Sprintf("%s: %s.", where, err))
		} else if typ.ValueString() == string(permissions.Anonymous) && op == permissions.AdministerSpace {
			resp.Diagnostics.AddAttributeError(path.Root("operation"), "Anonymous users cannot administer a space",
				fmt.Sprintf("%s: Confluence never grants %q to anonymous users.", where, permissions.AdministerSpace))
		}
	}
	if known(typ) && !id.IsUnknown() {
		p := principalModel{Type: typ, ID: id}
		if _, diags := p.toDomain(where); diags.HasError() {
			for _, d := range diags {
				resp.Diagnostics.AddAttributeError(path.Root("principal"), d.Summary(), d.Detail())
			}
		}
	}
}

// ModifyPlan checks what depends on the deployment, once the provider knows
// which Confluence it talks to.
func (r *spacePermissionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	if req.Plan.Raw.IsNull() {
		refuseOnRolesOnlySite(ctx, r.client, "confluence_space_permission", "", permissions.Principal{}, true, &resp.Diagnostics)
		return
	}
	if !req.Plan.Raw.IsFullyKnown() || req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		var plan spacePermissionModel
		if diags := req.Plan.Get(ctx, &plan); !diags.HasError() {
			refuseOnRolesOnlySite(ctx, r.client, "confluence_space_permission", plan.SpaceKey.ValueString(),
				permissions.Principal{Type: permissions.PrincipalType(plan.Principal.Type.ValueString()), ID: plan.Principal.ID.ValueString()}, false, &resp.Diagnostics)
		}
	}
	var opText types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("operation"), &opText)...)
	if !known(opText) {
		return
	}
	if op, err := permissions.ParseOperation(opText.ValueString()); err == nil {
		if err := permissions.ValidateOperation(op, r.client.Deployment()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("operation"), "Operation not available on this deployment", err.Error()+".")
		}
	}
}

func (r *spacePermissionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, id, ok := grantFrom(ctx, req.Plan.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	outcome, err := r.client.AddGrant(ctx, id.SpaceKey, id.Grant(), identities(ctx, nil, resp.Private, &resp.Diagnostics))
	addNotes(&resp.Diagnostics, outcome)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot grant %s in space %s", id.Operation, id.SpaceKey), err.Error())
		return
	}
	plan.ID = types.StringValue(id.String())
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	keepIdentity(ctx, grantIdentity, resp.Identity, plan, &resp.Diagnostics)
}

// Read reflects the server: a grant gone (with its space, user or group)
// leaves state, so the next plan creates it again.
func (r *spacePermissionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, id, ok := grantFrom(ctx, req.State.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	keepIdentity(ctx, grantIdentity, resp.Identity, state, &resp.Diagnostics)
	exists, err := r.client.HasGrant(ctx, id.SpaceKey, id.Grant(), identities(ctx, req.Private, resp.Private, &resp.Diagnostics))
	switch {
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read the permissions of space %s", id.SpaceKey), err.Error())
	case !exists:
		resp.State.RemoveResource(ctx)
	default:
		state.ID = types.StringValue(id.String())
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// grantFrom reads the model from the plan or the state, and its grant.
func grantFrom(ctx context.Context, get func(context.Context, any) diag.Diagnostics, diags *diag.Diagnostics) (spacePermissionModel, permissions.GrantID, bool) {
	var m spacePermissionModel
	diags.Append(get(ctx, &m)...)
	if diags.HasError() {
		return m, permissions.GrantID{}, false
	}
	id, d := m.grantID()
	diags.Append(d...)
	return m, id, !diags.HasError()
}

// Update is never called: every attribute forces replacement.
func (r *spacePermissionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Unexpected update", "confluence_space_permission replaces itself on every change; this is a bug in the provider, please report it.")
}

func (r *spacePermissionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	_, id, ok := grantFrom(ctx, req.State.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	outcome, err := r.client.RemoveGrant(ctx, id.SpaceKey, id.Grant(), identities(ctx, req.Private, resp.Private, &resp.Diagnostics))
	addNotes(&resp.Diagnostics, outcome)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot remove %s in space %s", id.Operation, id.SpaceKey), err.Error())
	}
}

func (r *spacePermissionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, grantIdentity, req, resp, func(raw string) (identified, error) {
		id, err := permissions.ParseGrantID(raw)
		if err != nil {
			return nil, err
		}
		if err := permissions.ValidateOperation(id.Operation, ""); err != nil {
			return nil, fmt.Errorf("import id %q: %w", raw, err)
		}
		return grantModel(id), nil
	})
}

// grantModel is the state of a grant before Read, and what a list of grants
// reports.
func grantModel(id permissions.GrantID) spacePermissionModel {
	return spacePermissionModel{
		ID:        types.StringValue(id.String()),
		SpaceKey:  types.StringValue(id.SpaceKey),
		Principal: principalFromDomain(id.Principal),
		Operation: types.StringValue(id.Operation.String()),
	}
}

func (m spacePermissionModel) grantID() (permissions.GrantID, diag.Diagnostics) {
	where := describeGrantTarget(m.SpaceKey, m.Principal.Type, m.Principal.ID)
	p, diags := m.Principal.toDomain(where)
	op, err := permissions.ParseOperation(m.Operation.ValueString())
	if err != nil {
		diags.AddError("Invalid operation", fmt.Sprintf("%s: %s.", where, err))
	}
	return permissions.GrantID{SpaceKey: m.SpaceKey.ValueString(), Principal: p, Operation: op}, diags
}
