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

// Grant is the grant the id names, without its space.
func (id GrantID) Grant() Grant { return Grant{Principal: id.Principal, Operation: id.Operation} }

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
	bad := func(why string) error {
		return fmt.Errorf("import id %q %s; expected %s", s, why, grantIDFormat)
	}
	// The id of a whole principal (SPACEKEY/TYPE/ID) is the likeliest
	// mistake: say that the operation is missing, not that the principal
	// is bad, which is what taking its last two parts for one would say.
	missingOperation := func() error {
		pid, _ := parsePrincipalPart(s)
		return bad(fmt.Sprintf("names %s in space %s but no operation: add it at the end, for example %s/read/space",
			pid.Principal, pid.SpaceKey, s))
	}
	i := strings.LastIndex(s, "/")
	j := -1
	if i >= 0 {
		j = strings.LastIndex(s[:i], "/")
	}
	if j < 0 {
		if _, err := parsePrincipalPart(s); err == nil {
			return GrantID{}, missingOperation()
		}
		return GrantID{}, bad("has no operation")
	}
	op, err := ParseOperation(s[j+1:])
	if err != nil {
		return GrantID{}, bad("does not end in an operation key/target")
	}
	pid, err := parsePrincipalPart(s[:j])
	if err != nil {
		if _, known := Lookup(op); !known {
			if _, whole := parsePrincipalPart(s); whole == nil {
				return GrantID{}, missingOperation()
			}
		}
		return GrantID{}, bad(err.Error())
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
	if err := ValidateSpaceKey(s); err != nil {
		return "", fmt.Errorf("import id %q is not a space key (%w); expected SPACEKEY (for example DOCS)", s, err)
	}
	return s, nil
}

// maxSpaceKeyLength is the longest key Confluence accepts.
const maxSpaceKeyLength = 255

// ValidateSpaceKey checks a key's syntax as Confluence's space creation
// states it: a site space's key is made of the letters A-Z, a-z and the
// digits 0-9, at most 255 of them
// (https://confluence.atlassian.com/doc/create-a-space-139459.html);
// personal spaces are keyed "~" and their owner's username (Data Center) or
// accountId (Cloud), which may hold other characters but no white space or
// slash.
func ValidateSpaceKey(key string) error {
	const syntax = "site spaces have keys of letters and digits only (A-Z, a-z, 0-9), personal spaces ~ followed by their owner's username or accountId"
	switch {
	case key == "":
		return fmt.Errorf("the space key is empty: %s", syntax)
	case len(key) > maxSpaceKeyLength:
		return fmt.Errorf("the space key is %d characters long, more than Confluence's %d", len(key), maxSpaceKeyLength)
	case key[0] == '~':
		if len(key) == 1 || strings.ContainsAny(key, "/ \t\r\n") {
			return fmt.Errorf("%q is not a personal space key: %s", key, syntax)
		}
		return nil
	}
	for _, r := range key {
		if !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9') {
			return fmt.Errorf("%q is not a Confluence space key: %s", key, syntax)
		}
	}
	return nil
}

func parsePrincipalPart(s string) (PrincipalID, error) {
	space, rest, ok := strings.Cut(s, "/")
	if space == "" {
		return PrincipalID{}, fmt.Errorf("does not start with a space key")
	}
	if err := ValidateSpaceKey(space); err != nil {
		return PrincipalID{}, fmt.Errorf("does not start with a space key: %w", err)
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
