package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// principalModel is the `principal = { type, id }` object shared by the
// permission resources.
type principalModel struct {
	Type types.String `tfsdk:"type"`
	ID   types.String `tfsdk:"id"`
}

const principalDescription = "Who holds the permission. `type` is `user`, `group` or `anonymous`. " +
	"`id` names the user or group the way the API does: on Cloud the user's accountId or the group's groupId " +
	"(group names can change on Cloud, ids cannot), on Data Center the username or the group name. Anonymous takes no `id`."

func principalTypeNames() []string {
	names := make([]string, len(permissions.ManagedPrincipalTypes))
	for i, t := range permissions.ManagedPrincipalTypes {
		names[i] = string(t)
	}
	return names
}

// principalAttributes are the nested attributes of a principal object.
func principalAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"type": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "`user`, `group` or `anonymous`.",
			Validators:          []validator.String{stringvalidator.OneOf(principalTypeNames()...)},
		},
		"id": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "The accountId or groupId (Cloud), or the username or group name (Data Center). " +
				"Required for users and groups, omitted for anonymous.",
		},
	}
}

// toDomain converts a known principal object. where names it in messages.
func (m principalModel) toDomain(where string) (permissions.Principal, diag.Diagnostics) {
	var diags diag.Diagnostics
	p := permissions.Principal{Type: permissions.PrincipalType(m.Type.ValueString()), ID: m.ID.ValueString()}
	if err := permissions.ValidatePrincipal(p); err != nil {
		diags.AddError("Invalid principal", fmt.Sprintf("%s: %s.", where, err))
	}
	return p, diags
}

func principalFromDomain(p permissions.Principal) principalModel {
	m := principalModel{Type: types.StringValue(string(p.Type)), ID: types.StringNull()}
	if p.ID != "" {
		m.ID = types.StringValue(p.ID)
	}
	return m
}
