package confluence

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is a failed API call: Confluence answered with a non-success status.
// It carries no request headers and no credentials, so it is safe to show.
type Error struct {
	StatusCode int
	Method     string
	// Path is the URL path without query and without the site origin.
	Path string
	// Code is the v2 error code (NOT_FOUND, ...) when the body had one.
	Code string
	// Message is what Confluence said, without Java exception class prefixes.
	Message string
	// RetryAfter is the server's requested wait on 429/503, already clamped.
	RetryAfter time.Duration
	// QuotaExhausted is the RateLimit-Reason of a 429 that says an hourly
	// quota is used up (confluence-quota-tenant-based, ...); "" otherwise.
	QuotaExhausted string
	// QuotaResetsAt is when that quota resets, when Confluence said so.
	QuotaResetsAt time.Time
	// FailureCategory is the X-Failure-Category header with which Cloud's
	// gateway explains some refusals (FAILURE_CLIENT_SCOPE_CHECK).
	FailureCategory string
}

func (e *Error) Error() string {
	status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	msg := ""
	if e.Message != "" {
		msg = ": " + e.Message
	}
	if e.FailureCategory != "" {
		msg += " (" + e.FailureCategory + ")"
	}
	return fmt.Sprintf("Confluence answered %s to %s %s%s", status, e.Method, e.Path, msg)
}

// IsQuotaExhausted reports a 429 saying that an hourly API quota is used
// up: requests fail until it resets, so there is no point retrying soon.
func IsQuotaExhausted(err error) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == http.StatusTooManyRequests && e.QuotaExhausted != ""
}

// IsScopeMismatch reports Cloud's 401 to a scoped token that lacks the
// scope the request needs ("Unauthorized; scope does not match").
func IsScopeMismatch(err error) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == http.StatusUnauthorized &&
		(e.FailureCategory == "FAILURE_CLIENT_SCOPE_CHECK" || strings.Contains(strings.ToLower(e.Message), "scope does not match"))
}

// rolesOnlyText is the message Cloud answers legacy grant writes with on a
// site that uses space roles only
// (contributing/confluence-api.md#roles-only-sites).
const rolesOnlyText = "not supported in roles-only mode"

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func hasStatus(err error, code int) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == code
}

// NotFoundError says that something looked up by name does not exist (or,
// as Confluence cannot tell the two apart, that the caller may not see it).
type NotFoundError struct {
	Kind string // "space", "user", "group"
	Name string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %q does not exist, or the provider's account cannot view it", e.Kind, e.Name)
}

// IsNotFound reports a 404 or a NotFoundError. On Confluence a 404 also
// means "you may not see it", so callers decide what it proves.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return hasStatus(err, http.StatusNotFound) || errors.As(err, &nf)
}

// IsUnauthorized reports a 401: missing or wrong credentials.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports a 403: the account may not do this.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsBadRequest reports a 400, which Confluence uses for most refusals.
func IsBadRequest(err error) bool { return hasStatus(err, http.StatusBadRequest) }

// IsRateLimited reports a 429 that survived the retries.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// IsRolesOnly reports Cloud's refusal of legacy grant writes on a site that
// manages space access with roles only.
func IsRolesOnly(err error) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == http.StatusBadRequest && strings.Contains(e.Message, rolesOnlyText)
}

// ActionError is a failed call, explained: what was being done, in which
// space (when one), what Confluence answered and what to do about it. Every
// error the Client returns is one, for grant and role writes and reads
// alike, so that callers render them all the same way.
type ActionError struct {
	Action   string // "granting create/page to user 5b10…"
	SpaceKey string // "" when the call was about no space
	Hint     string
	Err      error
}

func (e *ActionError) Error() string {
	msg := fmt.Sprintf("%s in space %s failed: %v", e.Action, e.SpaceKey, e.Err)
	var nf *NotFoundError
	if e.SpaceKey == "" || strings.Contains(e.Action, "space "+e.SpaceKey) ||
		errors.As(e.Err, &nf) && nf.Kind == "space" && nf.Name == e.SpaceKey {
		msg = fmt.Sprintf("%s failed: %v", e.Action, e.Err) // the space is named already
	}
	if e.Hint != "" {
		msg += ". " + e.Hint
	}
	return msg
}

func (e *ActionError) Unwrap() error { return e.Err }

// NotRemovedError says that Confluence answered a removal with 404 although
// the grant is still listed: the id the list gives is not one the removal
// endpoint knows. It deliberately does not unwrap to the 404, which would
// read as "already gone".
type NotRemovedError struct {
	Grant StoredGrant
	Err   error
}

func (e *NotRemovedError) Error() string {
	return fmt.Sprintf("%v, but the space still lists %s (permission id %s): the grant was not removed. "+
		"Confluence Cloud does not document that the ids of its v2 permission list are the ids its v1 removal takes, and on this site they appear to differ. "+
		"Remove the grant in the space's settings, and report this at https://github.com/spacekeeper/terraform-provider-confluence/issues "+
		"with the report of confluence-probe (see contributing/probe.md)", e.Err, e.Grant.Domain(), e.Grant.ID)
}

// IncompleteAssignmentError reports role assignment changes of a space
// that failed, with what the space holds after the failure: Done are the
// changes Confluence made anyway (in a split request, or in one it applied
// in part), NotDone the others. Empty when the space could not be read
// again.
type IncompleteAssignmentError struct {
	SpaceKey      string
	Done, NotDone []RoleAssignment
	Err           error
	// roleName names a role id for people; nil shows the id.
	roleName func(id string) string
}

func (e *IncompleteAssignmentError) Error() string {
	if len(e.Done) == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v\n\nIn space %s, %d of %d role assignment changes were applied before this failure: %s; not applied: %s. "+
		"Terraform state records what Confluence now holds; fix the cause and apply again to make the remaining changes.",
		e.Err, e.SpaceKey, len(e.Done), len(e.Done)+len(e.NotDone), e.describe(e.Done), e.describe(e.NotDone))
}

func (e *IncompleteAssignmentError) Unwrap() error { return e.Err }

// describe names changes as configuration writes them: "user:ID gets Viewer".
func (e *IncompleteAssignmentError) describe(list []RoleAssignment) string {
	if len(list) == 0 {
		return "none"
	}
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = strings.ToLower(string(a.Principal.Type)) + ":" + a.Principal.ID
		switch {
		case a.RoleID == "":
			parts[i] += " loses its role"
		case e.roleName != nil:
			parts[i] += " gets " + e.roleName(a.RoleID)
		default:
			parts[i] += " gets role " + a.RoleID
		}
	}
	return strings.Join(parts, ", ")
}
