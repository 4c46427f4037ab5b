package permissions

import (
	"fmt"
	"strings"
)

// Import ids are made only of names people know (reference: DESIGN.md):
//
//	grant      SPACEKEY/TYPE/ID/KEY/TARGET   or SPACEKEY/anonymous/KEY/TARGET
//	principal  SPACEKEY/TYPE/ID              or SPACEKEY/anonymous
//	space      SPACEKEY
//
// An id may itself contain slashes (Data Center group names can), so parsing
// takes the space key and type from the front and the operation from the end.

// GrantID is the import id of one grant.
type GrantID struct {
	SpaceKey  string
	Principal Principal
	Operation Operation
}

// PrincipalID is the import id of one principal's grants in one space.
type PrincipalID struct {
	SpaceKey  string
	Principal Principal
}

// String renders the principal import id.
func (id PrincipalID) String() string {
	if id.Principal.Type == Anonymous {
		return id.SpaceKey + "/" + string(Anonymous)
	}
	return id.SpaceKey + "/" + string(id.Principal.Type) + "/" + id.Principal.ID
}

// String renders the grant import id.
func (id GrantID) String() string {
	return PrincipalID{id.SpaceKey, id.Principal}.String() + "/" + id.Operation.String()
}

const (
	grantIDFormat     = "SPACEKEY/TYPE/ID/KEY/TARGET (for example DOCS/user/5b10ac8d82e05b22cc7d4ef5/create/page or DOCS/anonymous/read/space)"
	principalIDFormat = "SPACEKEY/TYPE/ID (for example DOCS/group/8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f or DOCS/anonymous)"
)

// ParseGrantID parses SPACEKEY/TYPE/ID/KEY/TARGET.
func ParseGrantID(s string) (GrantID, error) {
	bad := func(why string) (GrantID, error) {
		return GrantID{}, fmt.Errorf("import id %q %s; expected %s", s, why, grantIDFormat)
	}
	i := strings.LastIndex(s, "/")
	if i < 0 {
		return bad("has no operation")
	}
	j := strings.LastIndex(s[:i], "/")
	if j < 0 {
		return bad("has no operation")
	}
	op, err := ParseOperation(s[j+1:])
	if err != nil {
		return bad("does not end in an operation key/target")
	}
	pid, err := parsePrincipalPart(s[:j])
	if err != nil {
		return bad(err.Error())
	}
	return GrantID{SpaceKey: pid.SpaceKey, Principal: pid.Principal, Operation: op}, nil
}

// ParsePrincipalID parses SPACEKEY/TYPE/ID or SPACEKEY/anonymous.
func ParsePrincipalID(s string) (PrincipalID, error) {
	pid, err := parsePrincipalPart(s)
	if err != nil {
		return PrincipalID{}, fmt.Errorf("import id %q %w; expected %s", s, err, principalIDFormat)
	}
	return pid, nil
}

// ParseSpaceKeyID checks a space import id.
func ParseSpaceKeyID(s string) (string, error) {
	if s == "" || strings.ContainsAny(s, "/ \t") {
		return "", fmt.Errorf("import id %q is not a space key; expected SPACEKEY (for example DOCS)", s)
	}
	return s, nil
}

func parsePrincipalPart(s string) (PrincipalID, error) {
	space, rest, ok := strings.Cut(s, "/")
	if space == "" || strings.ContainsAny(space, " \t") {
		return PrincipalID{}, fmt.Errorf("does not start with a space key")
	}
	if !ok {
		return PrincipalID{}, fmt.Errorf("has a bad principal: no principal type after the space key")
	}
	typ, id, hasID := strings.Cut(rest, "/")
	if hasID && id == "" {
		return PrincipalID{}, fmt.Errorf("has a bad principal: the id after %q is empty", typ+"/")
	}
	p := Principal{Type: PrincipalType(typ), ID: id}
	if err := ValidatePrincipal(p); err != nil {
		return PrincipalID{}, fmt.Errorf("has a bad principal: %w", err)
	}
	return PrincipalID{SpaceKey: space, Principal: p}, nil
}
