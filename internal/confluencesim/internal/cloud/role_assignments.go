package cloud

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// getRoleAssignments serves GET /wiki/api/v2/spaces/{id}/role-assignments
// (contributing/confluence-api.md#space-roles): the space's assignments,
// filtered by role-id, role-type and principal, cursor paged in the order they
// were made.
func (a *API) getRoleAssignments(x *route.Exchange) {
	id, p, ok := spaceListParams(x)
	if !ok {
		return
	}
	q := x.R.URL.Query()
	f := state.AssignmentFilter{RoleID: q.Get("role-id")}
	var bad *badParam
	f.RoleType, bad = roleTypeFilter(q)
	if bad == nil {
		f.Principal, bad = rolePrincipalFilter(q)
	}
	if bad != nil {
		writeBadParam(x.W, bad)
		return
	}
	assignments, resumeAfter, err := a.store.RoleAssignmentPage(x.Caller, id, f, p.after, p.limit)
	if err != nil {
		writeRoleError(x.W, err)
		return
	}
	results := make([]V2RoleAssignment, len(assignments))
	for i, ra := range assignments {
		results[i] = toV2RoleAssignment(ra)
	}
	writeSeqPage(x, v2Prefix+"/spaces/"+strconv.FormatInt(id, 10)+"/role-assignments", results, p, resumeAfter)
}

// setRoleAssignments serves POST /wiki/api/v2/spaces/{id}/role-assignments
// (contributing/confluence-api.md#space-roles): a JSON array of {principal,
// roleId?}; an entry without roleId removes the principal's assignment. 200
// with the assignments the named principals now hold, only if every entry was
// applied; what a refused request leaves applied is the site's choice (see
// state.Store.SetRoleAssignments). A body over 5 MB answers 413.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): what the 200 body
// lists is not documented; chose the assignments of the principals named,
// without those removed.
func (a *API) setRoleAssignments(x *route.Exchange) {
	id, ok := spaceIDParam(x)
	if !ok {
		return
	}
	var entries []V2RoleAssignmentEntry
	if !decodeRoleBody(x, &entries) {
		return
	}
	changes := make([]state.AssignmentChange, len(entries))
	for i, e := range entries {
		if e.Principal == nil || e.Principal.PrincipalType == "" || e.Principal.PrincipalID == "" {
			writeRoleError(x.W, state.RoleErrorf(state.RuleInvalidAssignment, "Entry %d needs a principal with a principalType and a principalId.", i))
			return
		}
		changes[i].Principal = state.RolePrincipal{Type: e.Principal.PrincipalType, ID: e.Principal.PrincipalID}
		if e.RoleID != nil {
			// An empty roleId names no role; only an absent one removes.
			changes[i].RoleID = *e.RoleID
			if *e.RoleID == "" {
				writeRoleError(x.W, state.RoleErrorf(state.RuleInvalidAssignment, "Entry %d has an empty roleId; leave roleId out to remove the assignment.", i))
				return
			}
		}
	}
	set, err := a.store.SetRoleAssignments(x.Caller, id, changes)
	var re *state.RoleError
	switch {
	case errors.As(err, &re) && re.Rule == state.RuleGrantWhatYouHave:
		// The operation's refusal of a caller who "does not have permission
		// to set roles in the space" is 404; Config.GrantRefusalStatus may
		// make it 403 (contributing/confluence-api.md#role-assignment-requests-that-fail).
		writeV2Error(x.W, a.cfg.GrantRefusalStatus, v2Code(a.cfg.GrantRefusalStatus), http.StatusText(a.cfg.GrantRefusalStatus), re.Detail)
		return
	case err != nil:
		writeRoleError(x.W, err)
		return
	}
	page := V2Page[V2RoleAssignment]{Results: make([]V2RoleAssignment, len(set)), Links: V2Links{Base: wikiBase(x.Origin)}}
	for i, ra := range set {
		page.Results[i] = toV2RoleAssignment(ra)
	}
	route.WriteJSON(x.W, http.StatusOK, page)
}
