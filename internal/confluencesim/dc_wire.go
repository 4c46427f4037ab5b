package confluencesim

import (
	"fmt"
	"net/url"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// JSON shapes of Data Center REST bodies
// (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#data-center-users-user-keys-and-groups,
// contributing/confluence-api.md#data-center-spaces-and-paging).

// dcOperation is OperationDescription
// (contributing/confluence-api.md#rest-space-permissions).
type dcOperation struct {
	TargetType   string `json:"targetType"`
	OperationKey string `json:"operationKey"`
}

// Member names of the request bodies, nested ones included, for
// checkMembers.
var (
	dcOperationMembers          = []string{"targetType", "operationKey"}
	dcSubjectPermissionsMembers = append([]string{"userKey", "groupName", "operations"}, dcOperationMembers...)
)

func (o dcOperation) String() string {
	return fmt.Sprintf("(targetType=%s, operationKey=%s)", o.TargetType, o.OperationKey)
}

// operation maps the pair to the permission's name (see
// spacePermissionTable); ok is false for
// pairs Data Center does not offer, such as archive/page or a global
// permission (contributing/confluence-api.md#operation-names-on-data-center).
func (o dcOperation) operation() (permissions.Operation, bool) {
	return fromDCREST(o)
}

func toDCOperation(op permissions.Operation) dcOperation {
	p, _ := lookupPermission(op) // every stored operation exists on Data Center
	return p.dcREST
}

// dcSubject is the subject of a permission row as real 9.x servers send it,
// not as the schema documents it (CONFSERVER-100505,
// contributing/confluence-api.md#rest-space-permissions): a user by userKey
// only, a group by name.
//
// UNVERIFIED (contributing/confluence-api.md#anonymous-on-data-center): how
// anonymous rows look is not known; chose {"type":"anonymous"}, in the style
// of the other two.
type dcSubject struct {
	Type    string `json:"type"`
	UserKey string `json:"userKey,omitempty"`
	Name    string `json:"name,omitempty"`
}

// dcPermission is one row of the permission reads: one (subject,
// operation) pair (contributing/confluence-api.md#rest-space-permissions).
type dcPermission struct {
	Operation dcOperation `json:"operation"`
	Subject   dcSubject   `json:"subject"`
	SpaceKey  string      `json:"spaceKey"`
	SpaceID   int64       `json:"spaceId"`
}

// dcSubjectPermissions is SpacePermissionsForSubject, one entry of the bulk
// set (contributing/confluence-api.md#rest-space-permissions): a user, a
// group, or with neither the anonymous user. A pointer tells missing
// operations from an empty list, which revokes all.
type dcSubjectPermissions struct {
	UserKey    string         `json:"userKey,omitempty"`
	GroupName  string         `json:"groupName,omitempty"`
	Operations *[]dcOperation `json:"operations"`
}

// dcSpace is Space (contributing/confluence-api.md#data-center-spaces-and-paging).
//
// UNVERIFIED (contributing/confluence-api.md#data-center-spaces-and-paging):
// the record lists the fields, not the links; chose webui (/display/KEY, the
// classic space URL) and self, and to leave out _expandable, which names
// nothing the simulator models.
type dcSpace struct {
	ID     int64             `json:"id"`
	Key    string            `json:"key"`
	Name   string            `json:"name"`
	Type   string            `json:"type"`
	Status string            `json:"status"`
	Links  map[string]string `json:"_links"`
}

// dcPage is the offset paging envelope
// (contributing/confluence-api.md#data-center-spaces-and-paging).
type dcPage[T any] struct {
	Results []T               `json:"results"`
	Start   int               `json:"start"`
	Limit   int               `json:"limit"`
	Size    int               `json:"size"`
	Links   map[string]string `json:"_links"`
}

// dcUser is the user JSON of GET /rest/api/user
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
type dcUser struct {
	Type           string            `json:"type"`
	Username       string            `json:"username"`
	UserKey        string            `json:"userKey"`
	ProfilePicture dcPicture         `json:"profilePicture"`
	DisplayName    string            `json:"displayName"`
	Links          map[string]string `json:"_links"`
	Expandable     map[string]string `json:"_expandable"`
}

type dcPicture struct {
	Path      string `json:"path"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	IsDefault bool   `json:"isDefault"`
}

// dcGroup is Group
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
type dcGroup struct {
	Type  string            `json:"type"`
	Name  string            `json:"name"`
	Links map[string]string `json:"_links"`
}

// dcServerInformation is GET /rest/api/server-information
// (contributing/confluence-api.md#server-information-since-91).
//
// UNVERIFIED (contributing/confluence-api.md#server-information-since-91):
// onyx reads only version; chose the other fields' names from the product's
// server information and their values from the options.
type dcServerInformation struct {
	BaseURL     string `json:"baseUrl"`
	Version     string `json:"version"`
	BuildNumber int    `json:"buildNumber"`
	BuildDate   string `json:"buildDate"`
	ServerTitle string `json:"serverTitle"`
}

func toDCSpace(sp Space, base string) dcSpace {
	return dcSpace{
		ID:     sp.ID,
		Key:    sp.Key,
		Name:   sp.Name,
		Type:   sp.Type,
		Status: sp.Status,
		Links: map[string]string{
			"webui": "/display/" + url.PathEscape(sp.Key),
			"self":  base + dcREST + "/space/" + url.PathEscape(sp.Key),
		},
	}
}

// toDCUser renders an account.
//
// UNVERIFIED
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups):
// chose the default avatar's path for every account, since the simulator
// models no pictures.
func toDCUser(u User, base string) dcUser {
	return dcUser{
		Type:           "known",
		Username:       u.Username,
		UserKey:        u.UserKey,
		ProfilePicture: dcPicture{Path: "/images/icons/profilepics/default.svg", Width: 48, Height: 48, IsDefault: true},
		DisplayName:    u.DisplayName,
		Links:          map[string]string{"self": base + dcREST + "/user?key=" + url.QueryEscape(u.UserKey)},
		Expandable:     map[string]string{"status": ""},
	}
}

func toDCGroup(g Group, base string) dcGroup {
	return dcGroup{
		Type:  "group",
		Name:  g.Name,
		Links: map[string]string{"self": base + dcREST + "/group/" + url.PathEscape(g.Name)},
	}
}
