package confluence

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

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
		return "Confluence kept answering 429 Too Many Requests: run Terraform with a lower -parallelism, or raise max_retries"
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
