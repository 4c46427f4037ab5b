package datacenter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

const (
	userPath  = "/rest/api/user"
	groupPath = "/rest/api/group"
)

// userJSON is the part of a Data Center user the provider uses
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups):
// {type:"known", username, userKey, displayName, ...}.
type userJSON struct {
	Username    string `json:"username"`
	UserKey     string `json:"userKey"`
	DisplayName string `json:"displayName"`
}

// groupJSON is a Data Center group: {type:"group", name}.
type groupJSON struct {
	Name string `json:"name"`
}

// User looks a user up by username, as configuration writes it, or by the
// id grants carry (a userKey on 9.1+, which the client passes back when it
// diagnoses a refusal). A username is tried first; an unknown one is tried
// as a userKey before giving up, except for keys this process already knows.
func (s *directory) User(ctx context.Context, id string) (confluence.User, error) {
	if id == "" {
		return confluence.User{}, errors.New("a Data Center user is looked up by username, which is empty")
	}
	_, knownKey := s.usersByKey.Peek(id)
	u, err := s.fetchUser(ctx, lookupOrder(knownKey), id)
	if err != nil {
		return confluence.User{}, err
	}
	return s.user(u), nil
}

// user maps the JSON to the domain type. ID is what grants name the user
// by. Data Center's user JSON carries no active flag unless expanded
// (`_expandable.status`), so users that can be found count as active.
func (s *directory) user(u userJSON) confluence.User {
	id := u.Username
	if s.userKeyed {
		id = u.UserKey
	}
	return confluence.User{ID: id, Username: u.Username, Key: u.UserKey, DisplayName: u.DisplayName, Active: true}
}

// userParam is a query parameter of GET /rest/api/user
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
type userParam string

const (
	byUsername userParam = "username"
	byKey      userParam = "key"
)

func lookupOrder(keyFirst bool) []userParam {
	if keyFirst {
		return []userParam{byKey, byUsername}
	}
	return []userParam{byUsername, byKey}
}

// fetchUser asks for the user by each parameter in turn until one finds it.
// Only a 404 moves on to the next parameter; a later parameter's 400 (a
// value that cannot be a userKey, say) also just means "not this way". Not
// found by any, it returns a *confluence.NotFoundError.
func (s *directory) fetchUser(ctx context.Context, order []userParam, id string) (userJSON, error) {
	for i, param := range order {
		u, err := s.getUser(ctx, param, id)
		switch {
		case err == nil:
			return u, nil
		case confluence.IsNotFound(err), i > 0 && confluence.IsBadRequest(err):
			continue
		default:
			return userJSON{}, err
		}
	}
	return userJSON{}, userNotFound(id)
}

// getUser sends GET /rest/api/user?username= or ?key= and remembers
// the answer both ways, so that later resolutions cost nothing.
func (s *directory) getUser(ctx context.Context, param userParam, value string) (userJSON, error) {
	var u userJSON
	if err := s.api.GetJSON(ctx, userPath, url.Values{string(param): {value}}, &u); err != nil {
		return userJSON{}, err
	}
	if u.UserKey == "" || u.Username == "" {
		return userJSON{}, fmt.Errorf("Confluence answered the lookup of user %q without a username and userKey", value)
	}
	s.remember(u)
	return u, nil
}

func (s *directory) remember(u userJSON) {
	s.usersByName.Set(u.Username, u)
	s.usersByKey.Set(u.UserKey, u)
}

// Remember records a username and its userKey learnt earlier (Terraform
// keeps the pairing in the resource's private state), so that resolving
// either costs no request.
func (s *directory) Remember(username, userKey string) {
	if username != "" && userKey != "" {
		s.remember(userJSON{Username: username, UserKey: userKey})
	}
}

// cloudAccountID matches the two shapes of Cloud accountIds: 24 hex digits,
// and the older "557058:" prefix followed by a UUID.
var cloudAccountID = regexp.MustCompile(`^(?:[0-9a-fA-F]{24}|[0-9]+:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)

// userNotFound says that no user has this name, and recognises the most
// common mistake: a Cloud accountId in a Data Center configuration.
func userNotFound(name string) error {
	err := &confluence.NotFoundError{Kind: "user", Name: name}
	if cloudAccountID.MatchString(name) {
		return withHint(err, "this looks like a Cloud accountId; Data Center names users by username")
	}
	return err
}

// Group looks a group up by name, the id grants carry on Data Center.
func (s *directory) Group(ctx context.Context, name string) (confluence.Group, error) {
	return s.GroupByName(ctx, name)
}

// GroupByName looks a group up with GET /rest/api/group/{groupName}
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups) and
// returns it with its name as Confluence stores it.
func (s *directory) GroupByName(ctx context.Context, name string) (confluence.Group, error) {
	g, err := s.group(ctx, name)
	if err != nil {
		return confluence.Group{}, err
	}
	return confluence.Group{ID: g.Name, Name: g.Name}, nil
}

// group resolves a group name, once per name and process. Group names are
// said to be case-insensitive (UNVERIFIED for every directory type,
// contributing/confluence-api.md#data-center-group-names), so the answer's
// spelling, not the configured one, is what grants are compared with. The
// name is path-escaped; whether Data Center accepts an escaped slash in it
// is UNVERIFIED too.
func (s *directory) group(ctx context.Context, name string) (groupJSON, error) {
	if name == "" {
		return groupJSON{}, errors.New("a Data Center group is looked up by name, which is empty")
	}
	return s.groups.Get(ctx, name, func(ctx context.Context) (groupJSON, error) {
		var g groupJSON
		err := s.api.GetJSON(ctx, groupPath+"/"+url.PathEscape(name), nil, &g)
		if confluence.IsNotFound(err) {
			return groupJSON{}, &confluence.NotFoundError{Kind: "group", Name: name}
		}
		if err != nil {
			return groupJSON{}, err
		}
		if g.Name == "" {
			return groupJSON{}, fmt.Errorf("Confluence answered the lookup of group %q without a name", name)
		}
		return g, nil
	})
}
