package state

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// SeedError lists every problem found in a seed.
type SeedError struct {
	Problems []string
}

func (e *SeedError) Error() string {
	return "invalid seed:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// spaceKeyPattern accepts global space keys (letters and digits) and
// personal space keys ("~" followed by an accountId-like string).
var spaceKeyPattern = regexp.MustCompile(`^(~[A-Za-z0-9:-]+|[A-Za-z0-9]+)$`)

// Validate checks what every flavour requires of a seed, accepting the
// operations of any deployment; a site is built from a seed checked again
// with ValidateFor its deployment.
func (s Seed) Validate() error { return s.ValidateFor("") }

// ValidateFor checks the seed for deployment d ("" for any) under its
// rules, so that a site can always be exported and rebuilt (Snapshot): a
// Data Center site may hold grants without read/space or a space without
// admin, so its seeds may too.
func (s Seed) ValidateFor(d permissions.Deployment) error { return s.validate(d, rulesOf(d)) }

func (s Seed) validate(d permissions.Deployment, r rules) error {
	v := seedValidator{deployment: d, rules: r, users: map[string]SeedUser{}, groups: map[string]bool{}}
	v.roleMode(s.RoleMode)
	v.usersAndEmails(s.Users)
	v.dcIdentities(s.Users)
	v.groupList(s.Groups)
	v.credentials(s.Credentials)
	v.spaces(s.Spaces)
	v.spaceRoles(s)
	if len(v.problems) > 0 {
		return &SeedError{Problems: v.problems}
	}
	return nil
}

type seedValidator struct {
	deployment permissions.Deployment
	rules      rules
	problems   []string
	users      map[string]SeedUser
	groups     map[string]bool
}

func (v *seedValidator) addf(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *seedValidator) roleMode(m RoleMode) {
	switch {
	case m != "" && !m.Valid():
		v.addf("roleMode %q is not one of %s, %s, %s", m, PreRoles, RolesTransition, RolesOnly)
	case v.deployment == permissions.DataCenter && m != "" && m != PreRoles:
		v.addf("roleMode %q: space roles exist on Confluence Cloud only; use %s or leave it out", m, PreRoles)
	}
}

func (v *seedValidator) oneOf(where, field, value string, allowed []string) {
	if value != "" && !slices.Contains(allowed, value) {
		v.addf("%s: %s %q is not one of %s", where, field, value, strings.Join(allowed, ", "))
	}
}

func (v *seedValidator) usersAndEmails(users []SeedUser) {
	emails := map[string]string{}
	for i, u := range users {
		where := fmt.Sprintf("users[%d] (%s)", i, u.AccountID)
		switch {
		case u.AccountID == "":
			v.addf("users[%d]: accountId is required", i)
			continue
		case strings.ContainsAny(u.AccountID, " \t\n/"):
			v.addf("%s: accountId must not contain spaces or slashes", where)
		case u.AccountID == AnonymousIdentifier:
			v.addf("%s: accountId %q is reserved for anonymous access (Cloud's v1 writes name anonymous so)", where, AnonymousIdentifier)
		}
		if _, dup := v.users[u.AccountID]; dup {
			v.addf("%s: accountId is used twice", where)
		}
		v.users[u.AccountID] = u
		if strings.TrimSpace(u.DisplayName) == "" {
			v.addf("%s: displayName is required", where)
		}
		if u.Email != "" {
			if !strings.Contains(u.Email, "@") {
				v.addf("%s: email %q is not an email address", where, u.Email)
			}
			if other, dup := emails[strings.ToLower(u.Email)]; dup {
				v.addf("%s: email %q is also the email of %s", where, u.Email, other)
			}
			emails[strings.ToLower(u.Email)] = u.AccountID
		}
		v.oneOf(where, "accountType", u.AccountType, accountTypes)
		v.oneOf(where, "accountStatus", u.AccountStatus, accountStatuses)
	}
}

// dcIdentities checks usernames and user keys after defaulting them, since a
// default can collide too: usernames are unique without case, user keys
// exactly
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups), and
// a user key is a path segment of the REST API.
func (v *seedValidator) dcIdentities(users []SeedUser) {
	usernames, keys := map[string]string{}, map[string]string{}
	for i, u := range users {
		if u.AccountID == "" {
			continue // reported already
		}
		where := fmt.Sprintf("users[%d] (%s)", i, u.AccountID)
		username, key := u.DCIdentity()
		if strings.TrimSpace(username) == "" || strings.ContainsAny(username, " \t\n") {
			v.addf("%s: username %q must be one word", where, username)
		}
		if other, dup := usernames[strings.ToLower(username)]; dup {
			defaulted := ""
			if u.Username == "" {
				defaulted = " (the default)"
			}
			v.addf("%s: username %q%s is also the username of %s", where, username, defaulted, other)
		}
		usernames[strings.ToLower(username)] = u.AccountID
		if strings.ContainsAny(key, " \t\n/") {
			v.addf("%s: userKey %q must not contain spaces or slashes", where, key)
		}
		if other, dup := keys[key]; dup {
			v.addf("%s: userKey %q is also the userKey of %s", where, key, other)
		}
		keys[key] = u.AccountID
	}
}

