package transport

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// pace is what every caller of one API, that is every request the process
// sends to the site, shares about how fast it may go. Without it each
// throttled request waits on its own, and workers throttled together come
// back together and are throttled again; with Cloud's points-based quotas
// every request spared counts.
//
//   - A shared pause: a 429, or a 503 with Retry-After, holds back every
//     caller until the server's time has passed. A pause never shortens one
//     already in force.
//   - An adaptive limit on the requests in flight (AIMD, as TCP's window):
//     it starts at the maximum, is halved on a 429 (never below 1) and grows
//     by one after a window of answers, never above the maximum.
//   - A learned send rate. Rate limits count requests over time (Cloud's
//     burst limits, Data Center's token bucket), and a limit on requests in
//     flight cannot keep below one when answers are fast: ten requests in
//     flight at 20 ms each are 500 a second. So the first 429 also sets a
//     rate, a little below the rate of answers that succeeded before it (over
//     at least a second), and requests are spaced to keep to it; it grows by
//     a tenth every second without a 429, and each 429 sets it again from
//     what succeeded since the last one. Until a 429, no rate applies.
//
// The limit applies to every request, reads as well as writes: Cloud's burst
// limits count requests whatever their method and its quotas charge reads
// too, so the reads of a refresh are throttled as readily as the writes of
// an apply; and a 429 says the site is overloaded, not which method did it.
// A slot is held for one attempt only, never across a retry's wait or from
// one page of a list to the next, so no caller can hold one while waiting
// for another.
type pace struct {
	sleep  func(ctx context.Context, d time.Duration) error
	logger Logger
	// off: each request waits out its own 429s and nothing bounds the
	// requests in flight (Config.Unpaced).
	off bool

	mu sync.Mutex

	// No request is sent before until. gen numbers the pauses (an extension
	// is a new one) and each caller remembers the last one it waited out:
	// the return of Sleep is taken as the wait having passed, so that an
	// instant fake Sleep (tests, the probe) is not spun on while the real
	// clock catches up.
	until time.Time
	gen   uint64

	max, limit int
	inFlight   int

	// The learned rate, in requests per second; 0 until the first 429. next
	// is when the next request may be sent; okSince counts the successful
	// answers since epoch, when the rate was last set, and grown is when it
	// last grew.
	rate               float64
	next, epoch, grown time.Time
	okSince            int
	answers            int           // under the current limit since it last changed, toward the next increase
	cuts               uint64        // 429s that halved the limit (or found it at 1)
	freed              chan struct{} // closed, and replaced, when a slot frees or the limit grows
}

// slot is one attempt in flight. cuts is the pace's count when it was sent:
// a 429 to a request sent before the last cut was answered by that cut, so
// requests throttled together halve the limit once, not once each; and only
// answers to requests sent under the current limit count toward growing it.
type slot struct{ cuts uint64 }

// The learned rate: set to rateBackoff of what succeeded (measured over at
// least rateWindow), grown by rateGrowth every rateWindow without a 429.
const (
	rateBackoff = 0.9
	rateGrowth  = 1.1
	rateWindow  = time.Second
	minRate     = 1.0
)

func newPace(maxInFlight int, sleep func(context.Context, time.Duration) error, logger Logger) *pace {
	return &pace{sleep: sleep, logger: logger, max: maxInFlight, limit: maxInFlight, freed: make(chan struct{}), epoch: time.Now()}
}

// admit waits for a slot under the limit, then for the pause in force to
// pass, giving up when ctx ends. The pause comes last because it is the
// check that must stand right before the request is sent. waited is the
// caller's record of the last pause it waited out.
func (p *pace) admit(ctx context.Context, waited *uint64) (slot, error) {
	if p.off {
		return slot{}, nil
	}
	s, err := p.acquire(ctx)
	if err != nil {
		return slot{}, err
	}
	err = p.awaitPause(ctx, waited)
	if err == nil {
		err = p.awaitTurn(ctx)
	}
	if err != nil {
		p.mu.Lock()
		p.free()
		p.mu.Unlock()
		return slot{}, err
	}
	return s, nil
}

// awaitTurn spaces requests to the learned rate: each takes the next send
// time and waits for it.
func (p *pace) awaitTurn(ctx context.Context) error {
	p.mu.Lock()
	if p.rate <= 0 {
		p.mu.Unlock()
		return nil
	}
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(time.Duration(float64(time.Second) / p.rate))
	p.mu.Unlock()
	if d := time.Until(at); d > 0 {
		return p.sleep(ctx, d)
	}
	return nil
}

func (p *pace) acquire(ctx context.Context) (slot, error) {
	for {
		p.mu.Lock()
		if p.inFlight < p.limit {
			p.inFlight++
			s := slot{cuts: p.cuts}
			p.mu.Unlock()
			return s, nil
		}
		freed := p.freed
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return slot{}, ctx.Err()
		case <-freed:
		}
	}
}

