package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
	_ resource.ResourceWithIdentity       = (*spaceRoleResource)(nil)
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

func (r *spaceRoleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	identitySchema(roleIdentity, resp)
}

func (m spaceRoleModel) identity() []string { return []string{m.ID.ValueString()} }

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
				MarkdownDescription: "The ids of the role's permissions, from the site's catalogue of role permissions " +
					"(`GET /wiki/api/v2/space-permissions`, which the plan checks against): the legacy permissions have ids such as `read/space` " +
					"(see the [table of operations](../index.md#operations)), and Cloud adds permissions that exist only for roles. " +
					"A permission that others need (such as `read/space`) may be added by Confluence when left out: the plan warns, " +
					"and the provider keeps the configuration as written.",
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
	ids, diags := permissionIDs(ctx, m.Permissions)
	resp.Diagnostics.Append(diags...)
	switch {
	case diags.HasError():
	case len(ids) == 0:
		resp.Diagnostics.AddAttributeError(pathPermissions, "No permissions",
			fmt.Sprintf("%s: permissions is empty; a role needs at least %q.", where, permissions.ReadSpace))
	case slices.Contains(ids, ""):
		resp.Diagnostics.AddAttributeError(pathPermissions, "Empty permission id",
			fmt.Sprintf("%s: permissions holds an empty id; the confluence_space_roles data source shows the ids roles hold.", where))
	}
}

func describeRole(name types.String) string {
	if known(name) {
		return fmt.Sprintf("space role %q", name.ValueString())
	}
	return "space role"
}

// ModifyPlan refuses sites without space roles, a name another role
// already has, and permission ids the site's catalogue does not list:
// Confluence would refuse each at apply. Permissions that the configured
// ones require but that are left out get a warning.
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
	if resp.Diagnostics.HasError() {
		return
	}
	if known(plan.Name) {
		other, err := roles.ByName(ctx, plan.Name.ValueString())
		switch {
		case confluence.IsNotFound(err):
		case err != nil:
			resp.Diagnostics.AddError("Cannot read the site's space roles", err.Error())
		case other.ID != plan.ID.ValueString():
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Space role name already taken",
				fmt.Sprintf("A %s role named %q already exists on this site (id %s). Choose another name, or manage that role with "+
					"terraform import confluence_space_role.<name> %s (default roles cannot be managed).",
					roleTypeName(other.Type), other.Name, other.ID, other.ID))
		}
	}
	if fullyKnown(plan.Permissions) {
		r.checkCatalogue(ctx, roles, plan, &resp.Diagnostics)
	}
}

// checkCatalogue checks the planned permission ids against the site's
// catalogue, read once per provider process.
func (r *spaceRoleResource) checkCatalogue(ctx context.Context, roles *confluence.Roles, plan spaceRoleModel, diags *diag.Diagnostics) {
	ids, d := permissionIDs(ctx, plan.Permissions)
	if d.HasError() {
		return
	}
	catalogue, err := roles.Catalogue(ctx)
	if err != nil {
		diags.AddWarning("Cannot check the role's permissions", err.Error()+
			" The plan goes on; Confluence checks the permission ids when the role is applied.")
		return
	}
	where := describeRole(plan.Name)
	if unknown := catalogue.Unknown(ids); len(unknown) > 0 {
		diags.AddAttributeError(pathPermissions, "Unknown role permission",
			fmt.Sprintf("%s: this site has no role permission %s. The permissions a role can hold here are: %s.",
				where, quoteAll(unknown), strings.Join(catalogue.IDs(), ", ")))
		return
	}
	if missing := catalogue.Required(ids); len(missing) > 0 {
		diags.AddAttributeWarning(pathPermissions, "Role permissions need others",
			fmt.Sprintf("%s: the permissions listed need %s as well, according to the site's catalogue. Confluence may add them to the role "+
				"or refuse it; add them to permissions to say what the role holds.", where, quoteAll(missing)))
	}
}

func (r *spaceRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, roles, d, ok := r.planned(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	change, err := roles.Create(ctx, d)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create "+describeRole(plan.Name), err.Error())
		return
	}
	plan.ID = types.StringValue(change.Role.ID)
	r.record(ctx, plan, change, &resp.State, resp.Private, &resp.Diagnostics)
	keepIdentity(ctx, roleIdentity, resp.Identity, plan, &resp.Diagnostics)
}

// Update sends the new definition and waits until Confluence has applied
// it, which it does asynchronously
// (contributing/confluence-api.md#following-a-role-update-or-deletion).
func (r *spaceRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, roles, d, ok := r.planned(ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	change, err := roles.Update(ctx, plan.ID.ValueString(), d)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update "+describeRole(plan.Name), err.Error())
		return
	}
	r.record(ctx, plan, change, &resp.State, resp.Private, &resp.Diagnostics)
	keepIdentity(ctx, roleIdentity, resp.Identity, plan, &resp.Diagnostics)
}

