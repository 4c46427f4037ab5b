// Package provider is the Terraform-facing side of the Confluence provider:
// schemas, state and plans. It turns configuration into calls on
// internal/confluence and never builds a URL itself.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
)

var (
	_ provider.Provider                  = (*confluenceProvider)(nil)
	_ provider.ProviderWithListResources = (*confluenceProvider)(nil)
)

// New returns a factory for the provider at the given version.
func New(version string) func() provider.Provider {
	return NewWith(version, Options{})
}

// Options change how the provider talks to Confluence. Only the benchmarks
// set them.
type Options struct {
	// Unpaced turns the shared pace off (transport.Config.Unpaced), to
	// measure what it is worth.
	Unpaced bool
}

// NewWith is New with options.
func NewWith(version string, o Options) func() provider.Provider {
	return func() provider.Provider {
		return &confluenceProvider{version: version, getenv: os.Getenv, options: o}
	}
}

type confluenceProvider struct {
	version string
	getenv  func(string) string
	options Options
}

func (p *confluenceProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "confluence"
	resp.Version = p.version
}

func (p *confluenceProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "## Operations\n\n" +
			"Permissions are written `key/target` in Confluence Cloud's spelling on both deployments; the provider translates them for " +
			"Data Center's REST API and its legacy remote API.\n\n" + operationsTable() +
			"\nAn operation the configured deployment does not offer is refused at plan time.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Address of the Confluence site: `https://example.atlassian.net` for Cloud with an API token, " +
					"`https://api.atlassian.com/ex/confluence/{cloudId}` for Cloud with a scoped token or OAuth, " +
					"or the base URL of Data Center including any context path (`https://confluence.example.com/confluence`). " +
					"Plain `http://` is accepted only for localhost. Environment variable: `CONFLUENCE_URL`.",
			},
			"user": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "For basic authentication: on Cloud the email address of the account, on Data Center the username. " +
					"Environment variable: `CONFLUENCE_USER`.",
			},
			"api_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "For basic authentication with `user`: on Cloud an API token, on Data Center the password. " +
					"Environment variable: `CONFLUENCE_API_TOKEN`.",
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "A bearer token instead of `user` and `api_token`: an OAuth 2.0 access token on Cloud " +
					"(with the `api.atlassian.com` URL) or a personal access token on Data Center 7.9 and later. " +
					"Environment variable: `CONFLUENCE_TOKEN`.",
			},
			"deployment": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`cloud` or `datacenter`. When unset, `*.atlassian.net` and `api.atlassian.com/ex/confluence/...` addresses " +
					"mean Cloud and any other address means Data Center. `datacenter` with a Cloud address is refused. Environment variable: `CONFLUENCE_DEPLOYMENT`.",
			},
			"data_center_api": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Data Center only: `rest` for the space permission REST API of Confluence 9.1 and later, " +
					"`rpc` for the JSON-RPC remote API of older versions (an administrator must enable it). " +
					"When unset, the provider asks `/rest/api/server-information` once: it answers from 9.1 on, with the version, and a 404 means an older " +
					"version and the remote API. Environment variable: `CONFLUENCE_DATA_CENTER_API`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Time limit of one HTTP request, as a duration such as `30s` (default `60s`). " +
					"Environment variable: `CONFLUENCE_REQUEST_TIMEOUT`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "How often a request is retried after a rate limit (429, honouring `Retry-After`), a 5xx or a dropped connection " +
					"(default 5, at most 20). Requests that create a grant are never repeated blindly: the provider re-reads the space first. " +
					"Environment variable: `CONFLUENCE_MAX_RETRIES`.",
			},
			"max_concurrency": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "The most requests the provider has in flight at once, over all resources (default 10, at most 100). " +
					"After a rate limit (429) every request waits for the time Confluence names, and the number in flight is halved, then grows back " +
					"by one as requests succeed. Lower it for a site that other tools share. Environment variable: `CONFLUENCE_MAX_CONCURRENCY`.",
			},
		},
	}
}

func (p *confluenceProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.unknown() {
		resp.Diagnostics.AddError("Confluence provider settings are not known yet",
			"The provider block uses values that Terraform only knows after apply. "+
				"Set url, user, api_token and token from variables or environment variables (CONFLUENCE_URL, ...) instead.")
		return
	}
	s, problems := setup.Resolve(m.given(), p.getenv)
	for _, pr := range problems {
		resp.Diagnostics.AddAttributeError(path.Root(pr.Setting.Attr), pr.Summary, pr.Detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := setup.Open(ctx, s, setup.Options{
		UserAgent: "terraform-provider-confluence/" + p.version + " (+https://registry.terraform.io/providers/spacekeeper/confluence) Terraform/" + req.TerraformVersion,
		Logger:    tflogLogger{},
		Unpaced:   p.options.Unpaced,
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot connect to Confluence", err.Error())
		return
	}
	resp.DataSourceData = client
	resp.ResourceData = client
	resp.ListResourceData = client
}

func (p *confluenceProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newSpacePermissionResource,
		newSpacePermissionSetResource,
		newSpacePermissionsResource,
		newSpaceRoleAssignmentResource,
		newSpaceRoleAssignmentsResource,
		newSpaceRoleResource,
	}
}

// ListResources serve `terraform query` (list.go).
func (p *confluenceProvider) ListResources(context.Context) []func() list.ListResource {
	return listResources()
}

func (p *confluenceProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newSpacesDataSource,
		newSpaceDataSource,
		newUserDataSource,
		newGroupDataSource,
		newSpacePermissionsDataSource,
		newSpaceRolesDataSource,
		newSpaceRoleAssignmentsDataSource,
		newSpacePermissionCombinationsDataSource,
	}
}
