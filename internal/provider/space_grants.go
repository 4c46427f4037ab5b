package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The grants of a space are written as a map from principal to operations,
// keyed like Google IAM members: "user:ID", "group:ID", "anonymous". The
// resource confluence_space_permissions and the data source of the same
// name share the shape, so one can be fed into the other. (A map, not a set
// of objects: Terraform compares set elements pairwise, which made a plan
// of a 200-principal space take seconds of CPU.)

var grantsMapType = types.MapType{ElemType: types.SetType{ElemType: types.StringType}}

const grantsKeyDescription = "Keys name principals like Google IAM members: `user:ID` (accountId on Cloud, username on Data Center), " +
	"`group:ID` (groupId on Cloud, group name on Data Center) or `anonymous`."

// grantsValue renders per-principal operations, principals as configured.
func grantsValue(grants permissions.Grants) types.Map {
	elements := make(map[string]attr.Value, len(grants))
	for p, ops := range grants {
		elements[p.Key()] = operationSetValue(ops)
	}
	return types.MapValueMust(grantsMapType.ElemType, elements)
}

// desiredGrants reads a known grants map as configured principals.
func desiredGrants(ctx context.Context, v types.Map, spaceKey string) (permissions.Grants, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := permissions.Grants{}
	for key, value := range v.Elements() {
		at := path.Root("grants").AtMapKey(key)
		p, err := permissions.ParsePrincipalKey(key)
		if err != nil {
			diags.AddAttributeError(at, "Invalid principal", fmt.Sprintf("In space %s: %s.", spaceKey, err))
			continue
		}
		set, ok := value.(types.Set)
		if !ok {
			continue
		}
		ops, d := operationSetFromValue(ctx, set, describePrincipalIn(p, spaceKey), at)
		diags.Append(d...)
		out[p] = ops
	}
	return out, diags
}

func describePrincipalIn(p permissions.Principal, spaceKey string) string {
	return fmt.Sprintf("%s in space %s", p, spaceKey)
}
