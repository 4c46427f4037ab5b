package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3). The result is clamped to [0, limit]; absurd values such as
// 9223372036854775807 (seen on Confluence Cloud, confluence-cloud-api.md §7)
// become limit instead of overflowing. ok is false when there is no usable value.
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

// parseRateLimitReset reads X-RateLimit-Reset, an ISO-8601 timestamp that
// Cloud may send with a 429 (confluence-cloud-api.md §7).
func parseRateLimitReset(v string, now time.Time, limit time.Duration) (time.Duration, bool) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return 0, false
	}
	return clampWait(t.Sub(now), limit), true
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