// planned reads the plan with what writing it needs: the site's role API
// and the role's definition.
func (r *spaceRoleResource) planned(ctx context.Context, plan tfsdk.Plan, diags *diag.Diagnostics) (spaceRoleModel, *confluence.Roles, confluence.RoleDefinition, bool) {
	var m spaceRoleModel
	diags.Append(plan.Get(ctx, &m)...)
	roles, ok := spaceRoles(ctx, r.client, diags)
	d, dd := m.definition(ctx)
	diags.Append(dd...)
	return m, roles, d, ok && !diags.HasError()
}

// privateAddedKey keeps the permissions Confluence added to a role at the
// last apply, beyond those configured, so that Read does not take them for
// a change made outside Terraform.
const privateAddedKey = "added_permissions"

// record stores the role as planned, keeping the permissions Confluence
// added on its own in private state and warning about them.
func (r *spaceRoleResource) record(ctx context.Context, plan spaceRoleModel, change confluence.RoleChange, state stateSetter, private privateSetter, diags *diag.Diagnostics) {
	if len(change.Added) > 0 {
		diags.AddWarning("Confluence added permissions to the role",
			fmt.Sprintf("Confluence gave %s the permissions %s as well, which those configured need. The configuration is kept as written; "+
				"add them to permissions to make them explicit.", describeRole(plan.Name), quoteAll(change.Added)))
	}
	diags.Append(state.Set(ctx, plan)...)
	diags.Append(setPrivateList(ctx, private, privateAddedKey, change.Added)...)
}

// Read reflects the server: a role deleted outside Terraform leaves state,
// a changed one shows as a change.
func (r *spaceRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state spaceRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	keepIdentity(ctx, roleIdentity, resp.Identity, state, &resp.Diagnostics)
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
		resp.Diagnostics.AddError("Cannot read space role "+state.ID.ValueString(), err.Error())
		return
	case role.Type != confluence.CustomRole:
		resp.Diagnostics.AddError("Not a custom space role",
			fmt.Sprintf("Space role %s (%s) is one of Confluence's default roles, which cannot be changed or deleted: "+
				"remove it from the configuration and read it with the confluence_space_roles data source instead.", role.ID, role.Name))
		return
	}
	// The configured permissions stand for the role as long as what it holds
	// is those and what Confluence added to them at the last apply.
	current := roleModel(role)
	added, d := getPrivateList(ctx, req.Private, privateAddedKey)
	resp.Diagnostics.Append(d...)
	if configured, d := permissionIDs(ctx, state.Permissions); !d.HasError() && sameIDSet(role.Permissions, append(configured, added...)) {
		current.Permissions = state.Permissions
	} else {
		resp.Diagnostics.Append(setPrivateList(ctx, resp.Private, privateAddedKey, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, current)...)
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
	importState(ctx, roleIdentity, req, resp, func(id string) (identified, error) {
		if strings.TrimSpace(id) == "" || strings.Contains(id, "/") {
			return nil, fmt.Errorf("import id %q is not a space role id; the confluence_space_roles data source lists them", id)
		}
		return spaceRoleModel{ID: types.StringValue(id), Name: types.StringNull(), Description: types.StringNull(), Permissions: types.SetNull(types.StringType)}, nil
	})
}

func (m spaceRoleModel) definition(ctx context.Context) (confluence.RoleDefinition, diag.Diagnostics) {
	ids, diags := permissionIDs(ctx, m.Permissions)
	return confluence.RoleDefinition{Name: m.Name.ValueString(), Description: m.Description.ValueString(), Permissions: ids}, diags
}

func roleModel(r confluence.Role) spaceRoleModel {
	return spaceRoleModel{
		ID:          types.StringValue(r.ID),
		Name:        types.StringValue(r.Name),
		Description: types.StringValue(r.Description),
		Permissions: stringSetValue(r.Permissions),
	}
}

// permissionIDs reads a set of role permission ids, sorted.
func permissionIDs(ctx context.Context, v types.Set) ([]string, diag.Diagnostics) {
	var ids []string
	diags := v.ElementsAs(ctx, &ids, false)
	slices.Sort(ids)
	return ids, diags
}

// sameIDSet reports whether a and b hold the same ids, in any order and
// number.
func sameIDSet(a, b []string) bool {
	as, bs := slices.Clone(a), slices.Clone(b)
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(slices.Compact(as), slices.Compact(bs))
}

// quoteAll renders ids for messages: "a", "b".
func quoteAll(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(id)
	}
	return strings.Join(q, ", ")
}
