package confluence

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// This file is the one table of advice: what to do about a failed call.
// Every error the client returns passes through explain, which wraps it in
// an *ActionError naming what was being done and adds the advice that fits
// both the failure and what the provider was doing.

// intent is what the provider was doing when a call failed, for advice
// that depends on it (a 403 means one thing to a read, another to a write).
type intent int

const (
	reading intent = iota
	writingGrants
	definingRoles
	assigningRoles
)

// subject is what a failed call was about, as far as the advice needs it.
type subject struct {
	spaceKey string
	grant    permissions.Grant
	roleID   string
	role     *RoleDefinition
	// lookup is "user" or "group" when the call looked one up.
	lookup string
}

// explain wraps err with the action and advice. For refusals that
// Confluence words vaguely (a 400 "used for various errors") it checks the
// likely causes itself, so the advice can name the one that applies. An
// error explained already is returned as it is.
func (c *Client) explain(ctx context.Context, in intent, action, spaceKey string, g permissions.Grant, err error) error {
	return c.explainAbout(ctx, in, action, subject{spaceKey: spaceKey, grant: g}, err)
}

func (c *Client) explainAbout(ctx context.Context, in intent, action string, about subject, err error) error {
	if err == nil {
		return nil
	}
	var already *ActionError
	if errors.As(err, &already) {
		return err
	}
	return &ActionError{Action: action, SpaceKey: about.spaceKey, Err: err, Hint: c.advise(ctx, in, about, err)}
}

// spaceNotFoundHint says what to do about a space key that names no space
// the provider's account can see.
const spaceNotFoundHint = "Check the key: keys are case-sensitive, personal spaces start with ~, and the provider's account needs " +
	"the View permission of the space to see it. The confluence_spaces data source lists the spaces the account can view"

// advise is the table: general advice first, then by what was looked up,
// then by status and intent.
func (c *Client) advise(ctx context.Context, in intent, about subject, err error) string {
	if h := GeneralHint(err); h != "" {
		return h
	}
	var nf *NotFoundError
	if errors.As(err, &nf) {
		switch nf.Kind {
		case "space":
			return spaceNotFoundHint
		case "user":
			return "Look the user up with the confluence_user data source: " + userIDHint(c.Deployment())
		case "group":
			return "Look the group up by name with the confluence_group data source: " + groupIDHint(c.Deployment())
		}
	}
	e, ok := asError(err)
	if !ok {
		return ""
	}
	switch in {
	case reading:
		switch {
		case e.StatusCode == http.StatusNotFound && about.lookup == "user" && c.Deployment() == permissions.Cloud:
			return "Confluence Cloud knows users by accountId, not by name or email: it is the last part of the user's profile address (.../wiki/people/ACCOUNTID)"
		case e.StatusCode == http.StatusNotFound && about.lookup == "user":
			return "Confluence Data Center knows users by the username they log in with, not by their full name or email"
		case e.StatusCode == http.StatusNotFound && about.lookup == "group":
			return "Check the name: the confluence_group data source finds a group by its exact name, or by a unique match that ignores case"
		case e.StatusCode == http.StatusForbidden:
			return "The provider's account may not read this: give it the View permission of the space, or Confluence administrator rights"
		case e.StatusCode == http.StatusNotFound:
			return "It does not exist, or the provider's account cannot view it"
		}
	case writingGrants:
		switch {
		case e.StatusCode == http.StatusForbidden:
			return fmt.Sprintf("The account the provider uses may not change permissions in space %s: give it the space's Admin permission (or Confluence administrator rights)", about.spaceKey)
		case IsRolesOnly(err):
			return "This Confluence Cloud site manages space access with roles only, so single permissions cannot be granted: assign a space role instead"
		case e.StatusCode == http.StatusNotFound:
			return fmt.Sprintf("Space %s does not exist or the provider's account cannot view it: check the key (keys are case-sensitive)", about.spaceKey)
		case e.StatusCode == http.StatusBadRequest:
			return c.diagnoseRefusal(ctx, about.grant, e)
		}
	case definingRoles:
		switch {
		case e.StatusCode == http.StatusNotFound && about.roleID != "":
			return fmt.Sprintf("The role %s does not exist, or the provider's account may not manage space roles: only organization and site admins may, and apps may not", about.roleID)
		case e.StatusCode == http.StatusNotFound:
			return "Only organization and site admins may create space roles, and apps may not: use such an account's credentials"
		case e.StatusCode == http.StatusBadRequest && about.role != nil && c.roles != nil:
			return c.roles.diagnoseDefinition(ctx, about.roleID, *about.role)
		}
	case assigningRoles:
		switch e.StatusCode {
		case http.StatusNotFound:
			// Who may assign which role:
			// contributing/confluence-api.md#who-can-manage-access-on-a-roles-site.
			return fmt.Sprintf("Confluence answers 404 when space %s does not exist, when the provider's account cannot view it, "+
				"and when it may not manage the space's roles: it needs a role there that holds Manage access to space (such as Admin), or site admin rights; "+
				"on a roles-only site it can moreover give only roles whose permissions it holds itself, unless it is a site admin", about.spaceKey)
		case http.StatusBadRequest:
			return c.diagnoseRefusal(ctx, about.grant, e)
		}
	}
	return ""
}

