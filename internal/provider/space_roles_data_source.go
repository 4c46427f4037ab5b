package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

var _ datasource.DataSourceWithConfigure = (*spaceRolesDataSource)(nil)

func newSpaceRolesDataSource() datasource.DataSource { return &spaceRolesDataSource{} }

// spaceRolesDataSource lists the space roles a Cloud site offers.
type spaceRolesDataSource struct {
	dataSourceBase
}

type spaceRolesModel struct {
	Type    types.String     `tfsdk:"type"`
	Roles   []spaceRoleEntry `tfsdk:"roles"`
	RoleIDs types.Map        `tfsdk:"role_ids"`
}

type spaceRoleEntry struct {
	ID          types.String `tfsdk:"id"`
	Type        types.String `tfsdk:"type"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Permissions types.Set    `tfsdk:"permissions"`
}

func (d *spaceRolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_roles"
}

func (d *spaceRolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The space roles of a Confluence Cloud site with space roles: Confluence's default roles " +
			"(Admin, Manager, Collaborator, Viewer) and the site's custom roles, each with its permissions.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only roles of this type: `system` (Confluence's default roles) or `custom`.",
				Validators:          []validator.String{stringvalidator.OneOf(roleTypeName(confluence.SystemRole), roleTypeName(confluence.CustomRole))},
			},
			"roles": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The roles, default roles first, in the order Confluence lists them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the role."},
					"type":        schema.StringAttribute{Computed: true, MarkdownDescription: "`system` or `custom`."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the role."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "What the role is for."},
					"permissions": schema.SetAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The ids of the role's permissions: `key/target` for the legacy permissions (`read/space`, ...), other ids for permissions only roles have.",
					},
				}},
			},
			"role_ids": schema.MapAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Role ids by role name, for `role_id = data.confluence_space_roles.all.role_ids[\"Viewer\"]`.",
			},
		},
	}
}

func (d *spaceRolesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m spaceRolesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	roles, ok := spaceRoles(ctx, d.client, &resp.Diagnostics)
	if !ok {
		return
	}
	all, err := roles.List(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the site's space roles", err.Error())
		return
	}
	m.Roles = []spaceRoleEntry{}
	ids := map[string]attr.Value{}
	for _, r := range all {
		if known(m.Type) && roleTypeName(r.Type) != m.Type.ValueString() {
			continue
		}
		m.Roles = append(m.Roles, spaceRoleEntry{
			ID:          types.StringValue(r.ID),
			Type:        types.StringValue(roleTypeName(r.Type)),
			Name:        types.StringValue(r.Name),
			Description: types.StringValue(r.Description),
			Permissions: stringSetValue(r.Permissions),
		})
		ids[r.Name] = types.StringValue(r.ID)
	}
	m.RoleIDs = types.MapValueMust(types.StringType, ids)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
