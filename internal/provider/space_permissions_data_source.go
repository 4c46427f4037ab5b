package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*spacePermissionsDataSource)(nil)

func newSpacePermissionsDataSource() datasource.DataSource { return &spacePermissionsDataSource{} }

// spacePermissionsDataSource reads the current grants of a space, in the
// shape confluence_space_permissions takes.
type spacePermissionsDataSource struct {
	dataSourceBase
}

type spacePermissionsDataModel struct {
	SpaceKey        types.String `tfsdk:"space_key"`
	Grants          types.Map    `tfsdk:"grants"`
	UnmanagedGrants types.Map    `tfsdk:"unmanaged_grants"`
}

func (d *spacePermissionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_permissions"
}

func grantsDataAttribute(description string) schema.MapAttribute {
	return schema.MapAttribute{
		Computed:            true,
		ElementType:         types.SetType{ElemType: types.StringType},
		MarkdownDescription: description,
	}
}

func (d *spacePermissionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The current permissions of a space, one entry per principal. `grants` has the shape of the " +
			"`grants` argument of the `confluence_space_permissions` resource, so it can copy a space's permissions to another space.",
		Attributes: map[string]schema.Attribute{
			"space_key": schema.StringAttribute{Required: true, MarkdownDescription: spaceKeyDescription, Validators: []validator.String{spaceKeyValidator{}}},
			"grants":    grantsDataAttribute("The grants of users, groups and anonymous: the principals Terraform can manage."),
			"unmanaged_grants": grantsDataAttribute("Grants Confluence reports for principals the provider cannot manage " +
				"(on Cloud sites with space roles, principals of type `role`). They are shown, never changed, and never an error."),
		},
	}
}

func (d *spacePermissionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m spacePermissionsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spaceKey := m.SpaceKey.ValueString()
	managed, unmanaged, found, err := d.client.SpaceGrants(ctx, spaceKey, nil)
	if err == nil && !found {
		if _, err = d.client.Space(ctx, spaceKey); err == nil { // the space's own explained not-found error
			err = fmt.Errorf("space %s went away while it was read: try again", spaceKey)
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the permissions of space "+spaceKey, err.Error())
		return
	}
	m.Grants, m.UnmanagedGrants = grantsValue(managed), grantsValue(unmanaged)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