// invalidPairText is the start of Cloud's message for a key/target pair that
// does not exist (contributing/confluence-api.md#permission-writes-v1).
const invalidPairText = "Operation not supported for target"

// diagnoseRefusal finds out why Confluence refused a grant with a 400.
func (c *Client) diagnoseRefusal(ctx context.Context, g permissions.Grant, e *Error) string {
	if strings.Contains(e.Message, invalidPairText) {
		return fmt.Sprintf("%q is not a permission %s offers: valid operations are %s",
			g.Operation, c.Deployment().Title(), strings.Join(permissions.OperationNames(c.Deployment()), ", "))
	}
	if g.Principal.Type == permissions.Anonymous && g.Operation == permissions.AdministerSpace {
		return "Anonymous users cannot administer a space"
	}
	switch g.Principal.Type {
	case permissions.User:
		if _, err := c.backend.User(ctx, g.Principal.ID); IsNotFound(err) {
			return fmt.Sprintf("No user with id %q exists on this site (%s): look the user up with the confluence_user data source", g.Principal.ID, userIDHint(c.Deployment()))
		}
	case permissions.Group:
		if _, err := c.backend.Group(ctx, g.Principal.ID); IsNotFound(err) {
			return fmt.Sprintf("No group with id %q exists on this site (%s): look the group up by name with the confluence_group data source", g.Principal.ID, groupIDHint(c.Deployment()))
		}
	}
	return ""
}

func userIDHint(d permissions.Deployment) string {
	if d == permissions.Cloud {
		return "Cloud names users by accountId, not by name or email"
	}
	return "Data Center names users by username"
}

func groupIDHint(d permissions.Deployment) string {
	if d == permissions.Cloud {
		return "Cloud names groups by groupId, not by name"
	}
	return "Data Center names groups by name"
}

func joinOperations(ops []permissions.Operation) string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.String()
	}
	return strings.Join(names, ", ")
}

// credentialsHint is the advice for credentials Confluence refused. It names
// the provider's settings, which is where a user fixes them.
const credentialsHint = "Confluence did not accept the provider's credentials: check user and api_token " +
	"(on Cloud an account email and API token, on Data Center a username and password), or token " +
	"(an OAuth 2.0 access token on Cloud, a personal access token on Data Center), and that they belong to this site"

