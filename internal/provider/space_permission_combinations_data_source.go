package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*spacePermissionCombinationsDataSource)(nil)

func newSpacePermissionCombinationsDataSource() datasource.DataSource {
	return &spacePermissionCombinationsDataSource{}
}

// spacePermissionCombinationsDataSource is the site's roles transition
// inventory: which combinations of legacy permissions its principals hold
// that no role matches yet, and how widely, so that a team can plan its
// custom roles in Terraform.
type spacePermissionCombinationsDataSource struct {
	dataSourceBase
}

type spacePermissionCombinationsModel struct {
	Regenerate   types.Bool              `tfsdk:"regenerate"`
	GeneratedAt  types.String            `tfsdk:"generated_at"`
	Combinations []permissionCombination `tfsdk:"combinations"`
}

type permissionCombination struct {
	ID             types.String `tfsdk:"id"`
	Permissions    types.Set    `tfsdk:"permissions"`
	Names          types.List   `tfsdk:"permission_names"`
	PrincipalCount types.Int64  `tfsdk:"principal_count"`
	SpaceCount     types.Int64  `tfsdk:"space_count"`
	PrincipalTypes types.List   `tfsdk:"principal_types"`
}

func (d *spacePermissionCombinationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_permission_combinations"
}

func (d *spacePermissionCombinationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The roles transition inventory of a Confluence Cloud site with space roles: the combinations of legacy " +
			"permissions that users, groups and anonymous hold in its spaces and that no role matches yet, most widely held first. " +
			"Each is what a custom role (`confluence_space_role`) would hold to replace those grants. Site admins only; " +
			"Confluence marks the underlying endpoints experimental.",
		Attributes: map[string]schema.Attribute{
			"regenerate": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Ask Confluence to work the inventory out again before reading it (it may take a while on a large site). " +
					"Without it, the inventory is as Confluence last worked it out: see `generated_at`.",
			},
			"generated_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When Confluence last worked the inventory out; empty when it never has."},
			"combinations": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The combinations, in the order Confluence lists them (most principals first).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the combination."},
					"permissions": schema.SetAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The permission ids as the inventory gives them. Atlassian calls them platform ids and does not say that they are the ids `confluence_space_role.permissions` takes; compare them with the permissions of the roles the `confluence_space_roles` data source lists before you copy them into a role.",
					},
					"permission_names": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The permissions' display names, in the order Confluence gives them.",
					},
					"principal_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "How many principals hold the combination."},
					"space_count":     schema.Int64Attribute{Computed: true, MarkdownDescription: "In how many spaces."},
					"principal_types": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The kinds of principal that hold it, as Confluence names them (`USER`, `GROUP`, `ANONYMOUS`, ...).",
					},
				}},
			},
		},
	}
}

func (d *spacePermissionCombinationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m spacePermissionCombinationsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	roles, ok := spaceRoles(ctx, d.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	inv, ok, err := roles.Inventory(ctx, m.Regenerate.ValueBool())
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the site's transition inventory", err.Error())
		return
	case !ok:
		resp.Diagnostics.AddError("No transition inventory", "This deployment has no roles transition tool: it exists on Confluence Cloud only.")
		return
	}
	m.GeneratedAt = types.StringValue(inv.GeneratedAt)
	m.Combinations = make([]permissionCombination, 0, len(inv.Combinations))
	for _, c := range inv.Combinations {
		ids := make([]string, len(c.Permissions))
		names := make([]string, len(c.Permissions))
		for i, p := range c.Permissions {
			ids[i], names[i] = p.ID, p.DisplayName
		}
		m.Combinations = append(m.Combinations, permissionCombination{
			ID:             types.StringValue(c.ID),
			Permissions:    stringSetValue(ids),
			Names:          stringListValue(names),
			PrincipalCount: types.Int64Value(c.PrincipalCount),
			SpaceCount:     types.Int64Value(c.SpaceCount),
			PrincipalTypes: stringListValue(c.PrincipalTypes),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
