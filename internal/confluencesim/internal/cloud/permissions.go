package cloud

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// getSpacePermissions serves GET /wiki/api/v2/spaces/{id}/permissions
// (contributing/confluence-api.md#reading-grants-v2): the grants in id order,
// cursor paged, numbered and named as the options choose
// (Config.View, Config.Anonymous).
//
// UNVERIFIED (contributing/confluence-api.md#reading-grants-v2): the spec
// entry documents no Link header; chose to send none, so that clients rely on
// _links.next as the documentation advises.
func (a *API) getSpacePermissions(x *route.Exchange) {
	id, p, ok := spaceListParams(x)
	if !ok {
		return
	}
	grants, more, found := a.store.GrantPage(x.Caller, id, p.after, p.limit, a.cfg.View)
	if !found {
		writeV2Status(x.W, http.StatusNotFound)
		return
	}
	page := V2Page[V2Assignment]{Results: make([]V2Assignment, 0, len(grants)), Links: V2Links{Base: wikiBase(x.Origin)}}
	for _, g := range grants {
		page.Results = append(page.Results, toV2Assignment(g, a.cfg.Anonymous))
	}
	if more {
		last := strconv.FormatInt(grants[len(grants)-1].ID, 10)
		path := v2Prefix + "/spaces/" + strconv.FormatInt(id, 10) + "/permissions"
		page.Links.Next = nextLink(path, EncodeCursor(CursorPosition{ID: last}), p.limit, nil)
	}
	route.WriteJSON(x.W, http.StatusOK, page)
}

// addPermission serves POST /wiki/rest/api/space/{spaceKey}/permission
// (contributing/confluence-api.md#permission-writes-v1): one subject, one
// operation; 200 with SpacePermissionV2.
func (a *API) addPermission(x *route.Exchange) {
	var body V1PermissionRequest
	dec := json.NewDecoder(http.MaxBytesReader(x.W, x.R.Body, route.MaxBodyBytes))
	if err := dec.Decode(&body); err != nil {
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// the text of Confluence's answer to an unreadable body is not known;
		// chose a BadRequestException naming it.
		writeV1Error(x.W, http.StatusBadRequest, badRequestException, "Could not read the permission in the request body: "+err.Error())
		return
	}
	if body.Subject == nil || body.Operation == nil {
		writeV1Error(x.W, http.StatusBadRequest, badRequestException, "The request body needs a subject and an operation.")
		return
	}
	p, ok := a.subjectPrincipal(x, *body.Subject)
	if !ok {
		return
	}
	op := permissions.Operation{Key: body.Operation.Key, Target: body.Operation.Target}
	g, err := a.store.AddGrant(x.Caller, x.Param("spaceKey"), permissions.Grant{Principal: p, Operation: op})
	if err != nil {
		writeRuleError(x.W, err)
		return
	}
	route.WriteJSON(x.W, http.StatusOK, V1Permission{
		ID:        g.ID,
		Subject:   toV1Subject(g.Principal),
		Operation: V1Operation{Key: g.Operation.Key, Target: g.Operation.Target},
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// chose base and context, as other v1 bodies carry them.
		Links: map[string]string{"base": wikiBase(x.Origin), "context": "/wiki"},
	})
}

// subjectPrincipal reads a PermissionSubject: a user's accountId or
// "anonymous", or a group's id
// (contributing/confluence-api.md#permission-writes-v1). The operation
// description also allows a group name, which is resolved to the group's id.
//
// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1): chose to
// answer a group given by name with its groupId in the response subject.
func (a *API) subjectPrincipal(x *route.Exchange, s V1Subject) (permissions.Principal, bool) {
	switch {
	case s.Identifier == "":
		writeV1Error(x.W, http.StatusBadRequest, badRequestException, "The subject needs an identifier.")
	case s.Type == string(permissions.User) && s.Identifier == state.AnonymousIdentifier:
		return permissions.AnonymousPrincipal, true
	case s.Type == string(permissions.User):
		return permissions.Principal{Type: permissions.User, ID: s.Identifier}, true
	case s.Type == string(permissions.Group):
		return permissions.Principal{Type: permissions.Group, ID: a.store.GroupIDFor(s.Identifier)}, true
	default:
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// PermissionSubject.type is user or group; chose a 400 for anything
		// else.
		writeV1Error(x.W, http.StatusBadRequest, badRequestException, "Subject type must be user or group, got "+strconv.Quote(s.Type))
	}
	return permissions.Principal{}, false
}

// removePermission serves DELETE
// /wiki/rest/api/space/{spaceKey}/permission/{id}
// (contributing/confluence-api.md#removing-a-grant-v1): 204, with the Cloud
// cascade when read/space goes.
func (a *API) removePermission(x *route.Exchange) {
	id, err := strconv.ParseInt(x.Param("id"), 10, 64)
	if err != nil {
		// UNVERIFIED (contributing/confluence-api.md#removing-a-grant-v1):
		// chose 404, which is what JAX-RS answers when a path parameter does
		// not convert to its Java type.
		writeV1Error(x.W, http.StatusNotFound, notFoundException, "No space permission with id : "+x.Param("id"))
		return
	}
	if _, err := a.store.RemoveGrant(x.Caller, x.Param("spaceKey"), id); err != nil {
		writeRuleError(x.W, err)
		return
	}
	x.W.WriteHeader(http.StatusNoContent)
}
