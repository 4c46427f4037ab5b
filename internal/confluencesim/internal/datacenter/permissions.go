package datacenter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The REST space permission resource of Data Center 9.1+
// (contributing/confluence-api.md#rest-space-permissions). Every handler
// checks, in this order: the body's shape (400), the space and the caller's
// right to manage it (404, then 403 or, on reads, 500), the subject (404), the
// operations (400), then the rules of the state (400).
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-statuses): the
// record lists the statuses, not their order; chose the order in which a
// JAX-RS resource meets them.

// subjectPath is one kind of subject in the resource's paths
// (contributing/confluence-api.md#rest-space-permissions).
type subjectPath struct {
	path string
	// resolve finds the subject a request names, answering 404 when it
	// does not exist.
	resolve func(a *API, x *route.Exchange) (permissions.Principal, bool)
}

var subjectPaths = []subjectPath{
	{"/user/{userKey}", (*API).userInPath},
	{"/group/{groupName}", (*API).groupInPath},
	{"/anonymous", func(*API, *route.Exchange) (permissions.Principal, bool) { return permissions.AnonymousPrincipal, true }},
}

func (a *API) userInPath(x *route.Exchange) (permissions.Principal, bool) {
	return a.userByKey(x, x.Param("userKey"))
}

func (a *API) groupInPath(x *route.Exchange) (permissions.Principal, bool) {
	return a.groupByName(x, x.Param("groupName"))
}

// getAllPermissions serves GET /rest/api/space/{spaceKey}/permissions: every
// grant of the space as a bare array of rows, in grant order
// (contributing/confluence-api.md#rest-space-permissions).
func (a *API) getAllPermissions(x *route.Exchange) {
	a.writePermissions(x, nil)
}

// getSubjectPermissions serves GET .../permissions/{user/{userKey} |
// group/{groupName} | anonymous}: the subject's rows.
//
// UNVERIFIED (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#anonymous-on-data-center): onyx says the
// anonymous read answers either rows or an {operations:[...]} envelope
// depending on the patch version; chose the rows of the whole-space read,
// filtered, for all three subjects.
func (a *API) getSubjectPermissions(s subjectPath) func(*route.Exchange) {
	return func(x *route.Exchange) {
		if err := a.store.Administered(x.Caller, x.Param("spaceKey")); err != nil {
			writeReadRefusal(x.W, err)
			return
		}
		if p, ok := s.resolve(a, x); ok {
			a.writePermissions(x, &p)
		}
	}
}

// writePermissions answers the rows of the space, only those of one
// principal when only is set.
func (a *API) writePermissions(x *route.Exchange, only *permissions.Principal) {
	sp, grants, err := a.store.AdministeredGrants(x.Caller, x.Param("spaceKey"))
	if err != nil {
		writeReadRefusal(x.W, err)
		return
	}
	rows := []PermissionRow{}
	for _, g := range grants {
		if only == nil || g.Principal == *only {
			rows = append(rows, toRow(sp, g))
		}
	}
	route.WriteJSON(x.W, http.StatusOK, rows)
}

// toRow renders a grant.
func toRow(sp state.Space, g state.NamedGrant) PermissionRow {
	subject := Subject{Type: string(g.Principal.Type)}
	switch g.Principal.Type {
	case permissions.User:
		subject.UserKey = g.UserKey
	case permissions.Group:
		subject.Name = g.GroupName
	}
	return PermissionRow{Operation: pairOf(g.Operation), Subject: subject, SpaceKey: sp.Key, SpaceID: sp.ID}
}

// writeReadRefusal answers a refused permission read. A caller who may view
// but not manage the space gets 500 instead of 403 (CONFSERVER-99908,
// contributing/confluence-api.md#data-center-error-statuses).
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-statuses): the
// quirk is reported for the whole-space and the anonymous reads; chose it for
// the user and group reads too, as they share the permission check.
func writeReadRefusal(w http.ResponseWriter, err error) {
	if state.IsRule(err, state.RuleNotSpaceAdmin) {
		writeError(w, http.StatusInternalServerError, "java.lang.IllegalStateException: could not read the space permissions")
		return
	}
	writeRefusal(w, err)
}

