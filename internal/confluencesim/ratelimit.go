package confluencesim

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"
)

// RateLimit is a token bucket that every API request to the site draws
// from (Options.RateLimit): the bucket holds Burst tokens and refills at
// PerSecond; a request that finds it empty is answered 429 with the
// flavour's rate limit headers (contributing/confluence-api.md#rate-limits,
// contributing/confluence-api.md#data-center-rate-limiting). The
// out-of-band Go API does not draw from it.
//
// UNVERIFIED (contributing/confluence-api.md#rate-limits): Cloud publishes
// neither its burst limits nor what they count (per site, per account, per
// app); chose one bucket per site, so that a benchmark sets how fast the
// whole site may be called. Data Center's limiter is an admin setting of
// this shape, tokens per interval up to a bucket size.
type RateLimit struct {
	// PerSecond is how many tokens come back each second; 0 switches the
	// limit off.
	PerSecond float64
	// Burst is the bucket's size, how many requests may arrive at once; 0
	// is one second's worth (PerSecond rounded up, at least 1).
	Burst int
}

// enabled reports whether the limit is on.
func (l RateLimit) enabled() bool { return l.PerSecond > 0 }

// check refuses rates that cannot be a bucket.
func (l RateLimit) check() error {
	switch {
	case math.IsNaN(l.PerSecond) || math.IsInf(l.PerSecond, 0) || l.PerSecond < 0:
		return fmt.Errorf("option RateLimit.PerSecond %v is not a rate of zero (off) or more", l.PerSecond)
	case l.Burst < 0:
		return fmt.Errorf("option RateLimit.Burst %d is negative", l.Burst)
	case l.Burst > 0 && l.PerSecond == 0:
		return fmt.Errorf("option RateLimit.Burst %d needs RateLimit.PerSecond", l.Burst)
	}
	return nil
}

// burst is the bucket's size.
func (l RateLimit) burst() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return max(1, int(math.Ceil(l.PerSecond)))
}

// tokenBucket is a RateLimit in use. It is safe for concurrent use and
// keeps real time, unless a test sets now.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	size   float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newTokenBucket(l RateLimit) *tokenBucket {
	b := &tokenBucket{rate: l.PerSecond, size: float64(l.burst()), now: time.Now}
	b.tokens, b.last = b.size, b.now()
	return b
}

// take draws a token. When there is none it reports how long until one is
// back, and draws nothing: a refused request costs no token.
func (b *tokenBucket) take() (ok bool, now time.Time, wait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now = b.now()
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(b.size, b.tokens+elapsed.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, now, 0
	}
	return false, now, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// retryAfterSeconds is what Retry-After says for a wait: whole seconds,
// rounded up, at least 1, so that a client that waits as told finds a token.
func retryAfterSeconds(wait time.Duration) int64 {
	return max(1, int64(math.Ceil(wait.Seconds())))
}

// throttleFault is how a flavour answers a request the bucket refuses.
type throttleFault func(l RateLimit, now time.Time, wait time.Duration) Fault

// cloudThrottle answers as Cloud's burst limit does (see CloudBurstLimited):
// Retry-After in seconds, X-RateLimit-Limit (the bucket's size),
// X-RateLimit-Remaining 0, X-RateLimit-Reset (the request's time plus the
// Retry-After, to the minute) and RateLimit-Reason.
//
// UNVERIFIED (contributing/confluence-api.md#rate-limits): the record shows
// these headers on 429 answers only; chose to send none on other answers.
func cloudThrottle(l RateLimit, now time.Time, wait time.Duration) Fault {
	seconds := retryAfterSeconds(wait)
	return cloudBurstFault("", 1, seconds, l.burst(), now)
}

// dataCenterThrottle answers as Data Center's rate limiter does (see
// DataCenterRateLimitedWith): retry-after in lower case and the
// X-RateLimit-* headers of an empty bucket.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-rate-limiting): the
// admin's setting is whole tokens per whole seconds; chose to state a rate
// of one or more per second as tokens per second, rounded, and a slower one
// as one token per interval of whole seconds, rounded. The documentation
// speaks of external REST calls; chose to limit the remote API (JSON-RPC)
// as well, the harder answer for a client.
func dataCenterThrottle(l RateLimit, _ time.Time, wait time.Duration) Fault {
	fill, interval := int(math.Round(l.PerSecond)), 1
	if l.PerSecond < 1 {
		fill, interval = 1, int(math.Round(1/l.PerSecond))
	}
	return Fault{
		Times: 1, Status: http.StatusTooManyRequests,
		Header: dataCenterRateLimitHeaders(int(retryAfterSeconds(wait)), l.burst(), max(fill, 1), interval),
	}
}
