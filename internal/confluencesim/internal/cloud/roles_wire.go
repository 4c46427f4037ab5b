package cloud

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// JSON shapes of the space role operations
// (contributing/confluence-api.md#space-roles), named after the v2 spec
// schemas they follow.

// V2SpaceRole is SpaceRole; GET /space-roles/{id} adds _links.base.
type V2SpaceRole struct {
	ID               string         `json:"id"`
	Type             state.RoleType `json:"type"`
	Name             string         `json:"name"`
	Description      string         `json:"description"`
	SpacePermissions []string       `json:"spacePermissions"`
	Links            *V2BaseLinks   `json:"_links,omitempty"`
}

// V2BaseLinks is the _links of a single role.
type V2BaseLinks struct {
	Base string `json:"base"`
}

func toV2SpaceRole(r state.Role) V2SpaceRole {
	return V2SpaceRole{ID: r.ID, Type: r.Type, Name: r.Name, Description: r.Description, SpacePermissions: state.PermissionIDStrings(r.Permissions)}
}

// V2RoleDefinition is the body of POST and PUT /space-roles (inline
// schemas); pointers tell a missing member from an empty one.
type V2RoleDefinition struct {
	Name                        *string   `json:"name"`
	Description                 *string   `json:"description"`
	SpacePermissions            *[]string `json:"spacePermissions"`
	AnonymousReassignmentRoleID string    `json:"anonymousReassignmentRoleId"`
	GuestReassignmentRoleID     string    `json:"guestReassignmentRoleId"`
}

// V2UpdateRoleAccepted is UpdateSpaceRoleResponse.
type V2UpdateRoleAccepted struct {
	ID          string         `json:"id"`
	Type        state.RoleType `json:"type"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	TaskID      string         `json:"taskId"`
}

// V2DeleteRoleAccepted is DeleteSpaceRoleResponse.
type V2DeleteRoleAccepted struct {
	TaskID string `json:"taskId"`
}

// V2RolePrincipal is Principal (of a role assignment, not of a permission row).
type V2RolePrincipal struct {
	PrincipalType state.RolePrincipalType `json:"principalType"`
	PrincipalID   string                  `json:"principalId"`
}

// V2RoleAssignment is SpaceRoleAssignment.
type V2RoleAssignment struct {
	Principal V2RolePrincipal `json:"principal"`
	RoleID    string          `json:"roleId,omitempty"`
}

func toV2RoleAssignment(a state.RoleAssignment) V2RoleAssignment {
	return V2RoleAssignment{Principal: V2RolePrincipal{a.Principal.Type, a.Principal.ID}, RoleID: a.RoleID}
}

// V2RoleAssignmentEntry is one item of SetSpaceRoleAssignmentRequest.
type V2RoleAssignmentEntry struct {
	Principal *V2RolePrincipal `json:"principal"`
	RoleID    *string          `json:"roleId"`
}

// V2SpacePermission is SpacePermission, an entry of the catalogue.
type V2SpacePermission struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName"`
	Description           string   `json:"description"`
	RequiredPermissionIDs []string `json:"requiredPermissionIds"`
}

// MaxRoleBodyBytes is the largest role assignment request Cloud takes
// (413 over 5 MB, contributing/confluence-api.md#space-roles).
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the document
// says "over 5 MB" without saying whether a megabyte is 2^20 or 10^6 bytes;
// chose 2^20, the larger limit.
const MaxRoleBodyBytes = 5 << 20