// GeneralHint says what to do about a failure whose remedy does not depend
// on what the provider was doing: refused credentials or scopes, a used-up
// quota, the Free edition. It returns "" for every other failure, whose
// advice the caller gives.
func GeneralHint(err error) string {
	e, ok := asError(err)
	if !ok {
		return ""
	}
	switch {
	case IsScopeMismatch(err):
		return scopeHint(e)
	case e.StatusCode == http.StatusUnauthorized:
		return credentialsHint
	case IsQuotaExhausted(err):
		return quotaHint(e, time.Now())
	case isFreeEdition(e):
		return "This Confluence Cloud site is on the Free edition, which offers no space permissions to manage: " +
			"giving the provider's account more rights does not change that. Upgrade the site to Standard or above, " +
			"or remove these resources from the configuration"
	case e.StatusCode == http.StatusTooManyRequests:
		return "Confluence kept answering 429 Too Many Requests: lower max_concurrency in the provider block, or raise max_retries"
	}
	return ""
}

// scopeHint names the scope a scoped token (or OAuth token) lacks, as far
// as the request tells: Cloud answers 401 "scope does not match" with
// X-Failure-Category FAILURE_CLIENT_SCOPE_CHECK (kovetskiy/mark issue 917).
// The scopes are those the v1 and v2 OpenAPI documents give each operation.
func scopeHint(e *Error) string {
	scope := scopeFor(e.Method, e.Path)
	need := "the scopes the provider needs"
	if scope != "" {
		need = "the scope " + scope
	}
	return fmt.Sprintf("Confluence refused the token's scopes for %s %s: a scoped API token or OAuth 2.0 token needs %s. "+
		"Add it to the token, or use a classic API token (the provider documentation lists every scope it uses); "+
		"a token that is not scoped does not belong to this site: check the provider's credentials", e.Method, e.Path, need)
}

// scopeFor is the OAuth scope an operation the provider calls requires.
func scopeFor(method, path string) string {
	write := method != http.MethodGet
	switch {
	case strings.Contains(path, "/rest/api/space/") && strings.Contains(path, "/permission"):
		return "write:space.permission:confluence"
	case strings.HasSuffix(path, "/space-role-mode"):
		return "read:configuration:confluence"
	case strings.Contains(path, "/space-roles") && write:
		return "write:configuration:confluence"
	case strings.Contains(path, "/role-assignments") && write:
		return "write:space.permission:confluence"
	case strings.Contains(path, "/space-roles"), strings.Contains(path, "/role-assignments"), strings.HasSuffix(path, "/space-permissions"):
		return "read:space.permission:confluence"
	case strings.Contains(path, "/api/v2/spaces"):
		return "read:space:confluence"
	case strings.Contains(path, "/rest/api/user"):
		return "read:user:confluence"
	case strings.Contains(path, "/rest/api/group"):
		return "read:group:confluence"
	}
	return ""
}

// quotaHint says that an hourly quota is used up and when it resets.
func quotaHint(e *Error, now time.Time) string {
	when := "when the hour resets"
	if !e.QuotaResetsAt.IsZero() {
		when = fmt.Sprintf("at %s (in %d minutes)", e.QuotaResetsAt.UTC().Format("15:04 MST"), int(e.QuotaResetsAt.Sub(now).Round(time.Minute).Minutes()))
	}
	return fmt.Sprintf("Confluence Cloud's hourly API quota is used up (RateLimit-Reason %s), so every request fails until it resets %s. "+
		"The provider stopped instead of retrying: run Terraform again after that. "+
		"Points-based quotas apply to OAuth 2.0, Forge and Connect apps; API-token traffic has burst limits only", e.QuotaExhausted, when)
}

// isFreeEdition recognises the refusal of a Free-edition site, whose exact
// text is not on record: a 403 that mentions the Free edition or plan.
func isFreeEdition(e *Error) bool {
	msg := strings.ToLower(e.Message)
	return e.StatusCode == http.StatusForbidden && strings.Contains(msg, "free") &&
		(strings.Contains(msg, "edition") || strings.Contains(msg, "plan"))
}
