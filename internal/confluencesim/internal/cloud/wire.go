package cloud

import (
	"net/url"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// JSON shapes of Cloud bodies. Field names and types follow the spec schemas
// named on each type; only fields the simulator can fill are sent.

// V2Links is MultiEntityLinks (v2): next is site-relative and absent on the
// last page; base is the site's /wiki URL
// (contributing/confluence-api.md#cursor-paging).
type V2Links struct {
	Next string `json:"next,omitempty"`
	Base string `json:"base"`
}

// V2Page is MultiEntityResult<T> (v2).
type V2Page[T any] struct {
	Results []T     `json:"results"`
	Links   V2Links `json:"_links"`
}

// V2Space is SpaceBulk (list) and SpaceSingle (by id, which adds _links.base).
// Ids are strings in v2 bodies
// (contributing/confluence-api.md#spaces-and-key-lookups).
//
// UNVERIFIED (contributing/confluence-api.md#spaces-and-key-lookups): the
// simulator models no content, so chose to omit homepageId, description and
// icon rather than invent them.
type V2Space struct {
	ID        string       `json:"id"`
	Key       string       `json:"key"`
	Name      string       `json:"name"`
	Type      string       `json:"type"`
	Status    string       `json:"status"`
	AuthorID  string       `json:"authorId,omitempty"`
	CreatedAt string       `json:"createdAt"`
	Links     V2SpaceLinks `json:"_links"`
}

// V2SpaceLinks is the _links of a space.
type V2SpaceLinks struct {
	WebUI string `json:"webui"`
	Base  string `json:"base,omitempty"`
}

// V2Assignment is SpacePermissionAssignment (v2). Note targetType, where v1
// writes say target (contributing/confluence-api.md#reading-grants-v2).
type V2Assignment struct {
	ID        string      `json:"id"`
	Principal V2Principal `json:"principal"`
	Operation V2Operation `json:"operation"`
}

// V2Principal is who a permission assignment is for.
type V2Principal struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// V2Operation is what a permission assignment allows.
type V2Operation struct {
	Key        string `json:"key"`
	TargetType string `json:"targetType"`
}

// V2User is User (v2).
type V2User struct {
	AccountID     string `json:"accountId"`
	AccountType   string `json:"accountType"`
	AccountStatus string `json:"accountStatus"`
	DisplayName   string `json:"displayName"`
	PublicName    string `json:"publicName"`
	Email         string `json:"email"`
}

// V1Subject is PermissionSubject (v1).
type V1Subject struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
}

// V1Operation is the operation of SpacePermissionRequest / SpacePermissionV2.
type V1Operation struct {
	Key    string `json:"key"`
	Target string `json:"target"`
}

// V1PermissionRequest is SpacePermissionRequest (v1); pointers tell a
// missing member from an empty one.
type V1PermissionRequest struct {
	Subject   *V1Subject   `json:"subject"`
	Operation *V1Operation `json:"operation"`
}

// V1Permission is SpacePermissionV2 (v1): the id is an integer here and a
// string in v2 reads (contributing/confluence-api.md#v1-and-v2-permission-ids).
type V1Permission struct {
	ID        int64             `json:"id"`
	Subject   V1Subject         `json:"subject"`
	Operation V1Operation       `json:"operation"`
	Links     map[string]string `json:"_links"`
}

// V1User is User (v1).
type V1User struct {
	Type                   string            `json:"type"`
	AccountID              string            `json:"accountId"`
	AccountType            string            `json:"accountType"`
	Email                  string            `json:"email"`
	PublicName             string            `json:"publicName"`
	DisplayName            string            `json:"displayName"`
	IsExternalCollaborator bool              `json:"isExternalCollaborator"`
	IsGuest                bool              `json:"isGuest"`
	Links                  map[string]string `json:"_links"`
}

// V1Group is Group (v1).
type V1Group struct {
	Type  string            `json:"type"`
	Name  string            `json:"name"`
	ID    string            `json:"id"`
	Links map[string]string `json:"_links"`
}

