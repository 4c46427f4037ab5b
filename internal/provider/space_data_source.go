package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*spaceDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*spaceDataSource)(nil)
)

func newSpaceDataSource() datasource.DataSource { return &spaceDataSource{} }

// spaceDataSource looks one space up by key.
type spaceDataSource struct {
	dataSourceBase
}

func (d *spaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space"
}

func (d *spaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := spaceAttributes()
	attrs["key"] = schema.StringAttribute{Required: true, MarkdownDescription: spaceKeyDescription, Validators: []validator.String{spaceKeyValidator{}}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one space by its key. Fails when the space does not exist or the provider's account cannot view it.",
		Attributes:          attrs,
	}
}

func (d *spaceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var key types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathKey, &key)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, err := d.client.Space(ctx, key.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(pathKey, "Cannot find space "+key.ValueString(), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, spaceToModel(s))...)
}
