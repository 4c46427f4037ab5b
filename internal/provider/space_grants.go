package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The grants of a space are written as a set of `{ principal, operations }`
// objects, in the resource confluence_space_permissions and in the data
// source of the same name, so that one can be fed into the other.

type grantsEntryModel struct {
	Principal  principalModel `tfsdk:"principal"`
	Operations types.Set      `tfsdk:"operations"`
}

var principalObjectType = types.ObjectType{AttrTypes: principalAttrTypes}

var grantsEntryType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"principal":  principalObjectType,
	"operations": types.SetType{ElemType: types.StringType},
}}

// grantsValue renders per-principal operations, principals as configured.
func grantsValue(ctx context.Context, grants permissions.Grants) (types.Set, diag.Diagnostics) {
	entries := make([]grantsEntryModel, 0, len(grants))
	for _, p := range grants.Principals() {
		entries = append(entries, grantsEntryModel{Principal: principalFromDomain(p), Operations: operationSetValue(grants[p])})
	}
	return types.SetValueFrom(ctx, grantsEntryType, entries)
}

// desiredGrants reads a known grants set as configured principals. It
// reports the same principal in two entries, naming it and the space.
func desiredGrants(ctx context.Context, v types.Set, spaceKey string) (permissions.Grants, diag.Diagnostics) {
	var entries []grantsEntryModel
	diags := v.ElementsAs(ctx, &entries, false)
	if diags.HasError() {
		return nil, diags
	}
	out := permissions.Grants{}
	for _, e := range entries {
		where := describeGrantTarget(types.StringValue(spaceKey), e.Principal.Type, e.Principal.ID)
		p, d := e.Principal.toDomain(where)
		diags.Append(d...)
		if d.HasError() {
			continue
		}
		if _, dup := out[p]; dup {
			diags.AddAttributeError(path.Root("grants"), "Principal listed twice",
				fmt.Sprintf("%s appears in two grants entries: merge their operations into one entry.", where))
			continue
		}
		ops, d := operationSetFromValue(ctx, e.Operations, where, path.Root("grants"))
		diags.Append(d...)
		out[p] = ops
	}
	return out, diags
}

// spaceGrants reads the grants of a space with principals as configuration
// writes them, split into those the provider manages and the others
// (Cloud "role" rows). found is false when the space does not exist.
func spaceGrants(ctx context.Context, c *confluence.Client, spaceKey string) (managed, unmanaged permissions.Grants, found bool, err error) {
	grants, err := c.Grants(ctx, spaceKey)
	if confluence.IsNotFound(err) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	managed, unmanaged = permissions.Grants{}, permissions.Grants{}
	for p, ops := range confluence.GroupGrants(grants) {
		if !p.Type.Managed() {
			unmanaged[p] = ops
			continue
		}
		configured, err := c.ConfiguredPrincipal(ctx, p)
		if confluence.IsNotFound(err) {
			configured = p // a deleted user's grants remain, under the key
		} else if err != nil {
			return nil, nil, false, err
		}
		managed[configured] = ops
	}
	return managed, unmanaged, true, nil
}
