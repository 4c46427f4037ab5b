package confluencesim

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The simulator's own table of space permissions, written from Atlassian's
// documents rather than taken from the provider, so that a wrong entry in
// the provider's table (internal/permissions) shows up as a disagreement
// with the simulator instead of being served back to it. A test checks the
// two tables entry by entry.
//
// Sources:
//   - Cloud: the 14 valid key/target pairs listed in the description of the v1
//     SpacePermissionRequest schema
//     (contributing/confluence-api.md#permission-writes-v1,
//     https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-space-permissions/);
//   - Data Center REST: the targetType/operationKey pairs listed on every
//     grant and revoke operation of
//     https://developer.atlassian.com/server/confluence/rest/v1000/api-group-space-permissions
//     (contributing/confluence-api.md#operation-names-on-data-center);
//   - Data Center remote API: the space permission type names of the remote
//     API, matched to the REST pairs by meaning
//     (contributing/confluence-api.md#operation-names-on-data-center).

// spacePermission is one space permission as each API spells it.
type spacePermission struct {
	// op names the permission in the simulator: the Cloud v1 key/target,
	// and for delete_mail, which Cloud lacks, the Data Center operation key
	// in the same form. Seeds and the Go API use these names.
	op permissions.Operation
	// cloud: Confluence Cloud offers it.
	cloud bool
	// dcREST is the Data Center 9.1+ REST pair; zero when Data Center has
	// no such permission.
	dcREST dcOperation
	// dcType is the Data Center remote API type name, "" when none.
	dcType string
}

func (p spacePermission) onDataCenter() bool { return p.dcType != "" }

func (p spacePermission) offeredOn(d permissions.Deployment) bool {
	switch d {
	case permissions.Cloud:
		return p.cloud
	case permissions.DataCenter:
		return p.onDataCenter()
	}
	return d == "" // any deployment
}

// UNVERIFIED (contributing/confluence-api.md#operation-names-on-data-center):
// Atlassian publishes no table from remote API type to REST pair; the pairing
// below follows the meaning of the names
// (gustavebbers/terraform-provider-confluence-dc reports the same pairing
// against a live 9.2).
var spacePermissionTable = []spacePermission{
	{op: permissions.Operation{Key: "read", Target: "space"}, cloud: true, dcREST: dcOperation{TargetType: "space", OperationKey: "read"}, dcType: "VIEWSPACE"},
	{op: permissions.Operation{Key: "administer", Target: "space"}, cloud: true, dcREST: dcOperation{TargetType: "space", OperationKey: "administer"}, dcType: "SETSPACEPERMISSIONS"},
	{op: permissions.Operation{Key: "export", Target: "space"}, cloud: true, dcREST: dcOperation{TargetType: "space", OperationKey: "export"}, dcType: "EXPORTSPACE"},
	{op: permissions.Operation{Key: "restrict_content", Target: "space"}, cloud: true, dcREST: dcOperation{TargetType: "space", OperationKey: "restrict"}, dcType: "SETPAGEPERMISSIONS"},
	{op: permissions.Operation{Key: "delete", Target: "space"}, cloud: true, dcREST: dcOperation{TargetType: "space", OperationKey: "delete_own"}, dcType: "REMOVEOWNCONTENT"},
	{op: permissions.Operation{Key: "create", Target: "page"}, cloud: true, dcREST: dcOperation{TargetType: "page", OperationKey: "create"}, dcType: "EDITSPACE"},
	{op: permissions.Operation{Key: "delete", Target: "page"}, cloud: true, dcREST: dcOperation{TargetType: "page", OperationKey: "delete"}, dcType: "REMOVEPAGE"},
	{op: permissions.Operation{Key: "create", Target: "blogpost"}, cloud: true, dcREST: dcOperation{TargetType: "blogpost", OperationKey: "create"}, dcType: "EDITBLOG"},
	{op: permissions.Operation{Key: "delete", Target: "blogpost"}, cloud: true, dcREST: dcOperation{TargetType: "blogpost", OperationKey: "delete"}, dcType: "REMOVEBLOG"},
	{op: permissions.Operation{Key: "create", Target: "comment"}, cloud: true, dcREST: dcOperation{TargetType: "comment", OperationKey: "create"}, dcType: "COMMENT"},
	{op: permissions.Operation{Key: "delete", Target: "comment"}, cloud: true, dcREST: dcOperation{TargetType: "comment", OperationKey: "delete"}, dcType: "REMOVECOMMENT"},
	{op: permissions.Operation{Key: "create", Target: "attachment"}, cloud: true, dcREST: dcOperation{TargetType: "attachment", OperationKey: "create"}, dcType: "CREATEATTACHMENT"},
	{op: permissions.Operation{Key: "delete", Target: "attachment"}, cloud: true, dcREST: dcOperation{TargetType: "attachment", OperationKey: "delete"}, dcType: "REMOVEATTACHMENT"},
	{op: permissions.Operation{Key: "archive", Target: "page"}, cloud: true},
	{op: permissions.Operation{Key: "delete_mail", Target: "space"}, dcREST: dcOperation{TargetType: "space", OperationKey: "delete_mail"}, dcType: "REMOVEMAIL"},
}

