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

// operationSetFromValue reads a known set of "key/target" strings.
func operationSetFromValue(ctx context.Context, v types.Set, where string, at path.Path) (permissions.OperationSet, diag.Diagnostics) {
	var names []string
	diags := v.ElementsAs(ctx, &names, false)
	set := permissions.OperationSet{}
	for _, name := range names {
		op, err := permissions.ParseOperation(name)
		if err != nil {
			diags.AddAttributeError(at, "Invalid operation", fmt.Sprintf("%s: %s.", where, err))
			continue
		}
		set[op] = struct{}{}
	}
	return set, diags
}

// operationSetValue renders operations as a Terraform set in table order.
func operationSetValue(ops permissions.OperationSet) types.Set {
	return stringSetValue(ops.Strings())
}

// validateOperationSet checks one principal's desired operations without
// Confluence: shape, existence on some deployment (or on d when known),
// read/space included, no anonymous admin, not empty.
func validateOperationSet(ctx context.Context, v types.Set, p permissions.Principal, d permissions.Deployment, where string, at path.Path) diag.Diagnostics {
	if !known(v) {
		return nil
	}
	for _, e := range v.Elements() {
		if e.IsUnknown() {
			return nil
		}
	}
	ops, diags := operationSetFromValue(ctx, v, where, at)
	if diags.HasError() {
		return diags
	}
	if len(ops) == 0 {
		diags.AddAttributeError(at, "No operations",
			fmt.Sprintf("%s: operations is empty. List the permissions to grant (at least %q), or remove the block or resource to take them all away.", where, permissions.ReadSpace))
		return diags
	}
	if err := permissions.ValidateOperations(p, ops.Sorted(), d, where); err != nil {
		diags.AddAttributeError(at, "Invalid operations", err.Error()+".")
	}
	return diags
}

// stringSetValue renders strings as a Terraform set.
func stringSetValue(values []string) types.Set {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}

// stringListValue renders strings as a Terraform list, in order.
func stringListValue(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}