// V1GroupPage is GroupArrayWithLinks (v1).
type V1GroupPage struct {
	Results   []V1Group         `json:"results"`
	Start     int               `json:"start"`
	Limit     int               `json:"limit"`
	Size      int               `json:"size"`
	TotalSize *int64            `json:"totalSize,omitempty"`
	Links     map[string]string `json:"_links"`
}

// wikiBase is _links.base: the site's /wiki URL.
//
// UNVERIFIED (contributing/confluence-api.md#cursor-paging): under the API
// gateway prefix the record does not say what base holds; chose the origin +
// /wiki without the prefix, as the backend answers the same body whichever way
// it was reached.
func wikiBase(origin string) string { return origin + "/wiki" }

func toV2Space(sp state.Space) V2Space {
	return V2Space{
		ID:        strconv.FormatInt(sp.ID, 10),
		Key:       sp.Key,
		Name:      sp.Name,
		Type:      sp.Type,
		Status:    sp.Status,
		AuthorID:  sp.AuthorID,
		CreatedAt: sp.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), // format of SpaceBulk.createdAt
		Links:     V2SpaceLinks{WebUI: "/spaces/" + url.PathEscape(sp.Key)},
	}
}

// toV2Assignment renders a row of GET /spaces/{id}/permissions, whose ID
// is already its list id (see state.Store.GrantPage).
//
// Anonymous grants show under the principal {type: role, id: ANONYMOUS}, as
// a real site answered on 2026-05-19
// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list), or,
// with AnonymousAsUser, {type: user, id: anonymous}, the v1 subject's form;
// the v2 principal type enum has only user, group and role.
func toV2Assignment(g state.Grant, anonymous AnonymousForm) V2Assignment {
	p := V2Principal{Type: string(g.Principal.Type), ID: g.Principal.ID}
	switch {
	case g.Principal.Type != permissions.Anonymous:
	case anonymous == AnonymousAsUser:
		p = V2Principal{Type: string(permissions.User), ID: state.AnonymousIdentifier}
	default:
		p = V2Principal{Type: "role", ID: AnonymousRoleID}
	}
	return V2Assignment{
		// UNVERIFIED (contributing/confluence-api.md#v1-and-v2-permission-ids):
		// nothing documents whether the v2 id is the v1 id; by default it is,
		// as one public provider relies on, and the DistinctPermissionIDs option
		// makes them differ.
		ID:        strconv.FormatInt(g.ID, 10),
		Principal: p,
		Operation: V2Operation{Key: g.Operation.Key, TargetType: g.Operation.Target},
	}
}

func toV1Subject(p permissions.Principal) V1Subject {
	if p.Type == permissions.Anonymous {
		return V1Subject{Type: string(permissions.User), Identifier: state.AnonymousIdentifier}
	}
	return V1Subject{Type: string(p.Type), Identifier: p.ID}
}

func toV2User(u state.User) V2User {
	return V2User{
		AccountID:     u.AccountID,
		AccountType:   u.AccountType,
		AccountStatus: u.AccountStatus,
		DisplayName:   u.DisplayName,
		PublicName:    u.DisplayName,
		Email:         u.Email,
	}
}

// toV1User renders User (v1), whose accountType enum is only atlassian, app
// or "" ("may return empty string if unavailable").
func toV1User(u state.User, origin string) V1User {
	accountType := u.AccountType
	if accountType != "atlassian" && accountType != "app" {
		accountType = ""
	}
	base := wikiBase(origin)
	return V1User{
		Type:        "known",
		AccountID:   u.AccountID,
		AccountType: accountType,
		Email:       u.Email,
		PublicName:  u.DisplayName,
		DisplayName: u.DisplayName,
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// GenericLinks is free-form; chose self, base and context as v1 bodies
		// carry elsewhere.
		Links: map[string]string{
			"self":    base + "/rest/api/user?accountId=" + url.QueryEscape(u.AccountID),
			"base":    base,
			"context": "/wiki",
		},
	}
}

func toV1Group(g state.Group, origin string) V1Group {
	return V1Group{
		Type:  "group",
		Name:  g.Name,
		ID:    g.ID,
		Links: map[string]string{"self": wikiBase(origin) + "/rest/api/group/by-id?id=" + url.QueryEscape(g.ID)},
	}
}
