package state

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Every account has a Data Center identity besides its accountId, so that one
// seed serves both flavours
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups): the
// username people sign in with and type in configuration, and the immutable
// user key the REST API addresses users by. Groups are addressed by name on
// Data Center (their ids stay internal), and names compare without case.

// DCIdentity returns the account's username and user key, defaulted as
// SeedUser documents.
func (u SeedUser) DCIdentity() (username, userKey string) {
	username, userKey = u.Username, u.UserKey
	if username == "" {
		username = defaultUsername(u)
	}
	if userKey == "" {
		userKey = derivedUserKey(u.AccountID)
	}
	return username, userKey
}

func defaultUsername(u SeedUser) string {
	if local, _, ok := strings.Cut(u.Email, "@"); ok && local != "" {
		return local
	}
	return u.AccountID
}

// derivedUserKey is 32 hex digits, the length of real keys such as
// "4028800d98315ec60198315f45c00000" (CONFSERVER-100505), derived from the accountId
// so that a seed gives the same keys every run.
func derivedUserKey(accountID string) string {
	sum := sha256.Sum256([]byte("confluencesim user key\x00" + accountID))
	return hex.EncodeToString(sum[:16])
}

// userByUsername finds an account by username, ignoring case as Data Center
// sign-in does.
//
// UNVERIFIED
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups): the
// record only says user keys are case-sensitive; chose to compare usernames
// without case, as Confluence stores them in lower case.
func (s *Store) userByUsername(username string) *User {
	for _, u := range s.users {
		if strings.EqualFold(u.Username, username) {
			return u
		}
	}
	return nil
}

// userByKey finds an account by user key, which is case-sensitive
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
func (s *Store) userByKey(key string) *User {
	for _, u := range s.users {
		if u.UserKey == key {
			return u
		}
	}
	return nil
}

// groupByName finds a group by name, ignoring case.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-group-names): group
// names are case-insensitive in Crowd-backed directories; chose that for every
// lookup and grant.
func (s *Store) groupByName(name string) *Group {
	for _, g := range s.groups {
		if strings.EqualFold(g.Name, name) {
			return g
		}
	}
	return nil
}

// UserByUsername returns the account with the Data Center username,
// ignoring case.
func (s *Store) UserByUsername(username string) (User, bool) {
	return s.findUser(func() *User { return s.userByUsername(username) })
}

// UserByKey returns the account with the Data Center user key.
func (s *Store) UserByKey(userKey string) (User, bool) {
	return s.findUser(func() *User { return s.userByKey(userKey) })
}

// findUser runs find under the read lock and copies the account found.
func (s *Store) findUser(find func() *User) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := find(); u != nil {
		return *u, true
	}
	return User{}, false
}

// GroupByName returns the group with the name, ignoring case.
func (s *Store) GroupByName(name string) (Group, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if g := s.groupByName(name); g != nil {
		return g.snapshot(), true
	}
	return Group{}, false
}

// UserKeyPrincipal is the user a REST path or body names by user key
// (contributing/confluence-api.md#rest-space-permissions).
func (s *Store) UserKeyPrincipal(key string) (permissions.Principal, bool) {
	u, ok := s.UserByKey(key)
	return UserPrincipal(u.AccountID), ok
}

// GroupNamePrincipal is the group a REST path or body names
// (contributing/confluence-api.md#rest-space-permissions).
func (s *Store) GroupNamePrincipal(name string) (permissions.Principal, bool) {
	g, ok := s.GroupByName(name)
	return GroupPrincipal(g.ID), ok
}

// EntityPrincipal resolves a remote API remoteEntityName, "either a group or
// a user" name (contributing/confluence-api.md#the-json-rpc-remote-api).
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): how a
// name that is both a username and a group name resolves is not known; chose
// the user.
func (s *Store) EntityPrincipal(name string) (permissions.Principal, bool) {
	if u, ok := s.UserByUsername(name); ok {
		return UserPrincipal(u.AccountID), true
	}
	return s.GroupNamePrincipal(name)
}
