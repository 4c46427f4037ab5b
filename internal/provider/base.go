package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// resourceBase gives a resource the client the provider configured.
type resourceBase struct {
	client *confluence.Client
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	client, problem := clientFrom(req.ProviderData)
	if problem != "" {
		resp.Diagnostics.AddError("Unexpected provider data", problem)
	}
	b.client = client
}

// dataSourceBase gives a data source the client the provider configured.
type dataSourceBase struct {
	client *confluence.Client
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	client, problem := clientFrom(req.ProviderData)
	if problem != "" {
		resp.Diagnostics.AddError("Unexpected provider data", problem)
	}
	b.client = client
}

// clientFrom extracts the client handed over by Configure. Terraform calls
// Configure on resources before the provider is configured too, with nil.
func clientFrom(data any) (*confluence.Client, string) {
	if data == nil {
		return nil, ""
	}
	c, ok := data.(*confluence.Client)
	if !ok {
		return nil, "the provider handed over unexpected data; this is a bug in the provider, please report it"
	}
	return c, ""
}
