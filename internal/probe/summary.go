package probe

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The two checks below send nothing: they read every answer of the run.

// Layouts of X-RateLimit-Reset (contributing/confluence-api.md#rate-limit-reset-times):
// minute precision as JRACLOUD-69262 documents it, and RFC 3339 with
// seconds.
var (
	minuteLayouts = []string{"2006-01-02T15:04Z", "2006-01-02T15:04Z07:00"}
	secondLayouts = []string{time.RFC3339, time.RFC3339Nano}
)

// resetPrecision says how a reset time parses: "minute precision",
// "seconds (RFC 3339)" or "unreadable".
func resetPrecision(v string) string {
	v = strings.TrimSpace(v)
	for _, l := range minuteLayouts {
		if _, err := time.Parse(l, v); err == nil {
			return "minute precision (2006-01-02T15:04Z)"
		}
	}
	for _, l := range secondLayouts {
		if _, err := time.Parse(l, v); err == nil {
			return "seconds (RFC 3339)"
		}
	}
	return "unreadable"
}

func isRateLimitHeader(name string) bool {
	return name == "Retry-After" || name == "Beta-Retry-After" ||
		strings.HasPrefix(name, "X-RateLimit-") || strings.HasPrefix(name, "X-Beta-RateLimit-") ||
		strings.HasPrefix(name, "RateLimit-")
}

// maxValuesShown bounds the distinct values listed per header.
const maxValuesShown = 5

// checkRateLimitHeaders lists the rate-limit headers of every answer
// (contributing/confluence-api.md#rate-limits,
// contributing/confluence-api.md#data-center-rate-limiting).
func checkRateLimitHeaders(_ context.Context, r *run, res *Result) {
	entries := r.rec.entries()
	values := map[string][]string{}
	answers := map[string]int{}
	var where []string
	limited, carrying := 0, 0
	for _, e := range entries {
		if e.status == http.StatusTooManyRequests {
			limited++
		}
		seen := false
		for name, v := range e.headers {
			if !isRateLimitHeader(name) {
				continue
			}
			seen = true
			answers[name]++
			if !slices.Contains(values[name], v) {
				values[name] = append(values[name], v)
			}
		}
		if seen {
			carrying++
			where = append(where, fmt.Sprintf("%s: %s -> %d", e.check, e.request, e.status))
		}
	}
	res.fact("answers read", "%d", len(entries))
	res.fact("429 answers", "%d", limited)
	if len(values) == 0 {
		res.answered("none seen in %d answers", len(entries))
		if r.cfg.deployment == permissions.Cloud {
			res.mean("No answer of this run carried a rate-limit header: API-token traffic meets burst limits only when it is fast, and the hourly quotas apply to apps (Forge, Connect, OAuth 2.0).")
		} else {
			res.mean("No answer of this run carried a rate-limit header: Data Center sends them only when an admin has turned rate limiting on.")
		}
		return
	}
	for _, name := range sortedKeys(values) {
		vs := values[name]
		shown := vs
		if len(vs) > maxValuesShown {
			shown = vs[:maxValuesShown]
		}
		res.fact(name, "%s (on %d answer(s), %d distinct value(s))", strings.Join(shown, " | "), answers[name], len(vs))
	}
	res.fact("seen on", "%s", listOrNone(where))
	var precisions []string
	for _, name := range []string{"X-RateLimit-Reset", "X-Beta-RateLimit-Reset"} {
		for _, v := range values[name] {
			p := resetPrecision(v)
			res.fact(name+" "+v, "%s", p)
			if !slices.Contains(precisions, p) {
				precisions = append(precisions, p)
			}
		}
	}
	answer := fmt.Sprintf("%d header(s) on %d answer(s)", len(values), carrying)
	if len(precisions) > 0 {
		answer += "; X-RateLimit-Reset in " + strings.Join(precisions, " and ")
	}
	res.answered("%s", answer)
	for _, p := range precisions {
		switch {
		case strings.HasPrefix(p, "minute"):
			res.mean("X-RateLimit-Reset is to the minute, as JRACLOUD-69262 documents; the provider reads it (and RFC 3339), and the simulator's Cloud faults send it so.")
		case strings.HasPrefix(p, "seconds"):
			res.mean("X-RateLimit-Reset carries seconds (RFC 3339), unlike JRACLOUD-69262's minute precision; the provider reads both.")
		default:
			res.mean("An X-RateLimit-Reset the provider cannot read: it then falls back to Retry-After or its own backoff. Please report the value.")
		}
	}
	for _, v := range values["RateLimit-Reason"] {
		if strings.Contains(strings.ToLower(v), "quota") {
			res.mean("RateLimit-Reason %q names an hourly quota: every request fails until it resets, and the provider reports the reset time instead of retrying.", v)
		} else {
			res.mean("RateLimit-Reason %q is not a quota: a burst limit, which the provider waits out with Retry-After.", v)
		}
	}
}

