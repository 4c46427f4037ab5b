package state

import (
	"errors"
	"fmt"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// rules are the permission rules that differ between deployments; each
// deployment sets them in flavourRules. The rules every deployment shares
// (the operation exists, the principal exists, anonymous users cannot
// administer) are not switches.
type rules struct {
	// readFirst: a principal must hold read/space before any other grant
	// (RuleReadSpaceFirst).
	readFirst bool
	// cascadeRead: removing read/space removes all of the principal's grants
	// in the space.
	cascadeRead bool
	// lastAdmin: the last user or group holding administer/space cannot lose
	// it (RuleLastAdmin).
	lastAdmin bool
}

var flavourRules = map[permissions.Deployment]rules{
	// Cloud: read/space first
	// (contributing/confluence-api.md#permission-writes-v1), cascade and last
	// admin (contributing/confluence-api.md#removing-a-grant-v1).
	permissions.Cloud: {readFirst: true, cascadeRead: true, lastAdmin: true},
	// UNVERIFIED
	// (contributing/confluence-api.md#data-center-ordering-and-the-last-admin):
	// no source says Data Center refuses grants without read/space, cascades
	// on revoking it, or keeps the last admin (the docs say a Confluence admin
	// must restore lost admin access); chose to enforce none of the three, so
	// that the provider's own ordering and lock-out guard are what protect
	// Data Center users.
	permissions.DataCenter: {},
}

// rulesOf returns the rules of a deployment; "" (any deployment) has none
// of the switches on.
func rulesOf(d permissions.Deployment) rules { return flavourRules[d] }

// Rule names one of Confluence's refusals. The state decides which rule a
// change breaks; each flavour decides the status code and message.
type Rule string

const (
	// RuleUnknownSpace: no space with that key or id, or the caller cannot
	// view it (Confluence does not tell the two apart,
	// contributing/confluence-api.md#a-404-is-not-proof-of-absence).
	RuleUnknownSpace Rule = "unknown-space"
	// RuleNotSpaceAdmin: the caller may view the space but not manage its
	// permissions (403, contributing/confluence-api.md#permission-writes-v1).
	RuleNotSpaceAdmin Rule = "not-space-admin"
	// RuleRolesOnly: the site manages access with space roles only, so legacy
	// grant writes are refused (contributing/confluence-api.md#roles-only-sites).
	RuleRolesOnly Rule = "roles-only"
	// RuleFreeEdition: the site is on Confluence's Free edition, whose
	// space permissions cannot be changed (Config.FreeEdition).
	RuleFreeEdition Rule = "free-edition"
	// RuleInvalidOperation: the key/target pair is not a space permission of
	// this deployment (the table of
	// contributing/confluence-api.md#permission-writes-v1).
	RuleInvalidOperation Rule = "invalid-operation"
	// RuleUnknownUser: no account with that accountId.
	RuleUnknownUser Rule = "unknown-user"
	// RuleUnknownGroup: no group with that id (400,
	// contributing/confluence-api.md#permission-writes-v1).
	RuleUnknownGroup Rule = "unknown-group"
	// RuleAnonymousAdmin: anonymous users cannot administer a space.
	RuleAnonymousAdmin Rule = "anonymous-admin"
	// RuleReadSpaceFirst: the principal needs read/space before any other
	// grant (contributing/confluence-api.md#permission-writes-v1).
	RuleReadSpaceFirst Rule = "read-space-first"
	// RuleDuplicateGrant: the principal already holds the operation
	// (contributing/confluence-api.md#permission-writes-v1).
	RuleDuplicateGrant Rule = "duplicate-grant"
	// RuleUnknownGrant: no grant with that id in that space
	// (contributing/confluence-api.md#removing-a-grant-v1).
	RuleUnknownGrant Rule = "unknown-grant"
	// RuleLastAdmin: the change would leave the space with no user or group
	// holding administer/space
	// (contributing/confluence-api.md#removing-a-grant-v1).
	RuleLastAdmin Rule = "last-admin"
)

// RuleError is a change Confluence refuses. It carries what a flavour needs to
// render the real message.
type RuleError struct {
	Rule      Rule
	SpaceKey  string
	Principal permissions.Principal
	Operation permissions.Operation
	GrantID   int64
}

func (e *RuleError) Error() string {
	switch e.Rule {
	case RuleUnknownSpace:
		return fmt.Sprintf("no space %s (or the caller cannot view it)", e.SpaceKey)
	case RuleNotSpaceAdmin:
		return fmt.Sprintf("the caller cannot manage the permissions of space %s", e.SpaceKey)
	case RuleRolesOnly:
		return "the site uses space roles only; legacy grant writes are refused"
	case RuleFreeEdition:
		return "the site is on the Free edition; its space permissions cannot be changed"
	case RuleInvalidOperation:
		return fmt.Sprintf("%s is not a space permission", e.Operation)
	case RuleUnknownUser:
		return fmt.Sprintf("no user %s", e.Principal.ID)
	case RuleUnknownGroup:
		return fmt.Sprintf("no group %s", e.Principal.ID)
	case RuleAnonymousAdmin:
		return fmt.Sprintf("anonymous users cannot hold %s", permissions.AdministerSpace)
	case RuleReadSpaceFirst:
		return fmt.Sprintf("%s lacks %s in %s, so it cannot be given %s", e.Principal, permissions.ReadSpace, e.SpaceKey, e.Operation)
	case RuleDuplicateGrant:
		return fmt.Sprintf("%s already holds %s in %s", e.Principal, e.Operation, e.SpaceKey)
	case RuleUnknownGrant:
		return fmt.Sprintf("no grant %d in space %s", e.GrantID, e.SpaceKey)
	case RuleLastAdmin:
		return fmt.Sprintf("removing it would leave space %s with no %s grant", e.SpaceKey, permissions.AdministerSpace)
	}
	return string(e.Rule)
}

// IsRule reports whether err is a refusal by rule r, of a grant change or
// of a space role request.
func IsRule(err error, r Rule) bool {
	var re *RuleError
	var role *RoleError
	return errors.As(err, &re) && re.Rule == r || errors.As(err, &role) && role.Rule == r
}
