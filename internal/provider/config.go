package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
)

// providerModel is the provider block.
type providerModel struct {
	URL            types.String `tfsdk:"url"`
	User           types.String `tfsdk:"user"`
	APIToken       types.String `tfsdk:"api_token"`
	Token          types.String `tfsdk:"token"`
	Deployment     types.String `tfsdk:"deployment"`
	DataCenterAPI  types.String `tfsdk:"data_center_api"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	MaxConcurrency types.Int64  `tfsdk:"max_concurrency"`
}

// given is the block as setup.Resolve takes it: unset attributes are nil,
// so that their environment variables stand in.
func (m providerModel) given() setup.Given {
	str := func(v types.String) *string {
		if !known(v) {
			return nil
		}
		s := v.ValueString()
		return &s
	}
	g := setup.Given{
		URL: str(m.URL), User: str(m.User), APIToken: str(m.APIToken), Token: str(m.Token),
		Deployment: str(m.Deployment), DataCenterAPI: str(m.DataCenterAPI), RequestTimeout: str(m.RequestTimeout),
	}
	num := func(v types.Int64) *int64 {
		if !known(v) {
			return nil
		}
		n := v.ValueInt64()
		return &n
	}
	g.MaxRetries, g.MaxConcurrency = num(m.MaxRetries), num(m.MaxConcurrency)
	return g
}

// unknown reports settings Terraform only knows after apply.
func (m providerModel) unknown() bool {
	return m.URL.IsUnknown() || m.User.IsUnknown() || m.APIToken.IsUnknown() || m.Token.IsUnknown() ||
		m.Deployment.IsUnknown() || m.DataCenterAPI.IsUnknown() || m.RequestTimeout.IsUnknown() || m.MaxRetries.IsUnknown() || m.MaxConcurrency.IsUnknown()
}
