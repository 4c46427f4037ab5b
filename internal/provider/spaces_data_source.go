package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

var (
	_ datasource.DataSource              = (*spacesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*spacesDataSource)(nil)
)

func newSpacesDataSource() datasource.DataSource { return &spacesDataSource{} }

// spacesDataSource lists spaces, typically to apply the same permissions to
// every space of a site with for_each.
type spacesDataSource struct {
	dataSourceBase
}

type spacesModel struct {
	Keys   types.List   `tfsdk:"keys"`
	Type   types.String `tfsdk:"type"`
	Status types.String `tfsdk:"status"`
	Labels types.List   `tfsdk:"labels"`
	Spaces []spaceModel `tfsdk:"spaces"`
	Found  types.List   `tfsdk:"space_keys"`
}

type spaceModel struct {
	ID     types.String `tfsdk:"id"`
	Key    types.String `tfsdk:"key"`
	Name   types.String `tfsdk:"name"`
	Type   types.String `tfsdk:"type"`
	Status types.String `tfsdk:"status"`
}

func spaceToModel(s confluence.Space) spaceModel {
	return spaceModel{
		ID:     types.StringValue(s.ID),
		Key:    types.StringValue(s.Key),
		Name:   types.StringValue(s.Name),
		Type:   types.StringValue(s.Type),
		Status: types.StringValue(s.Status),
	}
}

// spaceAttributes are the computed attributes describing one space.
func spaceAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true, MarkdownDescription: "Numeric id of the space."},
		"key":    schema.StringAttribute{Computed: true, MarkdownDescription: "Key of the space."},
		"name":   schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the space."},
		"type":   schema.StringAttribute{Computed: true, MarkdownDescription: "Type of the space, such as `global` or `personal`."},
		"status": schema.StringAttribute{Computed: true, MarkdownDescription: "`current` or `archived`."},
	}
}

// Space types and statuses as the spaces filters take them: Cloud's from
// the type and status enums of GET /wiki/api/v2/spaces, Data Center's from
// GET /rest/api/space (global, personal). Data Center's come first: they are
// Cloud's too.
var (
	dataCenterSpaceTypes = []string{"global", "personal"}
	cloudSpaceTypes      = append(slices.Clone(dataCenterSpaceTypes), "collaboration", "knowledge_base", "system", "onboarding", "xflow_sample_space")
	spaceStatuses        = []string{"current", "archived"}
)

// spaceFilter is an attribute that chooses spaces by what they are: the
// confluence_spaces data source's type, status and labels, which the list
// resources take as space_type, space_status and space_labels.
type spaceFilter struct {
	description string
	oneOf       []string // the values it takes; nil for a list of labels
}

var spaceFilters = map[string]spaceFilter{
	"type": {oneOf: cloudSpaceTypes, description: "Only spaces of this type: on both deployments `" + strings.Join(dataCenterSpaceTypes, "` or `") +
		"`; on Cloud also `" + strings.Join(cloudSpaceTypes[len(dataCenterSpaceTypes):], "`, `") + "`."},
	"status": {oneOf: spaceStatuses, description: "Only `current` or only `archived` spaces."},
	"labels": {description: "Only spaces with any of these labels."},
}

func (f spaceFilter) dataSourceAttribute() schema.Attribute {
	if f.oneOf == nil {
		return schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: f.description}
	}
	return schema.StringAttribute{Optional: true, MarkdownDescription: f.description, Validators: []validator.String{stringvalidator.OneOf(f.oneOf...)}}
}

// spaceSelection is what chooses spaces in a configuration: keys, or the
// spaceFilters.
type spaceSelection struct {
	keys, labels types.List
	typ, status  types.String
}

// listSpaces lists the spaces a selection chooses, refusing first a space
// type the deployment has no spaces of (at typePath), which would silently
// find nothing.
func listSpaces(ctx context.Context, c *confluence.Client, sel spaceSelection, typePath path.Path) ([]confluence.Space, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := confluence.SpaceFilter{Type: sel.typ.ValueString(), Status: sel.status.ValueString()}
	if t := f.Type; t != "" && c.Deployment() == permissions.DataCenter && !slices.Contains(dataCenterSpaceTypes, t) {
		diags.AddAttributeError(typePath, "Space type not on Data Center",
			fmt.Sprintf("Confluence Data Center has no spaces of type %q: its types are %s.", t, strings.Join(dataCenterSpaceTypes, " and ")))
	}
	diags.Append(sel.keys.ElementsAs(ctx, &f.Keys, true)...)
	diags.Append(sel.labels.ElementsAs(ctx, &f.Labels, true)...)
	if diags.HasError() {
		return nil, diags
	}
	spaces, err := c.Spaces(ctx, f)
	if err != nil {
		diags.AddError("Cannot list Confluence spaces", err.Error())
	}
	return spaces, diags
}

func (d *spacesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_spaces"
}

func (d *spacesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the spaces the provider's account can view, optionally filtered. " +
			"Feed `space_keys` to `for_each` to give the same permissions in every space: spaces created later appear in the next plan.",
		Attributes: map[string]schema.Attribute{
			"keys": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Only these space keys. Keys that do not exist are left out of the result, not an error.",
				Validators:          []validator.List{listvalidator.ValueStringsAre(spaceKeyValidator{})},
			},
			"type":   spaceFilters["type"].dataSourceAttribute(),
			"status": spaceFilters["status"].dataSourceAttribute(),
			"labels": spaceFilters["labels"].dataSourceAttribute(),
			"spaces": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching spaces, in the order Confluence returns them.",
				NestedObject:        schema.NestedAttributeObject{Attributes: spaceAttributes()},
			},
			"space_keys": schema.ListAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "The keys of the matching spaces, convenient for `for_each = toset(...)`.",
			},
		},
	}
}

func (d *spacesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m spacesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spaces, diags := listSpaces(ctx, d.client, spaceSelection{keys: m.Keys, typ: m.Type, status: m.Status, labels: m.Labels}, path.Root("type"))
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	m.Spaces = make([]spaceModel, 0, len(spaces))
	keys := make([]attr.Value, 0, len(spaces))
	for _, s := range spaces {
		m.Spaces = append(m.Spaces, spaceToModel(s))
		keys = append(keys, types.StringValue(s.Key))
	}
	m.Found = types.ListValueMust(types.StringType, keys)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
