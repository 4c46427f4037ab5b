// Package permissions holds the pure domain model of Confluence space
// permissions: the operations a grant can carry on each deployment, the
// principals that can hold them, and the logic that decides which calls turn
// the current grants of a space into the desired ones, in which order.
//
// Nothing here performs I/O or knows about Terraform.
package permissions

import (
	"fmt"
	"sort"
	"strings"
)

// Deployment is the flavour of Confluence the provider talks to.
type Deployment string

const (
	Cloud      Deployment = "cloud"
	DataCenter Deployment = "datacenter"
)

// String returns the deployment name as users write it in configuration.
func (d Deployment) String() string { return string(d) }

// Title is the product name used in messages.
func (d Deployment) Title() string {
	switch d {
	case Cloud:
		return "Confluence Cloud"
	case DataCenter:
		return "Confluence Data Center"
	default:
		return "Confluence (" + string(d) + ")"
	}
}

// Operation is one space permission in the Cloud spelling "key/target"
// (for example read/space or create/page). The same spelling is the id of a
// permission in Cloud space roles, so it is the provider's single vocabulary.
type Operation struct {
	Key    string
	Target string
}

// ReadSpace is the View permission: Confluence refuses every other grant to a
// principal that lacks it.
var ReadSpace = Operation{Key: "read", Target: "space"}

// AdministerSpace is the space admin permission: a space must keep one.
var AdministerSpace = Operation{Key: "administer", Target: "space"}

func (o Operation) String() string { return o.Key + "/" + o.Target }

// ParseOperation parses "key/target". It checks the shape only; use
// ValidateOperation to check that the operation exists.
func ParseOperation(s string) (Operation, error) {
	key, target, ok := strings.Cut(s, "/")
	if !ok || key == "" || target == "" || strings.Contains(target, "/") {
		return Operation{}, fmt.Errorf("operation %q is not of the form key/target (for example read/space or create/page)", s)
	}
	return Operation{Key: key, Target: target}, nil
}

// OperationInfo describes one grantable space permission on every deployment.
type OperationInfo struct {
	Operation Operation
	// Label is the name Confluence shows for the checkbox.
	Label string
	// Cloud reports whether Confluence Cloud offers this permission.
	Cloud bool
	// DataCenterREST is the (operationKey, targetType) pair of the Data Center
	// 9.1+ REST API, zero when Data Center has no such permission.
	DataCenterREST Operation
	// DataCenterType is the legacy remote API type name (VIEWSPACE, ...).
	DataCenterType string
}

// OnDataCenter reports whether Data Center offers this permission.
func (i OperationInfo) OnDataCenter() bool { return i.DataCenterType != "" }

// Supports reports whether the deployment offers this permission.
func (i OperationInfo) Supports(d Deployment) bool {
	switch d {
	case Cloud:
		return i.Cloud
	case DataCenter:
		return i.OnDataCenter()
	}
	return false
}

// operations is the table of
// contributing/confluence-api.md#operation-names-on-data-center: the Cloud v1
// key/target pairs, the Data Center REST pairs and the remote API types.
var operations = []OperationInfo{
	{Operation{"read", "space"}, "View space", true, Operation{"read", "space"}, "VIEWSPACE"},
	{Operation{"administer", "space"}, "Space admin", true, Operation{"administer", "space"}, "SETSPACEPERMISSIONS"},
	{Operation{"export", "space"}, "Export space", true, Operation{"export", "space"}, "EXPORTSPACE"},
	{Operation{"restrict_content", "space"}, "Add/Delete restrictions", true, Operation{"restrict", "space"}, "SETPAGEPERMISSIONS"},
	{Operation{"delete", "space"}, "Delete own content", true, Operation{"delete_own", "space"}, "REMOVEOWNCONTENT"},
	{Operation{"create", "page"}, "Add pages", true, Operation{"create", "page"}, "EDITSPACE"},
	{Operation{"delete", "page"}, "Delete pages", true, Operation{"delete", "page"}, "REMOVEPAGE"},
	{Operation{"create", "blogpost"}, "Add blog posts", true, Operation{"create", "blogpost"}, "EDITBLOG"},
	{Operation{"delete", "blogpost"}, "Delete blog posts", true, Operation{"delete", "blogpost"}, "REMOVEBLOG"},
	{Operation{"create", "comment"}, "Add comments", true, Operation{"create", "comment"}, "COMMENT"},
	{Operation{"delete", "comment"}, "Delete comments", true, Operation{"delete", "comment"}, "REMOVECOMMENT"},
	{Operation{"create", "attachment"}, "Add attachments", true, Operation{"create", "attachment"}, "CREATEATTACHMENT"},
	{Operation{"delete", "attachment"}, "Delete attachments", true, Operation{"delete", "attachment"}, "REMOVEATTACHMENT"},
	{Operation{"archive", "page"}, "Archive pages", true, Operation{}, ""},
	{Operation{"delete_mail", "space"}, "Delete mail", false, Operation{"delete_mail", "space"}, "REMOVEMAIL"},
}

var byOperation = func() map[Operation]OperationInfo {
	m := make(map[Operation]OperationInfo, len(operations))
	for _, info := range operations {
		m[info.Operation] = info
	}
	return m
}()

// Operations returns every operation the provider knows, in table order.
func Operations() []OperationInfo {
	return append([]OperationInfo(nil), operations...)
}

// Lookup returns the table entry of an operation.
func Lookup(op Operation) (OperationInfo, bool) {
	info, ok := byOperation[op]
	return info, ok
}

// OperationNames lists the operations a deployment offers, as "key/target"
// strings; an empty deployment lists every operation of any deployment.
func OperationNames(d Deployment) []string {
	var names []string
	for _, info := range operations {
		if d == "" || info.Supports(d) {
			names = append(names, info.Operation.String())
		}
	}
	return names
}

// ValidateOperation checks that op is a permission Confluence offers on the
// deployment (any deployment when d is empty). The error names the operation,
// the deployment and the valid choices.
func ValidateOperation(op Operation, d Deployment) error {
	info, ok := byOperation[op]
	if !ok {
		return fmt.Errorf("operation %q is not a Confluence space permission; valid operations are: %s",
			op, strings.Join(OperationNames(d), ", "))
	}
	if d != "" && !info.Supports(d) {
		return fmt.Errorf("operation %q (%s) does not exist on %s; valid operations there are: %s",
			op, info.Label, d.Title(), strings.Join(OperationNames(d), ", "))
	}
	return nil
}

// FromDataCenterREST maps a Data Center REST (operationKey, targetType) pair
// to the provider's operation.
func FromDataCenterREST(rest Operation) (Operation, bool) {
	for _, info := range operations {
		if info.OnDataCenter() && info.DataCenterREST == rest {
			return info.Operation, true
		}
	}
	return Operation{}, false
}

// FromDataCenterType maps a legacy remote API type name to the operation.
func FromDataCenterType(typ string) (Operation, bool) {
	for _, info := range operations {
		if info.DataCenterType != "" && info.DataCenterType == typ {
			return info.Operation, true
		}
	}
	return Operation{}, false
}

// SortOperations orders operations as the table does (read/space first),
// which is also the order Confluence shows them in.
func SortOperations(ops []Operation) {
	rank := func(op Operation) int {
		for i, info := range operations {
			if info.Operation == op {
				return i
			}
		}
		return len(operations)
	}
	sort.SliceStable(ops, func(i, j int) bool {
		ri, rj := rank(ops[i]), rank(ops[j])
		if ri != rj {
			return ri < rj
		}
		return ops[i].String() < ops[j].String()
	})
}
