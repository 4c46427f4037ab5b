package cloud

import (
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// anonymousID is how Cloud's v1 writes name the anonymous user: the subject
// {"type":"user","identifier":"anonymous"} of POST /space/{key}/permission.
const anonymousID = "anonymous"

// anonymousRoleID is how the v2 permission list shows anonymous access on a
// real site: principal {"type":"role","id":"ANONYMOUS"} (recorded 2026-05-19;
// the v2 principal type enum is user, group, role, with no anonymous type).
// See contributing/confluence-api.md#anonymous-in-the-v2-permission-list.
const anonymousRoleID = "ANONYMOUS"

// principalFromV2 maps a v2 `principal {type, id}`. Anonymous is read in
// every form it may take, compared without regard to case: the recorded
// role/ANONYMOUS, the user/anonymous of v1 writes, and a type anonymous.
// Reading only one of them would make an anonymous grant the provider
// created look like somebody else's: removing public access would then
// remove nothing. Types the provider does not manage (other roles, and
// whatever Cloud adds next) are kept as they are so that they show up as
// unmanaged grants instead of failing the read.
func principalFromV2(typ, id string) permissions.Principal {
	t := permissions.PrincipalType(strings.ToLower(typ))
	switch {
	case t == permissions.Anonymous,
		t == permissions.User && strings.EqualFold(id, anonymousID),
		t == principalTypeRole && strings.EqualFold(id, anonymousRoleID):
		return permissions.AnonymousPrincipal
	}
	return permissions.Principal{Type: t, ID: id}
}

// principalTypeRole is the v2 principal type of rows that belong to no user
// or group.
const principalTypeRole permissions.PrincipalType = "role"

// subjectJSON is v1's PermissionSubject
// (contributing/confluence-api.md#permission-writes-v1).
type subjectJSON struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
}

// subjectFor maps a principal to a v1 write subject: a user by accountId, a
// group by groupId (never by its mutable name,
// contributing/confluence-api.md#cloud-users-and-groups), anonymous as the user
// "anonymous".
func subjectFor(p permissions.Principal) (subjectJSON, error) {
	if err := permissions.ValidatePrincipal(p); err != nil {
		return subjectJSON{}, err
	}
	switch p.Type {
	case permissions.User:
		return subjectJSON{Type: "user", Identifier: p.ID}, nil
	case permissions.Group:
		return subjectJSON{Type: "group", Identifier: p.ID}, nil
	case permissions.Anonymous:
		return subjectJSON{Type: "user", Identifier: anonymousID}, nil
	}
	return subjectJSON{}, fmt.Errorf("cannot grant to %s on Confluence Cloud", p)
}
