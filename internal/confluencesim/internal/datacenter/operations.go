package datacenter

import (
	"slices"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// How Data Center's two APIs spell each space permission, written from
// Atlassian's documents rather than taken from the provider, so that a wrong
// entry in the provider's table (internal/permissions) shows up as a
// disagreement with the simulator instead of being served back to it. A test
// checks the two tables entry by entry, and that this one holds exactly the
// permissions the state offers on Data Center, in its order.
//
// Sources:
//   - REST: the targetType/operationKey pairs listed on every grant and
//     revoke operation of
//     https://developer.atlassian.com/server/confluence/rest/v1000/api-group-space-permissions
//     (contributing/confluence-api.md#operation-names-on-data-center);
//   - remote API: the space permission type names of the remote API,
//     matched to the REST pairs by meaning
//     (contributing/confluence-api.md#operation-names-on-data-center).

// spelling is one space permission as each API spells it.
type spelling struct {
	// op is the simulator's name of the permission (see the state's
	// operations).
	op permissions.Operation
	// rest is the 9.1+ REST pair.
	rest OperationDescription
	// rpcType is the remote API type name.
	rpcType string
}

// UNVERIFIED (contributing/confluence-api.md#operation-names-on-data-center):
// Atlassian publishes no table from remote API type to REST pair; the pairing
// below follows the meaning of the names
// (gustavebbers/terraform-provider-confluence-dc reports the same pairing
// against a live 9.2).
var spellings = []spelling{
	{op: permissions.Operation{Key: "read", Target: "space"}, rest: OperationDescription{TargetType: "space", OperationKey: "read"}, rpcType: "VIEWSPACE"},
	{op: permissions.Operation{Key: "administer", Target: "space"}, rest: OperationDescription{TargetType: "space", OperationKey: "administer"}, rpcType: "SETSPACEPERMISSIONS"},
	{op: permissions.Operation{Key: "export", Target: "space"}, rest: OperationDescription{TargetType: "space", OperationKey: "export"}, rpcType: "EXPORTSPACE"},
	{op: permissions.Operation{Key: "restrict_content", Target: "space"}, rest: OperationDescription{TargetType: "space", OperationKey: "restrict"}, rpcType: "SETPAGEPERMISSIONS"},
	{op: permissions.Operation{Key: "delete", Target: "space"}, rest: OperationDescription{TargetType: "space", OperationKey: "delete_own"}, rpcType: "REMOVEOWNCONTENT"},
	{op: permissions.Operation{Key: "create", Target: "page"}, rest: OperationDescription{TargetType: "page", OperationKey: "create"}, rpcType: "EDITSPACE"},
	{op: permissions.Operation{Key: "delete", Target: "page"}, rest: OperationDescription{TargetType: "page", OperationKey: "delete"}, rpcType: "REMOVEPAGE"},
	{op: permissions.Operation{Key: "create", Target: "blogpost"}, rest: OperationDescription{TargetType: "blogpost", OperationKey: "create"}, rpcType: "EDITBLOG"},
	{op: permissions.Operation{Key: "delete", Target: "blogpost"}, rest: OperationDescription{TargetType: "blogpost", OperationKey: "delete"}, rpcType: "REMOVEBLOG"},
	{op: permissions.Operation{Key: "create", Target: "comment"}, rest: OperationDescription{TargetType: "comment", OperationKey: "create"}, rpcType: "COMMENT"},
	{op: permissions.Operation{Key: "delete", Target: "comment"}, rest: OperationDescription{TargetType: "comment", OperationKey: "delete"}, rpcType: "REMOVECOMMENT"},
	{op: permissions.Operation{Key: "create", Target: "attachment"}, rest: OperationDescription{TargetType: "attachment", OperationKey: "create"}, rpcType: "CREATEATTACHMENT"},
	{op: permissions.Operation{Key: "delete", Target: "attachment"}, rest: OperationDescription{TargetType: "attachment", OperationKey: "delete"}, rpcType: "REMOVEATTACHMENT"},
	{op: permissions.Operation{Key: "delete_mail", Target: "space"}, rest: OperationDescription{TargetType: "space", OperationKey: "delete_mail"}, rpcType: "REMOVEMAIL"},
}

// exportPage is the legacy type that reads still show for View
// (contributing/confluence-api.md#operation-names-on-data-center).
const exportPage = "EXPORTPAGE"

// spellingOf finds how the APIs spell a permission; ok is false for one
// Data Center does not have.
func spellingOf(op permissions.Operation) (spelling, bool) {
	i := slices.IndexFunc(spellings, func(s spelling) bool { return s.op == op })
	if i < 0 {
		return spelling{}, false
	}
	return spellings[i], true
}

// pairOf is the REST pair of a permission every stored grant holds.
func pairOf(op permissions.Operation) OperationDescription {
	s, _ := spellingOf(op) // every stored operation exists on Data Center
	return s.rest
}

// fromPair maps a REST pair to the permission's name.
func fromPair(pair OperationDescription) (permissions.Operation, bool) {
	for _, s := range spellings {
		if s.rest == pair {
			return s.op, true
		}
	}
	return permissions.Operation{}, false
}

// fromType maps a remote API type name to the permission's name.
func fromType(typ string) (permissions.Operation, bool) {
	for _, s := range spellings {
		if s.rpcType == typ {
			return s.op, true
		}
	}
	return permissions.Operation{}, false
}

// restName names an operation as the REST API spells it, or in the
// provider's spelling when Data Center has no such permission.
func restName(op permissions.Operation) string {
	if s, ok := spellingOf(op); ok {
		return s.rest.String()
	}
	return op.String()
}
