package confluencesim

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// maxBodyBytes bounds request bodies; real ones are a few hundred bytes.
const maxBodyBytes = 1 << 20

// getSpacePermissions serves GET /wiki/api/v2/spaces/{id}/permissions
// (contributing/confluence-api.md#reading-grants-v2): the grants in id order,
// cursor paged, numbered and named as the options choose
// (DistinctPermissionIDs, CloudAnonymous, RoleRowsInPermissionList).
//
// UNVERIFIED (contributing/confluence-api.md#reading-grants-v2): the spec
// entry documents no Link header; chose to send none, so that clients rely on
// _links.next as the documentation advises.
func (a *cloudAPI) getSpacePermissions(x *exchange) {
	id, ok := spaceIDParam(x)
	if !ok {
		return
	}
	q := x.r.URL.Query()
	limit, bad := parseLimit(q)
	if bad != nil {
		writeBadParam(x.w, bad)
		return
	}
	_, after, _, bad := decodeCursor(q)
	if bad != nil {
		writeBadParam(x.w, bad)
		return
	}
	view := permissionListView{distinctIDs: a.opts.distinctIDs, roleRows: a.opts.roleRows}
	grants, more, found := a.site.grantPage(x.caller, id, after, limit, view)
	if !found {
		writeV2Status(x.w, http.StatusNotFound)
		return
	}
	page := v2Page[v2Assignment]{Results: make([]v2Assignment, 0, len(grants)), Links: v2Links{Base: wikiBase(x.origin)}}
	for _, g := range grants {
		page.Results = append(page.Results, toV2Assignment(g, a.opts.anonymous))
	}
	if more {
		last := strconv.FormatInt(grants[len(grants)-1].ID, 10)
		path := cloudV2 + "/spaces/" + strconv.FormatInt(id, 10) + "/permissions"
		page.Links.Next = nextLink(path, encodeCursor(cursorPosition{ID: last}), limit, nil)
	}
	writeJSON(x.w, http.StatusOK, page)
}

// addPermission serves POST /wiki/rest/api/space/{spaceKey}/permission
// (contributing/confluence-api.md#permission-writes-v1): one subject, one
// operation; 200 with SpacePermissionV2.
func (a *cloudAPI) addPermission(x *exchange) {
	var body v1PermissionRequest
	dec := json.NewDecoder(http.MaxBytesReader(x.w, x.r.Body, maxBodyBytes))
	if err := dec.Decode(&body); err != nil {
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// the text of Confluence's answer to an unreadable body is not known;
		// chose a BadRequestException naming it.
		writeV1Error(x.w, http.StatusBadRequest, badRequestException, "Could not read the permission in the request body: "+err.Error())
		return
	}
	if body.Subject == nil || body.Operation == nil {
		writeV1Error(x.w, http.StatusBadRequest, badRequestException, "The request body needs a subject and an operation.")
		return
	}
	p, ok := a.subjectPrincipal(x, *body.Subject)
	if !ok {
		return
	}
	op := permissions.Operation{Key: body.Operation.Key, Target: body.Operation.Target}
	g, err := a.site.addGrant(x.caller, x.param("spaceKey"), permissions.Grant{Principal: p, Operation: op})
	if err != nil {
		writeRuleError(x.w, err)
		return
	}
	writeJSON(x.w, http.StatusOK, v1Permission{
		ID:        g.ID,
		Subject:   toV1Subject(g.Principal),
		Operation: v1Operation{Key: g.Operation.Key, Target: g.Operation.Target},
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// chose base and context, as other v1 bodies carry them.
		Links: map[string]string{"base": wikiBase(x.origin), "context": "/wiki"},
	})
}

// subjectPrincipal reads a PermissionSubject: a user's accountId or
// "anonymous", or a group's id
// (contributing/confluence-api.md#permission-writes-v1). The operation
// description also allows a group name, which is resolved to the group's id.
//
// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1): chose to
// answer a group given by name with its groupId in the response subject.
func (a *cloudAPI) subjectPrincipal(x *exchange, s v1Subject) (permissions.Principal, bool) {
	switch {
	case s.Identifier == "":
		writeV1Error(x.w, http.StatusBadRequest, badRequestException, "The subject needs an identifier.")
	case s.Type == string(permissions.User) && s.Identifier == anonymousIdentifier:
		return permissions.AnonymousPrincipal, true
	case s.Type == string(permissions.User):
		return permissions.Principal{Type: permissions.User, ID: s.Identifier}, true
	case s.Type == string(permissions.Group):
		return permissions.Principal{Type: permissions.Group, ID: a.site.groupIDFor(s.Identifier)}, true
	default:
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// PermissionSubject.type is user or group; chose a 400 for anything
		// else.
		writeV1Error(x.w, http.StatusBadRequest, badRequestException, "Subject type must be user or group, got "+strconv.Quote(s.Type))
	}
	return permissions.Principal{}, false
}

// removePermission serves DELETE
// /wiki/rest/api/space/{spaceKey}/permission/{id}
// (contributing/confluence-api.md#removing-a-grant-v1): 204, with the Cloud
// cascade when read/space goes.
func (a *cloudAPI) removePermission(x *exchange) {
	id, err := strconv.ParseInt(x.param("id"), 10, 64)
	if err != nil {
		// UNVERIFIED (contributing/confluence-api.md#removing-a-grant-v1):
		// chose 404, which is what JAX-RS answers when a path parameter does
		// not convert to its Java type.
		writeV1Error(x.w, http.StatusNotFound, notFoundException, "No space permission with id : "+x.param("id"))
		return
	}
	if _, err := a.site.removeGrant(x.caller, x.param("spaceKey"), id); err != nil {
		writeRuleError(x.w, err)
		return
	}
	x.w.WriteHeader(http.StatusNoContent)
}
