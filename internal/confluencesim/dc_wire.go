package confluencesim

import (
	"fmt"
	"net/url"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// JSON shapes of Data Center REST bodies (dc §1.3, §1.6, §6).

// dcOperation is OperationDescription (dc §1.3).
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

// operation maps the pair to the provider's operation; ok is false for
// pairs Data Center does not offer, such as archive/page or a global
// permission (dc §1.5).
func (o dcOperation) operation() (permissions.Operation, bool) {
	return permissions.FromDataCenterREST(permissions.Operation{Key: o.OperationKey, Target: o.TargetType})
}

func toDCOperation(op permissions.Operation) dcOperation {
	info, _ := permissions.Lookup(op) // every stored operation exists on Data Center
	return dcOperation{TargetType: info.DataCenterREST.Target, OperationKey: info.DataCenterREST.Key}
}

// dcSubject is the subject of a permission row as real 9.x servers send it,
// not as the schema documents it (dc §1.6, CONFSERVER-100505): a user by
// userKey only, a group by name.
//
// UNVERIFIED (dc §1.6, §8 q2): how anonymous rows look is not known; chose
// {"type":"anonymous"}, in the style of the other two.
type dcSubject struct {
	Type    string `json:"type"`
	UserKey string `json:"userKey,omitempty"`
	Name    string `json:"name,omitempty"`
}

// dcPermission is one row of the permission reads: one (subject,
// operation) pair (dc §1.6).
type dcPermission struct {
	Operation dcOperation `json:"operation"`
	Subject   dcSubject   `json:"subject"`
	SpaceKey  string      `json:"spaceKey"`
	SpaceID   int64       `json:"spaceId"`
}

// dcSubjectPermissions is SpacePermissionsForSubject, one entry of the bulk
// set (dc §1.3): a user, a group, or with neither the anonymous user. A
// pointer tells missing operations from an empty list, which revokes all.
type dcSubjectPermissions struct {
	UserKey    string         `json:"userKey,omitempty"`
	GroupName  string         `json:"groupName,omitempty"`
	Operations *[]dcOperation `json:"operations"`
}

// dcSpace is Space (dc §6).
//
// UNVERIFIED (dc §6): the notes list the fields, not the links; chose webui
// (/display/KEY, the classic space URL) and self, and to leave out
// _expandable, which names nothing the simulator models.
type dcSpace struct {
	ID     int64             `json:"id"`
	Key    string            `json:"key"`
	Name   string            `json:"name"`
	Type   string            `json:"type"`
	Status string            `json:"status"`
	Links  map[string]string `json:"_links"`
}

// dcPage is the offset paging envelope (dc §6).
type dcPage[T any] struct {
	Results []T               `json:"results"`
	Start   int               `json:"start"`
	Limit   int               `json:"limit"`
	Size    int               `json:"size"`
	Links   map[string]string `json:"_links"`
}

// dcUser is the user JSON of dc §6.
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

// dcGroup is Group (dc §6).
type dcGroup struct {
	Type  string            `json:"type"`
	Name  string            `json:"name"`
	Links map[string]string `json:"_links"`
}

// dcServerInformation is GET /rest/api/server-information (dc §1.8-d).
//
// UNVERIFIED (dc §1.8-d): onyx reads only version; chose the other fields'
// names from the product's server information and their values from the
// options.
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
// UNVERIFIED (dc §6): chose the default avatar's path for every account,
// since the simulator models no pictures.
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