// grantPermissions serves PUT .../grant: additive and idempotent
// (contributing/confluence-api.md#rest-space-permissions).
func (a *API) grantPermissions(s subjectPath) func(*route.Exchange) {
	return a.changePermissions(s, a.store.GrantOps)
}

// revokePermissions serves PUT .../revoke: what the subject does not hold is
// skipped silently (contributing/confluence-api.md#rest-space-permissions).
func (a *API) revokePermissions(s subjectPath) func(*route.Exchange) {
	return a.changePermissions(s, a.store.RevokeOps)
}

type opsChange func(c *state.Caller, key string, p permissions.Principal, ops []permissions.Operation) ([]state.Grant, error)

// changePermissions serves a grant or revoke PUT, whose body is a bare array
// of pairs (contributing/confluence-api.md#rest-space-permissions).
// X-Atlassian-Token is accepted and not needed
// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
//
// UNVERIFIED (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#data-center-write-answers): both are
// documented as returning void; chose 204 No Content.
func (a *API) changePermissions(s subjectPath, change opsChange) func(*route.Exchange) {
	return func(x *route.Exchange) {
		var pairs []OperationDescription
		if !decodeDCBody(x, &pairs, operationMembers...) {
			return
		}
		key := x.Param("spaceKey")
		if err := a.store.Administered(x.Caller, key); err != nil {
			writeRefusal(x.W, err)
			return
		}
		p, ok := s.resolve(a, x)
		if !ok {
			return
		}
		ops, ok := operationsOf(x, pairs)
		if !ok {
			return
		}
		if _, err := change(x.Caller, key, p, ops); err != nil {
			writeRefusal(x.W, err)
			return
		}
		x.W.WriteHeader(http.StatusNoContent)
	}
}

// maxSubjectsPerSet: "Maximum 40 different users/groups/anonymous user could
// be passed in the request"
// (contributing/confluence-api.md#rest-space-permissions).
const maxSubjectsPerSet = 40

// setPermissions serves POST /rest/api/space/{spaceKey}/permissions: each
// subject named gets exactly the operations listed, subjects not named keep
// theirs, and an entry with neither userKey nor groupName is the anonymous
// user (contributing/confluence-api.md#rest-space-permissions). All or
// nothing: a refused entry changes nothing.
//
// UNVERIFIED (contributing/confluence-api.md#rest-space-permissions): chose
// 400 for an entry with both userKey and groupName, one without operations (an
// empty list revokes everything; a missing one is a mistake) and a subject
// named twice, which would make "all permissions the subject will have"
// ambiguous.
//
// UNVERIFIED (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#data-center-write-answers): the success is
// "Space permissions successfully set" with an untyped body; chose 200 with an
// empty body, so that clients do not depend on its content.
func (a *API) setPermissions(x *route.Exchange) {
	var entries []SubjectPermissions
	if !decodeDCBody(x, &entries, subjectPermissionsMembers...) {
		return
	}
	if len(entries) > maxSubjectsPerSet {
		writeError(x.W, http.StatusBadRequest,
			fmt.Sprintf("Maximum %d different users/groups/anonymous user could be passed in the request, got %d", maxSubjectsPerSet, len(entries)))
		return
	}
	key := x.Param("spaceKey")
	if err := a.store.Administered(x.Caller, key); err != nil {
		writeRefusal(x.W, err)
		return
	}
	subjects := make([]state.SubjectOps, 0, len(entries))
	seen := map[permissions.Principal]bool{}
	for i, e := range entries {
		sub, ok := a.setEntry(x, i, e)
		if !ok {
			return
		}
		if seen[sub.Principal] {
			writeError(x.W, http.StatusBadRequest, fmt.Sprintf("Entry %d names a subject already in the request", i))
			return
		}
		seen[sub.Principal] = true
		subjects = append(subjects, sub)
	}
	if err := a.store.ReplaceOps(x.Caller, key, subjects); err != nil {
		writeRefusal(x.W, err)
		return
	}
	x.W.WriteHeader(http.StatusOK)
}