// decodeRoleBody reads a JSON request body, answering 413 when it is too
// large and 400 when it is not JSON of the expected shape.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the texts of these
// refusals are not known.
//
// The size is checked on the whole body, not only on the JSON value at its
// start: a declared Content-Length over the limit is refused before reading,
// and what follows the value is read through the same limit.
func decodeRoleBody(x *route.Exchange, into any) bool {
	var err error
	if x.R.ContentLength > MaxRoleBodyBytes {
		err = &http.MaxBytesError{Limit: MaxRoleBodyBytes}
	} else {
		body := http.MaxBytesReader(x.W, x.R.Body, MaxRoleBodyBytes)
		if err = json.NewDecoder(body).Decode(into); err == nil {
			_, err = io.Copy(io.Discard, body)
		}
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeV2Error(x.W, http.StatusRequestEntityTooLarge, "REQUEST_ENTITY_TOO_LARGE", "Request Entity Too Large", "The request is larger than 5 MB.")
	case err != nil:
		writeV2Error(x.W, http.StatusBadRequest, v2Code(http.StatusBadRequest), http.StatusText(http.StatusBadRequest), "Could not read the request body: "+err.Error())
	default:
		return true
	}
	return false
}

// writeRoleError renders a refusal of a role request in the v2 envelope.
func writeRoleError(w http.ResponseWriter, err error) {
	var re *state.RoleError
	if !errors.As(err, &re) {
		writeV2Error(w, http.StatusBadRequest, v2Code(http.StatusBadRequest), http.StatusText(http.StatusBadRequest), err.Error())
		return
	}
	status := roleRefusalStatus(re.Rule)
	writeV2Error(w, status, v2Code(status), http.StatusText(status), re.Detail)
}

// roleRefusalStatus: the role operations declare 400, 401 and 404 (and 413),
// no 403, so what the caller may not see or do is a 404
// (contributing/confluence-api.md#a-404-is-not-proof-of-absence).
func roleRefusalStatus(r state.Rule) int {
	switch r {
	case state.RuleRolesNotEnabled, state.RuleRoleAdminOnly, state.RuleUnknownRole, state.RuleUnknownSpace, state.RuleNotSpaceAdmin,
		state.RuleTransitionAdminOnly, state.RuleUnknownTask, state.RuleGrantWhatYouHave:
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

// writeSeqPage writes a v2 list page whose items are ordered by sequence
// number; resumeAfter is the last item's when more follow, else 0. The next
// link repeats the request's filters.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the role
// operations' cursor parameters speak of the Link header while their response
// schema has _links.next; chose to send both, as GET /spaces does.
func writeSeqPage[T any](x *route.Exchange, path string, results []T, p pageQuery, resumeAfter int64) {
	page := V2Page[T]{Results: results, Links: V2Links{Base: wikiBase(x.Origin)}}
	if page.Results == nil {
		page.Results = []T{}
	}
	if resumeAfter != 0 {
		cursor := EncodeCursor(CursorPosition{ID: strconv.FormatInt(resumeAfter, 10)})
		page.Links.Next = nextLink(path, cursor, p.limit, carryParams(x.R.URL.Query(), nil))
	}
	x.W.Header().Set("Link", linkHeader(page.Links.Next, page.Links.Base))
	route.WriteJSON(x.W, http.StatusOK, page)
}

// rolePrincipalFilter reads the principal-id and principal-type filter,
// which must come together (contributing/confluence-api.md#space-roles).
func rolePrincipalFilter(q url.Values) (*state.RolePrincipal, *badParam) {
	id, typ := q.Get("principal-id"), state.RolePrincipalType(q.Get("principal-type"))
	switch {
	case id == "" && typ == "":
		return nil, nil
	case id == "" || typ == "":
		return nil, invalidParam("principal-id", "principal-id and principal-type must be given together")
	case !typ.Valid():
		return nil, invalidParam("principal-type", "principal-type must be one of USER, GROUP, ACCESS_CLASS")
	case typ == state.RoleAccessClass && !slices.Contains(state.AccessClasses, id):
		return nil, invalidParam("principal-id", "an ACCESS_CLASS principal-id must be one of anonymous-users, jsm-project-admins, authenticated-users, all-licensed-users, all-product-admins")
	}
	return &state.RolePrincipal{Type: typ, ID: id}, nil
}

func roleTypeFilter(q url.Values) (state.RoleType, *badParam) {
	t := state.RoleType(q.Get("role-type"))
	if t != "" && !t.Valid() {
		return "", invalidParam("role-type", "role-type must be SYSTEM or CUSTOM")
	}
	return t, nil
}
