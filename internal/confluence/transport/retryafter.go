package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (RFC 9110, section 10.2.3). The result is clamped to [0, limit]; absurd
// values such as 9223372036854775807 (seen on Confluence Cloud,
// contributing/confluence-api.md#rate-limits) become limit instead of
// overflowing. ok is false when there is no usable value.
func parseRetryAfter(v string, now time.Time, limit time.Duration) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(limit/time.Second) { // only ErrRange is possible here
			return limit, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return clampWait(t.Sub(now), limit), true
}

// parseRateLimitReset reads X-RateLimit-Reset, an ISO 8601 timestamp that
// Cloud may send with a 429. JRACLOUD-69262 documents it in minute precision,
// yyyy-MM-ddTHH:mmZ (a client log of 2026 shows 2026-03-26T16:00Z); seconds
// and fractions are accepted too.
func parseRateLimitReset(v string, now time.Time, limit time.Duration) (time.Duration, bool) {
	t, ok := parseResetTime(v)
	if !ok {
		return 0, false
	}
	return clampWait(t.Sub(now), limit), true
}

// resetLayouts are the forms X-RateLimit-Reset takes: RFC 3339 (which
// also reads fractional seconds) and the minute precision Atlassian
// documents.
var resetLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00"}

func parseResetTime(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range resetLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// quotaReason reports whether a 429's RateLimit-Reason names an hourly
// quota (confluence-quota-global-based, confluence-quota-tenant-based)
// rather than a burst limit: an exhausted quota denies every request until
// the hour resets, so retrying within a minute cannot help
// (https://developer.atlassian.com/cloud/confluence/rate-limiting/,
// contributing/confluence-api.md#rate-limits).
func quotaReason(h http.Header) (string, bool) {
	reason := strings.TrimSpace(h.Get("RateLimit-Reason"))
	return reason, strings.Contains(strings.ToLower(reason), "quota")
}

func clampWait(d, limit time.Duration) time.Duration {
	return min(max(d, 0), limit)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
