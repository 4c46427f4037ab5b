package cloud

import (
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// anonymousID is how Cloud names the anonymous user: the v1 write subject
// {"type":"user","identifier":"anonymous"} (§1.1). The v2 permission list has
// no anonymous principal type (its enum is user, group, role), so anonymous
// rows are read back as type user with this id (§2.1 marks the read side
// UNVERIFIED; a type "anonymous" is accepted too, defensively).
const anonymousID = "anonymous"

// principalFromV2 maps a v2 `principal {type, id}`. Types the provider does
// not manage (role, and whatever Cloud adds next) are kept as they are so
// that they show up as unmanaged grants instead of failing the read.
func principalFromV2(typ, id string) permissions.Principal {
	t := permissions.PrincipalType(strings.ToLower(typ))
	if t == permissions.Anonymous || (t == permissions.User && id == anonymousID) {
		return permissions.AnonymousPrincipal
	}
	return permissions.Principal{Type: t, ID: id}
}

// subjectJSON is v1's PermissionSubject (§1.1).
type subjectJSON struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
}

// subjectFor maps a principal to a v1 write subject: a user by accountId, a
// group by groupId (never by its mutable name, §4), anonymous as the user
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