func (p *pace) awaitPause(ctx context.Context, waited *uint64) error {
	for {
		p.mu.Lock()
		until, gen := p.until, p.gen
		p.mu.Unlock()
		if gen == *waited {
			return nil
		}
		d := time.Until(until)
		if d <= 0 {
			*waited = gen
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(until) {
			return fmt.Errorf("Confluence asked every request to wait %s, which would pass the deadline: %w", d, context.DeadlineExceeded)
		}
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
		*waited = gen // and look again: another 429 may have extended the pause meanwhile
	}
}

// hold pauses every caller for d from now, unless the pause in force ends
// later. It reports whether it started or extended the pause, and the pause
// that a caller who itself waits own from now will have waited out (zero
// when own ends before the pause in force does).
func (p *pace) hold(d, own time.Duration) (extended bool, covered uint64) {
	if p.off {
		return false, 0
	}
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := now.Add(d); until.After(p.until) {
		p.until = until
		p.gen++
		extended = true
	}
	if !p.until.After(now.Add(own)) {
		covered = p.gen
	}
	return extended, covered
}

// release frees the slot and adapts the limit to the attempt's outcome. A
// 5xx or a lost connection says nothing about the rate and changes nothing;
// any other answer shows the site coping, and a window of as many answers as
// the limit (one "round trip" of the limit's requests) adds one.
func (p *pace) release(ctx context.Context, s slot, out outcome) {
	if p.off {
		return
	}
	p.mu.Lock()
	from := p.limit
	reason := ""
	switch current := s.cuts == p.cuts; {
	case out.err != nil, out.status >= 500:
	case out.status == http.StatusTooManyRequests:
		if current {
			p.limit = max(p.limit/2, 1)
			p.cuts++
			p.answers = 0
			reason = "429 Too Many Requests"
			p.learnRate()
		}
	default:
		p.okSince++
		p.growRate()
		if current && p.limit < p.max {
			if p.answers++; p.answers >= p.limit {
				p.limit++
				p.answers = 0
				reason = fmt.Sprintf("%d answers without a 429", from)
			}
		}
	}
	p.free()
	to := p.limit
	p.mu.Unlock()
	if to != from {
		p.logger.Debug(ctx, "Confluence API concurrency limit changed", map[string]any{
			"limit": to, "previous_limit": from, "max_concurrency": p.max, "reason": reason,
		})
	}
}

// learnRate sets the rate after a 429 from the answers that succeeded since
// the last one, and starts counting again when the pause in force ends;
// p.mu is held. It is never below minRate.
func (p *pace) learnRate() {
	now := time.Now()
	span := max(now.Sub(p.epoch), rateWindow)
	switch {
	case p.okSince > 0:
		p.rate = float64(p.okSince) / span.Seconds() * rateBackoff
	case p.rate > 0:
		p.rate /= 2 // nothing got through at the rate set: far too fast
	}
	// With nothing measured yet (the very first answers are 429s), the
	// pause and the limit on requests in flight are all there is to go by.
	if p.rate > 0 {
		p.rate = max(p.rate, minRate)
	}
	p.okSince = 0
	p.epoch = now
	if p.until.After(now) {
		p.epoch = p.until
	}
	p.grown = p.epoch
}

// growRate grows the learned rate once per window without a 429; p.mu is
// held.
func (p *pace) growRate() {
	if p.rate <= 0 {
		return
	}
	if now := time.Now(); now.Sub(p.grown) >= rateWindow {
		p.rate *= rateGrowth
		p.grown = now
	}
}

// free gives back a slot and wakes the callers waiting for one; p.mu is held.
func (p *pace) free() {
	p.inFlight--
	close(p.freed)
	p.freed = make(chan struct{})
}

// holdAll starts (or extends) the pause an attempt's answer asks of every
// caller, when it names a time, and returns the fields that say so in the
// attempt's log line (nil when it started none) and the pause a caller who
// waits own before its next attempt will have waited out.
//
// An hourly quota that resets later than MaxRetryWait pauses nobody: no
// caller would retry it, and each should have its quota error at once rather
// than after a clamped wait that cannot help.
func (c *API) holdAll(out outcome, own time.Duration) (map[string]any, uint64) {
	if out.err != nil || (out.status != http.StatusTooManyRequests && out.status != http.StatusServiceUnavailable) {
		return nil, 0
	}
	if _, quota := quotaExhausted(out); quota && c.quotaWait(out) > c.maxRetryWait {
		return nil, 0
	}
	d := c.serverWait(out)
	if d <= 0 {
		return nil, 0
	}
	extended, covered := c.pace.hold(d, own)
	if !extended {
		return nil, covered
	}
	reason := fmt.Sprintf("%d %s", out.status, http.StatusText(out.status))
	if name := strings.TrimSpace(out.header.Get("RateLimit-Reason")); name != "" {
		reason += " (" + c.scrub.clean(name) + ")"
	}
	return map[string]any{"pause_all_ms": d.Milliseconds(), "pause_reason": reason}, covered
}
