package datacenter

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// permissionsPath is the space-permission resource of a space
// (contributing/confluence-api.md#rest-space-permissions).
func permissionsPath(spaceKey string) string {
	return spacePath(spaceKey) + "/permissions"
}

// operationJSON is an OperationDescription
// (contributing/confluence-api.md#rest-space-permissions). Note the Data
// Center spelling (targetType, operationKey) against Cloud's (target, key).
type operationJSON struct {
	TargetType   string `json:"targetType"`
	OperationKey string `json:"operationKey"`
}

func restOperation(info permissions.OperationInfo) operationJSON {
	return operationJSON{TargetType: info.DataCenterREST.Target, OperationKey: info.DataCenterREST.Key}
}

func (o operationJSON) pair() permissions.Operation {
	return permissions.Operation{Key: o.OperationKey, Target: o.TargetType}
}

func (o operationJSON) String() string { return o.TargetType + "/" + o.OperationKey }

// subjectJSON is the subject of a row of the bulk GET. Real answers differ
// from the documented {displayName, type} (CONFSERVER-100505): users
// come as {type:"user", userKey}, groups as {type:"group", name}. A username
// is read too in case a later version adds it, as that ticket asks.
type subjectJSON struct {
	Type     string `json:"type"`
	UserKey  string `json:"userKey"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// principal maps a subject. How anonymous rows look is UNVERIFIED
// (contributing/confluence-api.md#anonymous-on-data-center), so a missing
// subject, type "anonymous", and a user or group subject with neither userKey
// nor name all read as anonymous. Other types are kept as they are, so that
// they show as grants the provider does not manage instead of failing the
// read.
func (s *subjectJSON) principal() permissions.Principal {
	if s == nil {
		return permissions.AnonymousPrincipal
	}
	t := permissions.PrincipalType(strings.ToLower(s.Type))
	switch {
	case t == permissions.Anonymous:
		return permissions.AnonymousPrincipal
	case (t == permissions.User || t == "") && s.UserKey != "":
		return permissions.Principal{Type: permissions.User, ID: s.UserKey}
	case (t == permissions.Group || t == "") && s.Name != "":
		return permissions.Principal{Type: permissions.Group, ID: s.Name}
	case (t == permissions.User || t == permissions.Group || t == "") && s.UserKey == "" && s.Name == "":
		return permissions.AnonymousPrincipal
	}
	return permissions.Principal{Type: t, ID: firstNonEmpty(s.UserKey, s.Name)}
}

// permissionRowJSON is one row of the bulk GET: one (subject, operation)
// pair (contributing/confluence-api.md#rest-space-permissions).
type permissionRowJSON struct {
	Operation operationJSON `json:"operation"`
	Subject   *subjectJSON  `json:"subject"`
}

// subjectPath is the path segment naming a principal in the per-subject
// endpoints: user/{userKey}, group/{groupName} or anonymous
// (contributing/confluence-api.md#rest-space-permissions).
func subjectPath(p permissions.Principal) (string, error) {
	if err := permissions.ValidatePrincipal(p); err != nil {
		return "", err
	}
	switch p.Type {
	case permissions.User:
		return "user/" + url.PathEscape(p.ID), nil
	case permissions.Group:
		return "group/" + url.PathEscape(p.ID), nil
	case permissions.Anonymous:
		return "anonymous", nil
	}
	return "", fmt.Errorf("cannot grant to %s on Confluence Data Center", p)
}

// subjectPermissionsJSON is a SpacePermissionsForSubject of the bulk POST
// (contributing/confluence-api.md#rest-space-permissions). Neither userKey nor
// groupName means the anonymous user. Operations is never null: an empty list
// revokes everything.
type subjectPermissionsJSON struct {
	UserKey    string          `json:"userKey,omitempty"`
	GroupName  string          `json:"groupName,omitempty"`
	Operations []operationJSON `json:"operations"`
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