// setEntry reads one entry of the bulk set.
func (a *API) setEntry(x *route.Exchange, i int, e SubjectPermissions) (state.SubjectOps, bool) {
	bad := func(text string) (state.SubjectOps, bool) {
		writeError(x.W, http.StatusBadRequest, fmt.Sprintf("Entry %d %s", i, text))
		return state.SubjectOps{}, false
	}
	if e.Operations == nil {
		return bad("has no operations; send an empty list to revoke everything")
	}
	var p permissions.Principal
	ok := true
	switch {
	case e.UserKey != "" && e.GroupName != "":
		return bad("names both a userKey and a groupName")
	case e.UserKey != "":
		p, ok = a.userByKey(x, e.UserKey)
	case e.GroupName != "":
		p, ok = a.groupByName(x, e.GroupName)
	default:
		p = permissions.AnonymousPrincipal
	}
	if !ok {
		return state.SubjectOps{}, false
	}
	ops, ok := operationsOf(x, *e.Operations)
	return state.SubjectOps{Principal: p, Ops: ops}, ok
}

// userByKey resolves a user key, answering 404 when unknown
// (contributing/confluence-api.md#data-center-error-statuses).
func (a *API) userByKey(x *route.Exchange, key string) (permissions.Principal, bool) {
	p, ok := a.store.UserKeyPrincipal(key)
	if !ok {
		writeError(x.W, http.StatusNotFound, "No user found with key: "+key)
	}
	return p, ok
}

// groupByName resolves a group name, ignoring case, answering 404 when
// unknown (contributing/confluence-api.md#data-center-error-statuses).
func (a *API) groupByName(x *route.Exchange, name string) (permissions.Principal, bool) {
	p, ok := a.store.GroupNamePrincipal(name)
	if !ok {
		writeError(x.W, http.StatusNotFound, "No group found with name: "+name)
	}
	return p, ok
}

// operationsOf maps the pairs of a request; any pair outside the fourteen of
// contributing/confluence-api.md#operation-names-on-data-center (a Cloud-only
// or global permission, a typo) is a 400 for the whole request
// (contributing/confluence-api.md#data-center-error-statuses).
func operationsOf(x *route.Exchange, pairs []OperationDescription) ([]permissions.Operation, bool) {
	ops := make([]permissions.Operation, 0, len(pairs))
	for _, pair := range pairs {
		op, ok := fromPair(pair)
		if !ok {
			writeError(x.W, http.StatusBadRequest, pair.String()+" is not a space permission")
			return nil, false
		}
		ops = append(ops, op)
	}
	return ops, true
}

// decodeDCBody reads a JSON array body, answering 400 when it is not one or
// when an object has a member not in members, spelt exactly.
//
// UNVERIFIED (contributing/confluence-api.md#rest-space-permissions): chose to
// refuse unknown members and a null body, so that a misspelt member
// ("operation", "groupname") or a Cloud-shaped body fails loudly instead of
// revoking everything. encoding/json matches member names without case, so the
// names are checked first.
func decodeDCBody[T any](x *route.Exchange, into *[]T, members ...string) bool {
	data, err := io.ReadAll(http.MaxBytesReader(x.W, x.R.Body, route.MaxBodyBytes))
	if err == nil {
		err = checkMembers(data, members)
	}
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		err = dec.Decode(into)
	}
	if err == nil && *into == nil {
		err = errors.New("the body is null")
	}
	if err != nil {
		writeError(x.W, http.StatusBadRequest, "The request body must be a JSON array: "+err.Error())
		return false
	}
	return true
}

// checkMembers walks a JSON document and refuses object members not in
// members. Malformed JSON is left for the decoder to report.
func checkMembers(data []byte, members []string) error {
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return nil //nolint:nilerr // malformed JSON is the decoder's to report
	}
	var walk func(v any) error
	walk = func(v any) error {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if err := walk(e); err != nil {
					return err
				}
			}
		case map[string]any:
			for name, e := range v {
				if !slices.Contains(members, name) {
					return fmt.Errorf("unknown field %q (fields are %s)", name, strings.Join(members, ", "))
				}
				if err := walk(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(doc)
}
