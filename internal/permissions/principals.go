package permissions

import (
	"fmt"
	"sort"
	"strings"
)

// PrincipalType is who holds a grant.
type PrincipalType string

const (
	User      PrincipalType = "user"
	Group     PrincipalType = "group"
	Anonymous PrincipalType = "anonymous"
)

// ManagedPrincipalTypes are the principal types the provider can grant to.
// Confluence reports others (for example "role" on Cloud sites with space
// roles); the provider shows them but never changes them.
var ManagedPrincipalTypes = []PrincipalType{User, Group, Anonymous}

// Managed reports whether the provider can grant permissions to this type.
func (t PrincipalType) Managed() bool {
	return t == User || t == Group || t == Anonymous
}

// Principal is a user, a group or the anonymous user. ID is the immutable id
// the API addresses the principal by: the accountId or groupId on Cloud, the
// userKey or the group name on Data Center, empty for anonymous.
type Principal struct {
	Type PrincipalType
	ID   string
}

// AnonymousPrincipal is the only principal of type anonymous.
var AnonymousPrincipal = Principal{Type: Anonymous}

// String renders the principal for messages: "user 5b10ac8d", "anonymous".
func (p Principal) String() string {
	if p.Type == Anonymous {
		return "anonymous"
	}
	return string(p.Type) + " " + p.ID
}

// ValidatePrincipal checks that type and id fit together.
func ValidatePrincipal(p Principal) error {
	switch p.Type {
	case User, Group:
		if strings.TrimSpace(p.ID) == "" {
			return fmt.Errorf("a %s principal needs an id (%s)", p.Type, idHint(p.Type))
		}
	case Anonymous:
		if p.ID != "" {
			return fmt.Errorf("the anonymous principal takes no id (got %q): remove it", p.ID)
		}
	default:
		return fmt.Errorf("principal type %q is not one of user, group, anonymous", p.Type)
	}
	return nil
}

func idHint(t PrincipalType) string {
	if t == User {
		return "on Cloud the accountId, on Data Center the username"
	}
	return "on Cloud the groupId, on Data Center the group name"
}

// SortPrincipals orders principals by type (users, groups, anonymous, then
// others) and id, so that plans and messages are deterministic.
func SortPrincipals(ps []Principal) {
	rank := map[PrincipalType]int{User: 0, Group: 1, Anonymous: 2}
	r := func(t PrincipalType) int {
		if v, ok := rank[t]; ok {
			return v
		}
		return 3
	}
	sort.Slice(ps, func(i, j int) bool {
		if r(ps[i].Type) != r(ps[j].Type) {
			return r(ps[i].Type) < r(ps[j].Type)
		}
		if ps[i].Type != ps[j].Type {
			return ps[i].Type < ps[j].Type
		}
		return ps[i].ID < ps[j].ID
	})
}

// Grant is one permission of one principal (the space is implied by context).
type Grant struct {
	Principal Principal
	Operation Operation
}

func (g Grant) String() string { return g.Operation.String() + " for " + g.Principal.String() }

// Key renders the principal as a map key, in the style of Google IAM
// members: "user:ID", "group:ID", "anonymous" (and "TYPE:ID" for types the
// provider does not manage, such as "role:ID").
func (p Principal) Key() string {
	if p.Type == Anonymous {
		return string(Anonymous)
	}
	return string(p.Type) + ":" + p.ID
}

// ParsePrincipalKey parses a key written by Key. The id is everything after
// the first colon, so ids that contain colons (Cloud accountIds such as
// "557058:f5b2...") survive.
func ParsePrincipalKey(s string) (Principal, error) {
	if s == string(Anonymous) {
		return AnonymousPrincipal, nil
	}
	typ, id, ok := strings.Cut(s, ":")
	p := Principal{Type: PrincipalType(typ), ID: id}
	if !ok {
		return Principal{}, fmt.Errorf("principal %q is not \"user:ID\", \"group:ID\" or \"anonymous\"", s)
	}
	if err := ValidatePrincipal(p); err != nil {
		return Principal{}, fmt.Errorf("principal %q: %w", s, err)
	}
	return p, nil
}
