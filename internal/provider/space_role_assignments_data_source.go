package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*spaceRoleAssignmentsDataSource)(nil)

func newSpaceRoleAssignmentsDataSource() datasource.DataSource {
	return &spaceRoleAssignmentsDataSource{}
}

// spaceRoleAssignmentsDataSource reads the role assignments of a space in
// the shape confluence_space_role_assignments takes, so that a space's
// roles can be copied to another.
type spaceRoleAssignmentsDataSource struct {
	dataSourceBase
}

type spaceRoleAssignmentsDataModel struct {
	SpaceKey    types.String          `tfsdk:"space_key"`
	Assignments types.Map             `tfsdk:"assignments"`
	Unmanaged   []unmanagedAssignment `tfsdk:"unmanaged"`
}

type unmanagedAssignment struct {
	PrincipalType types.String `tfsdk:"principal_type"`
	PrincipalID   types.String `tfsdk:"principal_id"`
	RoleID        types.String `tfsdk:"role_id"`
	RoleName      types.String `tfsdk:"role_name"`
}

func (d *spaceRoleAssignmentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_role_assignments"
}

func (d *spaceRoleAssignmentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The space role assignments of one space, on Confluence Cloud sites with space roles, in the shape " +
			"`confluence_space_role_assignments` takes: feed `assignments` to that resource to give another space the same roles.",
		Attributes: map[string]schema.Attribute{
			"space_key": schema.StringAttribute{Required: true, MarkdownDescription: spaceKeyDescription, Validators: []validator.String{spaceKeyValidator{}}},
			"assignments": schema.MapAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Each principal's role, by role name: " + roleAssignmentsKeyDescription,
			},
			"unmanaged": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "Assignments of principals the provider cannot manage (a principal type Confluence added, such as an app), " +
					"listed so that nothing is hidden; `confluence_space_role_assignments` leaves them alone.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"principal_type": schema.StringAttribute{Computed: true, MarkdownDescription: "The principal type, as Confluence names it."},
					"principal_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The principal's id."},
					"role_id":        schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the role."},
					"role_name":      schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the role, when the site lists it."},
				}},
			},
		},
	}
}

func (d *spaceRoleAssignmentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m spaceRoleAssignmentsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	roles, ok := spaceRoles(ctx, d.client, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	spaceKey := m.SpaceKey.ValueString()
	held, err := roles.SpaceAssignments(ctx, spaceKey)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the role assignments of space "+spaceKey, err.Error())
		return
	}
	m.Assignments = assignmentsValue(ctx, roles, held, nil)
	m.Unmanaged = []unmanagedAssignment{}
	for _, a := range held {
		if a.Principal.Type.Managed() {
			continue
		}
		entry := unmanagedAssignment{
			PrincipalType: types.StringValue(string(a.Principal.Type)),
			PrincipalID:   types.StringValue(a.Principal.ID),
			RoleID:        types.StringValue(a.RoleID),
			RoleName:      types.StringNull(),
		}
		if role, err := roles.ByID(ctx, a.RoleID); err == nil {
			entry.RoleName = types.StringValue(role.Name)
		}
		m.Unmanaged = append(m.Unmanaged, entry)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
