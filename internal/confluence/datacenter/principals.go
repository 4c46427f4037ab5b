package datacenter

import (
	"context"
	"fmt"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// ResolvePrincipal turns a principal as configuration writes it into the
// principal as grants carry it (DESIGN.md, "The vocabulary"):
//
//   - a user, written by username, becomes its userKey on the REST backend
//     and its username as Confluence spells it on the remote API backend
//     (contributing/confluence-api.md#data-center-users-user-keys-and-groups);
//   - a group becomes its name as Confluence stores it;
//   - anonymous stays as it is.
//
// Each username and group name costs at most one request per process,
// shared by concurrent callers. A user or group that does not exist gives a
// *confluence.NotFoundError.
func (s *directory) ResolvePrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	if err := permissions.ValidatePrincipal(p); err != nil {
		return p, err
	}
	switch p.Type {
	case permissions.User:
		u, err := s.userNamed(ctx, p.ID)
		if err != nil {
			return p, err
		}
		return permissions.Principal{Type: permissions.User, ID: s.user(u).ID}, nil
	case permissions.Group:
		g, err := s.group(ctx, p.ID)
		if err != nil {
			return p, err
		}
		return permissions.Principal{Type: permissions.Group, ID: g.Name}, nil
	}
	return p, nil
}

// ConfiguredPrincipal is the inverse of ResolvePrincipal: it turns a
// principal as grants carry it into the way configuration writes it. On the
// REST backend a userKey becomes the username (`GET /rest/api/user?key=`,
// the grant list has no usernames, CONFSERVER-100505); everything
// else is written as grants carry it.
func (s *directory) ConfiguredPrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	if p.Type != permissions.User || !s.userKeyed {
		return p, nil
	}
	if p.ID == "" {
		return p, fmt.Errorf("a user principal without a userKey cannot be named")
	}
	u, err := s.usersByKey.Get(ctx, p.ID, func(ctx context.Context) (userJSON, error) {
		u, err := s.getUser(ctx, byKey, p.ID)
		if confluence.IsNotFound(err) {
			return userJSON{}, &confluence.NotFoundError{Kind: "user", Name: p.ID}
		}
		return u, err
	})
	if err != nil {
		return p, err
	}
	return permissions.Principal{Type: permissions.User, ID: u.Username}, nil
}

// userNamed resolves a username, once per name and process.
func (s *directory) userNamed(ctx context.Context, username string) (userJSON, error) {
	return s.usersByName.Get(ctx, username, func(ctx context.Context) (userJSON, error) {
		u, err := s.getUser(ctx, byUsername, username)
		if confluence.IsNotFound(err) {
			return userJSON{}, userNotFound(username)
		}
		return u, err
	})
}
