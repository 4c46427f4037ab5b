// Package drift reads the JSON of a saved Terraform or OpenTofu plan
// (`terraform show -json plan.out`) and tells, for the resources of this
// provider, who gains or loses which permission in which space, and why:
// a change made outside Terraform that the apply undoes, or a change the
// configuration asks for.
//
// A plan holds three versions of each resource: the state of the last apply
// (resource_drift's before), the state refreshed from Confluence
// (resource_changes' before, or resource_drift's after) and the planned
// state (resource_changes' after). A grant that differs between the first
// two was changed outside Terraform; one that differs only between the last
// two is a configuration change. Comparing grant by grant, not resource by
// resource, keeps the two apart when one resource has both.
//
// The package does no I/O: principals' names come from the plan's data
// sources here and from Confluence in internal/drift/names, and reports are
// printed by internal/drift/render.
package drift