func (v *seedValidator) groupList(groups []SeedGroup) {
	names := map[string]bool{}
	for i, g := range groups {
		where := fmt.Sprintf("groups[%d] (%s)", i, g.Name)
		if g.ID == "" {
			v.addf("%s: id is required (Cloud addresses groups by groupId)", where)
		} else if v.groups[g.ID] {
			v.addf("%s: id %q is used twice", where, g.ID)
		}
		v.groups[g.ID] = true
		if strings.TrimSpace(g.Name) == "" {
			v.addf("%s: name is required", where)
		} else if names[strings.ToLower(g.Name)] {
			v.addf("%s: name is used twice (names are case-insensitive)", where)
		}
		names[strings.ToLower(g.Name)] = true
		members := map[string]bool{}
		for _, m := range g.Members {
			if _, ok := v.users[m]; !ok {
				v.addf("%s: member %q is not a seeded user", where, m)
			}
			if members[m] {
				v.addf("%s: member %q is listed twice", where, m)
			}
			members[m] = true
		}
	}
}

func (v *seedValidator) credentials(creds []SeedCredential) {
	oauth := map[string]bool{}
	basic := map[[2]string]bool{}
	for i, c := range creds {
		where := fmt.Sprintf("credentials[%d] (%s)", i, c.AccountID)
		u, ok := v.users[c.AccountID]
		if !ok {
			v.addf("%s: accountId is not a seeded user", where)
		}
		if c.APIToken == "" && c.OAuthToken == "" {
			v.addf("%s: give an apiToken, an oauthToken or both", where)
		}
		if c.APIToken != "" {
			if ok && u.Email == "" && v.deployment == permissions.Cloud {
				v.addf("%s: an apiToken needs the user's email (Basic auth sends email:token on Cloud)", where)
			}
			if basic[[2]string{c.AccountID, c.APIToken}] {
				v.addf("%s: the same apiToken is listed twice", where)
			}
			basic[[2]string{c.AccountID, c.APIToken}] = true
		}
		if c.OAuthToken != "" {
			if oauth[c.OAuthToken] {
				v.addf("%s: oauthToken is used twice", where)
			}
			oauth[c.OAuthToken] = true
		}
	}
}

func (v *seedValidator) spaces(spaces []SeedSpace) {
	types := SpaceTypes(v.deployment)
	keys := map[string]bool{}
	ids := map[int64]bool{}
	for i, sp := range spaces {
		where := fmt.Sprintf("spaces[%d] (%s)", i, sp.Key)
		if !spaceKeyPattern.MatchString(sp.Key) {
			v.addf("%s: key %q must be letters and digits (or ~accountId for a personal space)", where, sp.Key)
		}
		if keys[sp.Key] {
			v.addf("%s: key is used twice", where)
		}
		keys[sp.Key] = true
		if sp.ID < 0 {
			v.addf("%s: id must be positive", where)
		} else if sp.ID > 0 {
			if ids[sp.ID] {
				v.addf("%s: id %d is used twice", where, sp.ID)
			}
			ids[sp.ID] = true
		}
		if strings.TrimSpace(sp.Name) == "" {
			v.addf("%s: name is required", where)
		}
		v.oneOf(where, "type", sp.Type, types)
		v.oneOf(where, "status", sp.Status, spaceStatuses)
		for _, l := range sp.Labels {
			if l == "" || strings.ContainsAny(l, " \t,") {
				v.addf("%s: label %q must be one word without commas", where, l)
			}
		}
		if _, ok := v.users[sp.AuthorID]; sp.AuthorID != "" && !ok {
			v.addf("%s: authorId %q is not a seeded user", where, sp.AuthorID)
		}
		v.grants(where, sp.Grants)
	}
}

func (v *seedValidator) grants(where string, grants []SeedGrant) {
	seen := map[permissions.Principal]bool{}
	hasAdmin := false
	for j, g := range grants {
		p := g.Principal.principal()
		at := fmt.Sprintf("%s grants[%d] (%s)", where, j, p)
		if err := permissions.ValidatePrincipal(p); err != nil {
			v.addf("%s: %v", at, err)
			continue
		}
		if p.Type == permissions.User && v.users[p.ID].AccountID == "" {
			v.addf("%s: user %q is not a seeded user", at, p.ID)
		}
		if p.Type == permissions.Group && !v.groups[p.ID] {
			v.addf("%s: group id %q is not a seeded group", at, p.ID)
		}
		if seen[p] {
			v.addf("%s: the principal is listed twice; list all its operations once", at)
		}
		seen[p] = true
		if len(g.Operations) == 0 {
			v.addf("%s: operations is empty", at)
			continue
		}
		ops := make([]permissions.Operation, 0, len(g.Operations))
		for _, s := range g.Operations {
			op, err := permissions.ParseOperation(s)
			if err != nil {
				v.addf("%s: %v", at, err)
				continue
			}
			ops = append(ops, op)
		}
		checked := ops
		if !v.rules.readFirst && !slices.Contains(ops, permissions.ReadSpace) {
			// ValidateOperations also requires read/space, which only
			// flavours with the read-first rule do: let it see one.
			checked = append(slices.Clone(ops), permissions.ReadSpace)
		}
		if err := checkSeedOperations(p, checked, v.deployment, at); err != nil {
			v.addf("%v", err)
		}
		if p.Type != permissions.Anonymous && slices.Contains(ops, permissions.AdministerSpace) {
			hasAdmin = true
		}
	}
	if v.rules.lastAdmin && !hasAdmin {
		v.addf("%s: no user or group holds %s; Confluence never lets a space lose its last admin",
			where, permissions.AdministerSpace)
	}
}
