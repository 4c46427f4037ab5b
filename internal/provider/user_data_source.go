package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var (
	_ datasource.DataSource                     = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userDataSource)(nil)
)

func newUserDataSource() datasource.DataSource { return &userDataSource{} }

// userDataSource resolves a person to the id permissions name them by.
type userDataSource struct {
	dataSourceBase
}

type userModel struct {
	AccountID   types.String `tfsdk:"account_id"`
	Username    types.String `tfsdk:"username"`
	ID          types.String `tfsdk:"id"`
	UserKey     types.String `tfsdk:"user_key"`
	DisplayName types.String `tfsdk:"display_name"`
	Email       types.String `tfsdk:"email"`
	AccountType types.String `tfsdk:"account_type"`
	Active      types.Bool   `tfsdk:"active"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a user and gives the id to use as `principal.id`: the accountId on Cloud, the username on Data Center. " +
			"Fails when the user does not exist.",
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Cloud: the user's accountId (shown in the profile URL `/wiki/people/<accountId>`).",
			},
			"username": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Data Center: the username people log in with.",
			},
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The value for `principal.id`: the accountId on Cloud, the username on Data Center.",
			},
			"user_key": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Data Center: the immutable user key grants are stored under (it survives renames). Empty on Cloud.",
			},
			"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The user's full name."},
			"email": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The email address, when the user's privacy settings show it (often empty on Cloud).",
			},
			"account_type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Cloud: `atlassian`, `app` or `customer`. Empty on Data Center.",
			},
			"active": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the account is active."},
		},
	}
}

func (d *userDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("account_id"), path.MatchRoot("username")),
	}
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cloud := d.client.Deployment() == permissions.Cloud
	attr, lookup := "account_id", m.AccountID.ValueString()
	if !cloud {
		attr, lookup = "username", m.Username.ValueString()
	}
	if lookup == "" {
		other := map[bool]string{true: "username", false: "account_id"}[cloud]
		resp.Diagnostics.AddAttributeError(path.Root(other), "Wrong lookup for this deployment",
			fmt.Sprintf("%s names users by %s; set %s instead of %s.", d.client.Deployment().Title(), attr, attr, other))
		return
	}
	u, err := d.client.User(ctx, lookup)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Cannot find user "+lookup, err.Error())
		return
	}
	m.ID = types.StringValue(u.ID)
	m.UserKey = types.StringValue("")
	if !cloud {
		m.ID = types.StringValue(u.Username)
		m.UserKey = types.StringValue(u.Key)
	}
	m.DisplayName = types.StringValue(u.DisplayName)
	m.Email = types.StringValue(u.Email)
	m.AccountType = types.StringValue(u.AccountType)
	m.Active = types.BoolValue(u.Active)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