// lookupPermission finds a permission by its simulator name.
func lookupPermission(op permissions.Operation) (spacePermission, bool) {
	i := slices.IndexFunc(spacePermissionTable, func(p spacePermission) bool { return p.op == op })
	if i < 0 {
		return spacePermission{}, false
	}
	return spacePermissionTable[i], true
}

// offeredOn reports whether op is a space permission of the deployment
// (of any deployment when d is "").
func offeredOn(op permissions.Operation, d permissions.Deployment) bool {
	p, ok := lookupPermission(op)
	return ok && p.offeredOn(d)
}

// fromDCREST maps a Data Center REST pair to the permission's name.
func fromDCREST(pair dcOperation) (permissions.Operation, bool) {
	for _, p := range spacePermissionTable {
		if p.onDataCenter() && p.dcREST == pair {
			return p.op, true
		}
	}
	return permissions.Operation{}, false
}

// fromDCType maps a remote API type name to the permission's name.
func fromDCType(typ string) (permissions.Operation, bool) {
	for _, p := range spacePermissionTable {
		if p.dcType != "" && p.dcType == typ {
			return p.op, true
		}
	}
	return permissions.Operation{}, false
}

// permissionRank is an operation's position in the table; unknown ones
// come last.
func permissionRank(op permissions.Operation) int {
	if i := slices.IndexFunc(spacePermissionTable, func(p spacePermission) bool { return p.op == op }); i >= 0 {
		return i
	}
	return len(spacePermissionTable)
}

// sortOperations orders operations as the table does, read/space first,
// which is the order Confluence needs grants in.
func sortOperations(ops []permissions.Operation) {
	sort.SliceStable(ops, func(i, j int) bool {
		ri, rj := permissionRank(ops[i]), permissionRank(ops[j])
		if ri != rj {
			return ri < rj
		}
		return ops[i].String() < ops[j].String()
	})
}

// operationNames lists the permissions of a deployment (of any when d is
// ""), for messages.
func operationNames(d permissions.Deployment) string {
	var names []string
	for _, p := range spacePermissionTable {
		if p.offeredOn(d) {
			names = append(names, p.op.String())
		}
	}
	return strings.Join(names, ", ")
}

// checkOperation explains why op is not a space permission of the
// deployment; nil when it is one.
func checkOperation(op permissions.Operation, d permissions.Deployment) error {
	p, ok := lookupPermission(op)
	switch {
	case !ok:
		return fmt.Errorf("operation %q is not a Confluence space permission; valid operations are: %s", op, operationNames(d))
	case !p.offeredOn(d):
		return fmt.Errorf("operation %q does not exist on %s; valid operations there are: %s", op, d.Title(), operationNames(d))
	}
	return nil
}

// checkSeedOperations checks the operations a seed gives one principal:
// each exists on the deployment and is listed once, read/space is among
// them, and anonymous users do not administer.
func checkSeedOperations(p permissions.Principal, ops []permissions.Operation, d permissions.Deployment, where string) error {
	var problems []string
	seen := map[permissions.Operation]bool{}
	for _, op := range ops {
		if seen[op] {
			problems = append(problems, fmt.Sprintf("operation %q is listed twice", op))
			continue
		}
		seen[op] = true
		if err := checkOperation(op, d); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(seen) > 0 && !seen[permissions.ReadSpace] {
		problems = append(problems, fmt.Sprintf("operations must include %q: Confluence grants nothing else to a principal that cannot view the space", permissions.ReadSpace))
	}
	if p.Type == permissions.Anonymous && seen[permissions.AdministerSpace] {
		problems = append(problems, fmt.Sprintf("anonymous users cannot hold %q", permissions.AdministerSpace))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", where, strings.Join(problems, "; "))
}
