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
	answers    int           // under the current limit since it last changed, toward the next increase
	cuts       uint64        // 429s that halved the limit (or found it at 1)
	freed      chan struct{} // closed, and replaced, when a slot frees or the limit grows
}

// slot is one attempt in flight. cuts is the pace's count when it was sent:
// a 429 to a request sent before the last cut was answered by that cut, so
// requests throttled together halve the limit once, not once each; and only
// answers to requests sent under the current limit count toward growing it.
type slot struct{ cuts uint64 }

func newPace(maxInFlight int, sleep func(context.Context, time.Duration) error, logger Logger) *pace {
	return &pace{sleep: sleep, logger: logger, max: maxInFlight, limit: maxInFlight, freed: make(chan struct{})}
}

// admit waits for a slot under the limit, then for the pause in force to
// pass, giving up when ctx ends. The pause comes last because it is the
// check that must stand right before the request is sent. waited is the
// caller's record of the last pause it waited out.
func (p *pace) admit(ctx context.Context, waited *uint64) (slot, error) {
	s, err := p.acquire(ctx)
	if err != nil {
		return slot{}, err
	}
	if err := p.awaitPause(ctx, waited); err != nil {
		p.mu.Lock()
		p.free()
		p.mu.Unlock()
		return slot{}, err
	}
	return s, nil
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
		}
	case current && p.limit < p.max:
		if p.answers++; p.answers >= p.limit {
			p.limit++
			p.answers = 0
			reason = fmt.Sprintf("%d answers without a 429", from)
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