// checkCredentials lists every 401 of the run with its X-Failure-Category
// (contributing/confluence-api.md#scoped-tokens-without-the-scope).
func checkCredentials(_ context.Context, r *run, res *Result) {
	entries := r.rec.entries()
	var refused []logEntry
	succeeded := 0
	for _, e := range entries {
		switch {
		case e.status == http.StatusUnauthorized:
			refused = append(refused, e)
		case e.status >= 200 && e.status < 300:
			succeeded++
		}
	}
	res.fact("answers read", "%d", len(entries))
	res.fact("2xx answers", "%d", succeeded)
	if len(entries) == 0 {
		res.answered("no answer came in this run")
		res.mean("Nothing reached the site: see the failures above (address, network, proxy).")
		return
	}
	if len(refused) == 0 {
		res.answered("no 401 in %d answers", len(entries))
		res.mean("The credentials were accepted by every request of this run.")
		return
	}
	categories := map[string]int{}
	onlyRPC := true
	for _, e := range refused {
		cat := e.headers["X-Failure-Category"]
		detail := ""
		if cat != "" {
			categories[cat]++
			detail = ", X-Failure-Category " + cat
		}
		if reason := e.headers["X-Seraph-LoginReason"]; reason != "" {
			detail += ", X-Seraph-LoginReason " + reason
		}
		if e.message != "" {
			detail += ": " + e.message
		}
		if !strings.Contains(e.request, dcRPC) {
			onlyRPC = false
		}
		res.fact("401", "%s: %s%s", e.check, e.request, detail)
	}
	switch {
	case categories["FAILURE_CLIENT_SCOPE_CHECK"] > 0:
		res.answered("401 on %d request(s), %d with FAILURE_CLIENT_SCOPE_CHECK", len(refused), categories["FAILURE_CLIENT_SCOPE_CHECK"])
		res.mean("FAILURE_CLIENT_SCOPE_CHECK: a scoped token lacks the scope those requests need (kovetskiy/mark#917). Add the scopes contributing/confluence-api.md#cloud-addresses-and-credentials lists; the provider tells this 401 from wrong credentials.")
	case onlyRPC && succeeded > 0:
		res.answered("401 on %d request(s), all to the remote API", len(refused))
		res.mean("Only the remote API refused, and other requests succeeded with the same credentials: the remote API is most likely switched off, not the credentials wrong.")
	case succeeded == 0:
		res.answered("every request refused: 401 on %d request(s)", len(refused))
		res.mean("The credentials are wrong: user, API token or password, or (Cloud) a scoped token sent to the site address instead of https://api.atlassian.com/ex/confluence/{cloudId}.")
	default:
		res.answered("401 on %d of %d answers", len(refused), len(entries))
		res.mean("Some requests were refused with 401 while others succeeded: the account may lack access to those APIs; the categories and messages are listed.")
	}
	if len(categories) > 0 {
		res.fact("failure categories", "%s", countList(categories))
	}
}
