package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

var (
	_ datasource.DataSource                     = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*groupDataSource)(nil)
)

func newGroupDataSource() datasource.DataSource { return &groupDataSource{} }

// groupDataSource resolves a group to the id permissions name it by.
type groupDataSource struct {
	dataSourceBase
}

type groupModel struct {
	Name types.String `tfsdk:"name"`
	ID   types.String `tfsdk:"id"`
}

func (d *groupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a group by exact name or by id and gives the id to use as `principal.id`: " +
			"the groupId on Cloud (group names can change there, ids cannot), the group name on Data Center. Fails when the group does not exist.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The group's exact name.",
			},
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The value for `principal.id`: the groupId on Cloud, the group name on Data Center.",
			},
		},
	}
}

func (d *groupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("name"), path.MatchRoot("id")),
	}
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m groupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		g      confluence.Group
		err    error
		attr   = "id"
		lookup = m.ID.ValueString()
	)
	if known(m.Name) {
		attr, lookup = "name", m.Name.ValueString()
		g, err = d.client.GroupByName(ctx, lookup)
	} else {
		g, err = d.client.Group(ctx, lookup)
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Cannot find group "+lookup, err.Error())
		return
	}
	m.ID, m.Name = types.StringValue(g.ID), types.StringValue(g.Name)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
