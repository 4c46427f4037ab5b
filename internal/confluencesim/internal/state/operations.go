package state

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The simulator's own list of space permissions, written from Atlassian's
// documents rather than taken from the provider, so that a wrong entry in
// the provider's table (internal/permissions) shows up as a disagreement
// with the simulator instead of being served back to it. A test checks the
// two entry by entry; the Data Center flavour keeps how its APIs spell
// each permission (internal/confluencesim/internal/datacenter).
//
// Sources: for Cloud, the 14 valid key/target pairs listed in the
// description of the v1 SpacePermissionRequest schema
// (contributing/confluence-api.md#permission-writes-v1,
// https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-space-permissions/);
// for Data Center, the pairs its REST API lists, which the datacenter
// package keeps with their spellings
// (contributing/confluence-api.md#operation-names-on-data-center).

// operation is one space permission and the deployments that offer it.
type operation struct {
	// op names the permission in the simulator: the Cloud v1 key/target,
	// and for delete_mail, which Cloud lacks, the Data Center operation key
	// in the same form. Seeds and the Go API use these names.
	op         permissions.Operation
	cloud      bool
	dataCenter bool
}

func (o operation) offeredOn(d permissions.Deployment) bool {
	switch d {
	case permissions.Cloud:
		return o.cloud
	case permissions.DataCenter:
		return o.dataCenter
	}
	return d == "" // any deployment
}

// operations are in the order Confluence lists them, read/space first.
var operations = []operation{
	{op: permissions.Operation{Key: "read", Target: "space"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "administer", Target: "space"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "export", Target: "space"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "restrict_content", Target: "space"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "delete", Target: "space"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "create", Target: "page"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "delete", Target: "page"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "create", Target: "blogpost"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "delete", Target: "blogpost"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "create", Target: "comment"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "delete", Target: "comment"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "create", Target: "attachment"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "delete", Target: "attachment"}, cloud: true, dataCenter: true},
	{op: permissions.Operation{Key: "archive", Target: "page"}, cloud: true},
	{op: permissions.Operation{Key: "delete_mail", Target: "space"}, dataCenter: true},
}

func lookupOperation(op permissions.Operation) (operation, bool) {
	i := slices.IndexFunc(operations, func(o operation) bool { return o.op == op })
	if i < 0 {
		return operation{}, false
	}
	return operations[i], true
}

// OfferedOn reports whether op is a space permission of the deployment
// (of any deployment when d is "").
func OfferedOn(op permissions.Operation, d permissions.Deployment) bool {
	o, ok := lookupOperation(op)
	return ok && o.offeredOn(d)
}

// Operations lists the space permissions of a deployment (of any when d is
// ""), read/space first.
func Operations(d permissions.Deployment) []permissions.Operation {
	var out []permissions.Operation
	for _, o := range operations {
		if o.offeredOn(d) {
			out = append(out, o.op)
		}
	}
	return out
}

// operationRank is an operation's position in the list; unknown ones come
// last.
func operationRank(op permissions.Operation) int {
	if i := slices.IndexFunc(operations, func(o operation) bool { return o.op == op }); i >= 0 {
		return i
	}
	return len(operations)
}

// sortOperations orders operations as the list does, read/space first,
// which is the order Confluence needs grants in.
func sortOperations(ops []permissions.Operation) {
	sort.SliceStable(ops, func(i, j int) bool {
		ri, rj := operationRank(ops[i]), operationRank(ops[j])
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
	for _, op := range Operations(d) {
		names = append(names, op.String())
	}
	return strings.Join(names, ", ")
}

// checkOperation explains why op is not a space permission of the
// deployment; nil when it is one.
func checkOperation(op permissions.Operation, d permissions.Deployment) error {
	o, ok := lookupOperation(op)
	switch {
	case !ok:
		return fmt.Errorf("operation %q is not a Confluence space permission; valid operations are: %s", op, operationNames(d))
	case !o.offeredOn(d):
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
