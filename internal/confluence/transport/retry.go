package transport

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Backoff when the server names no wait: base·2^(retry-1), capped, with equal
// jitter (half fixed, half random) so that parallel Terraform workers hitting
// the same limit do not come back in lockstep.
const (
	backoffBase = 250 * time.Millisecond
	backoffCap  = 4 * time.Second
)

// retryPlan decides whether an attempt is repeated and after how long.
//
// The policy (contributing/confluence-api.md#rate-limits):
//   - 429 is retried for every method, POST included: the request was
//     rejected before it was processed.
//   - Other 5xx (except 501) and transport failures are retried only for
//     idempotent calls. A POST that failed otherwise may have been applied,
//     so it goes back to the caller, which re-reads and adopts instead of
//     blindly repeating a grant creation.
//   - The wait is the server's Retry-After (429 also accepts
//     X-RateLimit-Reset), clamped to MaxRetryWait, else exponential backoff.
//   - At most MaxRetries retries; never after the caller's context ended.
//   - A 429 whose RateLimit-Reason names an hourly quota is retried only
//     when the quota resets within MaxRetryWait: until then every request
//     is refused, and several clamped waits would only delay the error.
func (c *API) retryPlan(cl call, out outcome, attempt int) (time.Duration, bool) {
	if out.succeeded() || out.final || attempt > c.maxRetries || !retryable(cl, out) {
		return 0, false
	}
	if _, quota := quotaExhausted(out); quota && c.quotaWait(out) > c.maxRetryWait {
		return 0, false
	}
	if d := c.serverWait(out); d > 0 {
		return d, true
	}
	return c.backoff(attempt), true
}

// quotaExhausted reports a 429 that says an hourly quota is used up, with
// the quota's name.
func quotaExhausted(out outcome) (string, bool) {
	if out.err != nil || out.status != http.StatusTooManyRequests {
		return "", false
	}
	return quotaReason(out.header)
}

// quotaWait is how long until an exhausted quota resets, unclamped: from
// X-RateLimit-Reset, else Retry-After; zero when neither says.
func (c *API) quotaWait(out outcome) time.Duration {
	now := time.Now()
	if t, ok := parseResetTime(out.header.Get("X-RateLimit-Reset")); ok {
		return max(t.Sub(now), 0)
	}
	if d, ok := parseRetryAfter(out.header.Get("Retry-After"), now, 24*time.Hour); ok {
		return d
	}
	return 0
}

func retryable(cl call, out outcome) bool {
	switch {
	case out.err != nil:
		return cl.idempotent
	case out.status == http.StatusTooManyRequests:
		return true
	case out.status >= 500 && out.status != http.StatusNotImplemented:
		return cl.idempotent
	}
	return false
}

// serverWait is the wait the server asked for, clamped; zero if none.
func (c *API) serverWait(out outcome) time.Duration {
	now := time.Now()
	if d, ok := parseRetryAfter(out.header.Get("Retry-After"), now, c.maxRetryWait); ok {
		return d
	}
	if out.status == http.StatusTooManyRequests {
		if d, ok := parseRateLimitReset(out.header.Get("X-RateLimit-Reset"), now, c.maxRetryWait); ok {
			return d
		}
	}
	return 0
}

// backoff is the wait before retry number `retry` (1-based).
func (c *API) backoff(retry int) time.Duration {
	d := backoffCap
	if shift := retry - 1; shift < 8 { // 250ms<<4 already exceeds the cap
		d = min(backoffBase<<shift, backoffCap)
	}
	half := d / 2
	return half + time.Duration(c.jitter(int64(half)+1))
}

// pause waits before the next attempt, giving up at once when the context
// would end before the wait does.
func (c *API) pause(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("waiting %s for the next attempt would pass the deadline: %w", d, context.DeadlineExceeded)
	}
	return c.sleep(ctx, d)
}

// SleepContext waits d, or less when ctx ends first (then it returns
// ctx.Err()). It is what a nil Config.Sleep waits with; callers that pace
// requests of their own, such as the probe's read-back, wait the same way.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
