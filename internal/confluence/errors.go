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
