package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// Space roles are assigned to users, groups and access classes, a different
// set of principals from legacy grants (which know anonymous, and no access
// classes), so role resources have their own principal object. Types are
// written in lower case like the legacy ones: user, group, access_class.

// rolePrincipalModel is `principal = { type, id }` of role resources.
type rolePrincipalModel struct {
	Type types.String `tfsdk:"type"`
	ID   types.String `tfsdk:"id"`
}

const rolePrincipalDescription = "Who holds the role. `type` is `user`, `group` or `access_class`. " +
	"`id` is the user's accountId, the group's groupId (group names can change, ids cannot), or for an access class one of " +
	"`anonymous-users`, `jsm-project-admins`, `authenticated-users`, `all-licensed-users`, `all-product-admins`."

func rolePrincipalTypeNames() []string {
	names := make([]string, len(confluence.RolePrincipalTypes))
	for i, t := range confluence.RolePrincipalTypes {
		names[i] = strings.ToLower(string(t))
	}
	return names
}

func rolePrincipalAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"type": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "`user`, `group` or `access_class`.",
			Validators:          []validator.String{stringvalidator.OneOf(rolePrincipalTypeNames()...)},
		},
		"id": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "The accountId, the groupId, or the access class.",
		},
	}
}

// toDomain converts a known principal object, checking that an access
// class is one Confluence knows.
func (m rolePrincipalModel) toDomain() (confluence.RolePrincipal, error) {
	p := confluence.RolePrincipal{Type: confluence.RolePrincipalType(strings.ToUpper(m.Type.ValueString())), ID: m.ID.ValueString()}
	return p, confluence.ValidateRolePrincipal(p)
}

func rolePrincipalFromDomain(p confluence.RolePrincipal) rolePrincipalModel {
	return rolePrincipalModel{Type: types.StringValue(strings.ToLower(string(p.Type))), ID: types.StringValue(p.ID)}
}

// roleAssignmentID is the id and import id SPACEKEY/TYPE/ID of one
// principal's role in one space, type in lower case.
type roleAssignmentID struct {
	SpaceKey  string
	Principal confluence.RolePrincipal
}

func (id roleAssignmentID) String() string {
	return id.SpaceKey + "/" + strings.ToLower(string(id.Principal.Type)) + "/" + id.Principal.ID
}

const roleAssignmentIDFormat = "SPACEKEY/TYPE/ID, TYPE being user, group or access_class " +
	"(for example DOCS/group/8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f or DOCS/access_class/anonymous-users)"

func parseRoleAssignmentID(s string) (roleAssignmentID, error) {
	parts := strings.SplitN(s, "/", 3)
	if len(parts) != 3 || parts[0] == "" || strings.ContainsAny(parts[0], " \t") {
		return roleAssignmentID{}, fmt.Errorf("import id %q is not of the form %s", s, roleAssignmentIDFormat)
	}
	if !slices.Contains(rolePrincipalTypeNames(), parts[1]) {
		return roleAssignmentID{}, fmt.Errorf("import id %q: principal type %q is not user, group or access_class; expected %s", s, parts[1], roleAssignmentIDFormat)
	}
	p, err := rolePrincipalModel{Type: types.StringValue(parts[1]), ID: types.StringValue(parts[2])}.toDomain()
	if err != nil {
		return roleAssignmentID{}, fmt.Errorf("import id %q: %w", s, err)
	}
	return roleAssignmentID{SpaceKey: parts[0], Principal: p}, nil
}
