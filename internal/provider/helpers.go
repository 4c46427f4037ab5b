package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// operationDescription documents an operation attribute; the table of
// operations is on the provider page.
const operationDescription = "A permission as `key/target` in Confluence Cloud's spelling, on Cloud and Data Center alike: " +
	"`read/space`, `administer/space`, `create/page`, ... (the [table of operations](../index.md#operations) lists them all). " +
	"An operation the configured deployment does not offer is refused at plan time."

// operationsTable is the vocabulary of operations, generated from the
// provider's own table so that the documentation cannot drift from it.
func operationsTable() string {
	var b strings.Builder
	b.WriteString("| operation | Confluence calls it | Cloud | Data Center |\n|---|---|---|---|\n")
	for _, info := range permissions.Operations() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", info.Operation, info.Label, yesNo(info.Cloud), yesNo(info.OnDataCenter()))
	}
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// known reports a value that is neither null nor unknown.
func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// describeGrantTarget names a principal in a space for messages, from
// possibly unknown configuration values.
func describeGrantTarget(space, typ, id types.String) string {
	who := "principal"
	switch {
	case typ.ValueString() == string(permissions.Anonymous):
		who = "anonymous"
	case known(typ) && known(id):
		who = typ.ValueString() + " " + id.ValueString()
	case known(typ):
		who = typ.ValueString()
	}
	if known(space) {
		return fmt.Sprintf("%s in space %s", who, space.ValueString())
	}
	return who
}

// addNotes turns what a write did beyond the obvious into warnings.
func addNotes(diags *diag.Diagnostics, o confluence.Outcome) {
	for _, n := range o.Notes {
		diags.AddWarning(n.Summary, n.Detail)
	}
}

var pathKey = path.Root("key")

// stateSetter is the part of tfsdk.State that writes.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// nullState discards what is written: Delete has no state to record.
type nullState struct{}

func (nullState) Set(context.Context, any) diag.Diagnostics { return nil }

// fullyKnown reports a value with no unknown part anywhere inside.
func fullyKnown(v attr.Value) bool {
	tv, err := v.ToTerraformValue(context.Background())
	return err == nil && tv.IsFullyKnown()
}
