package datacenter

import (
	"fmt"
	"net/url"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// JSON shapes of Data Center REST bodies
// (contributing/confluence-api.md#rest-space-permissions,
// contributing/confluence-api.md#data-center-users-user-keys-and-groups,
// contributing/confluence-api.md#data-center-spaces-and-paging).

// OperationDescription is a space permission as the REST API names it, a
// target type and an operation key, after the schema of that name
// (contributing/confluence-api.md#rest-space-permissions).
type OperationDescription struct {
	TargetType   string `json:"targetType"`
	OperationKey string `json:"operationKey"`
}

// Member names of the request bodies, nested ones included, for
// checkMembers.
var (
	operationMembers          = []string{"targetType", "operationKey"}
	subjectPermissionsMembers = append([]string{"userKey", "groupName", "operations"}, operationMembers...)
)

func (o OperationDescription) String() string {
	return fmt.Sprintf("(targetType=%s, operationKey=%s)", o.TargetType, o.OperationKey)
}

// Subject is the subject of a permission row as real 9.x servers send it,
// not as the schema documents it (CONFSERVER-100505,
// contributing/confluence-api.md#rest-space-permissions): a user by userKey
// only, a group by name.
//
// UNVERIFIED (contributing/confluence-api.md#anonymous-on-data-center): how
// anonymous rows look is not known; chose {"type":"anonymous"}, in the style
// of the other two.
type Subject struct {
	Type    string `json:"type"`
	UserKey string `json:"userKey,omitempty"`
	Name    string `json:"name,omitempty"`
}

// PermissionRow is one row of the permission reads: one (subject,
// operation) pair (contributing/confluence-api.md#rest-space-permissions).
type PermissionRow struct {
	Operation OperationDescription `json:"operation"`
	Subject   Subject              `json:"subject"`
	SpaceKey  string               `json:"spaceKey"`
	SpaceID   int64                `json:"spaceId"`
}

// SubjectPermissions is SpacePermissionsForSubject, one entry of the bulk
// set (contributing/confluence-api.md#rest-space-permissions): a user, a
// group, or with neither the anonymous user. A pointer tells missing
// operations from an empty list, which revokes all.
type SubjectPermissions struct {
	UserKey    string                  `json:"userKey,omitempty"`
	GroupName  string                  `json:"groupName,omitempty"`
	Operations *[]OperationDescription `json:"operations"`
}

// Space is the Space schema (contributing/confluence-api.md#data-center-spaces-and-paging).
//
// UNVERIFIED (contributing/confluence-api.md#data-center-spaces-and-paging):
// the record lists the fields, not the links; chose webui (/display/KEY, the
// classic space URL) and self, and to leave out _expandable, which names
// nothing the simulator models.
type Space struct {
	ID     int64             `json:"id"`
	Key    string            `json:"key"`
	Name   string            `json:"name"`
	Type   string            `json:"type"`
	Status string            `json:"status"`
	Links  map[string]string `json:"_links"`
}

// Page is the offset paging envelope
// (contributing/confluence-api.md#data-center-spaces-and-paging).
type Page[T any] struct {
	Results []T               `json:"results"`
	Start   int               `json:"start"`
	Limit   int               `json:"limit"`
	Size    int               `json:"size"`
	Links   map[string]string `json:"_links"`
}

// User is the user JSON of GET /rest/api/user
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
type User struct {
	Type           string            `json:"type"`
	Username       string            `json:"username"`
	UserKey        string            `json:"userKey"`
	ProfilePicture Picture           `json:"profilePicture"`
	DisplayName    string            `json:"displayName"`
	Links          map[string]string `json:"_links"`
	Expandable     map[string]string `json:"_expandable"`
}

// Picture is a user's profile picture.
type Picture struct {
	Path      string `json:"path"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	IsDefault bool   `json:"isDefault"`
}

// Group is the Group schema
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
type Group struct {
	Type  string            `json:"type"`
	Name  string            `json:"name"`
	Links map[string]string `json:"_links"`
}

// ServerInformation is GET /rest/api/server-information
// (contributing/confluence-api.md#server-information-since-91).
//
// UNVERIFIED (contributing/confluence-api.md#server-information-since-91):
// onyx reads only version; chose the other fields' names from the product's
// server information and their values from the options.
type ServerInformation struct {
	BaseURL     string `json:"baseUrl"`
	Version     string `json:"version"`
	BuildNumber int    `json:"buildNumber"`
	BuildDate   string `json:"buildDate"`
	ServerTitle string `json:"serverTitle"`
}

func toSpace(sp state.Space, base string) Space {
	return Space{
		ID:     sp.ID,
		Key:    sp.Key,
		Name:   sp.Name,
		Type:   sp.Type,
		Status: sp.Status,
		Links: map[string]string{
			"webui": "/display/" + url.PathEscape(sp.Key),
			"self":  base + RESTPrefix + "/space/" + url.PathEscape(sp.Key),
		},
	}
}

// toUser renders an account.
//
// UNVERIFIED
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups):
// chose the default avatar's path for every account, since the simulator
// models no pictures.
func toUser(u state.User, base string) User {
	return User{
		Type:           "known",
		Username:       u.Username,
		UserKey:        u.UserKey,
		ProfilePicture: Picture{Path: "/images/icons/profilepics/default.svg", Width: 48, Height: 48, IsDefault: true},
		DisplayName:    u.DisplayName,
		Links:          map[string]string{"self": base + RESTPrefix + "/user?key=" + url.QueryEscape(u.UserKey)},
		Expandable:     map[string]string{"status": ""},
	}
}

func toGroup(g state.Group, base string) Group {
	return Group{
		Type:  "group",
		Name:  g.Name,
		Links: map[string]string{"self": base + RESTPrefix + "/group/" + url.PathEscape(g.Name)},
	}
}
