package confluencesim

import (
	"net/http"
	"strconv"
)

// getRoleAssignments serves GET /wiki/api/v2/spaces/{id}/role-assignments
// (contributing/confluence-api.md#space-roles): the space's assignments,
// filtered by role-id, role-type and principal, cursor paged in the order they
// were made.
func (a *cloudAPI) getRoleAssignments(x *exchange) {
	id, ok := spaceIDParam(x)
	if !ok {
		return
	}
	q := x.r.URL.Query()
	p, bad := parsePageQuery(q)
	f := assignmentFilter{roleID: q.Get("role-id")}
	if bad == nil {
		f.roleType, bad = roleTypeFilter(q)
	}
	if bad == nil {
		f.principal, bad = rolePrincipalFilter(q)
	}
	if bad != nil {
		writeBadParam(x.w, bad)
		return
	}
	assignments, resumeAfter, err := a.site.roleAssignmentPage(x.caller, id, f, p.after, p.limit)
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	results := make([]v2RoleAssignment, len(assignments))
	for i, ra := range assignments {
		results[i] = toV2RoleAssignment(ra)
	}
	writeSeqPage(x, cloudV2+"/spaces/"+strconv.FormatInt(id, 10)+"/role-assignments", results, p, resumeAfter)
}

// setRoleAssignments serves POST /wiki/api/v2/spaces/{id}/role-assignments
// (contributing/confluence-api.md#space-roles): a JSON array of {principal,
// roleId?}; an entry without roleId removes the principal's assignment. 200
// with the assignments the named principals now hold, only if every entry was
// applied.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): what the 200 body
// lists is not documented; chose the assignments of the principals named,
// without those removed.
func (a *cloudAPI) setRoleAssignments(x *exchange) {
	id, ok := spaceIDParam(x)
	if !ok {
		return
	}
	var entries []v2RoleAssignmentEntry
	if !decodeRoleBody(x, &entries) {
		return
	}
	changes := make([]assignmentChange, len(entries))
	for i, e := range entries {
		if e.Principal == nil || e.Principal.PrincipalType == "" || e.Principal.PrincipalID == "" {
			writeRoleError(x.w, roleErrorf(RuleInvalidAssignment, "Entry %d needs a principal with a principalType and a principalId.", i))
			return
		}
		changes[i].Principal = RolePrincipal{Type: e.Principal.PrincipalType, ID: e.Principal.PrincipalID}
		if e.RoleID != nil {
			// An empty roleId names no role; only an absent one removes.
			changes[i].RoleID = *e.RoleID
			if *e.RoleID == "" {
				writeRoleError(x.w, roleErrorf(RuleInvalidAssignment, "Entry %d has an empty roleId; leave roleId out to remove the assignment.", i))
				return
			}
		}
	}
	set, err := a.site.setRoleAssignments(x.caller, id, changes)
	if err != nil {
		writeRoleError(x.w, err)
		return
	}
	page := v2Page[v2RoleAssignment]{Results: make([]v2RoleAssignment, len(set)), Links: v2Links{Base: wikiBase(x.origin)}}
	for i, ra := range set {
		page.Results[i] = toV2RoleAssignment(ra)
	}
	writeJSON(x.w, http.StatusOK, page)
}
