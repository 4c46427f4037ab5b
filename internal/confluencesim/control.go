package confluencesim

import "time"

// SetLatency delays every following request by d (0 for none).
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// InjectFault adds a fault rule; see Fault.
func (s *Server) InjectFault(f Fault) error { return s.faults.add(f, s.servesTemplate) }

// PendingFaults is how many requests the injected rules will still fail.
func (s *Server) PendingFaults() int { return s.faults.pending() }

// ClearFaults removes every pending fault rule.
func (s *Server) ClearFaults() { s.faults.clear() }

// RequestCount is how many requests had the count key route: "METHOD
// TEMPLATE" with the OpenAPI path template, for example
// "GET /wiki/api/v2/spaces/{id}/permissions", or "GET (unmatched)".
// JSON-RPC calls are counted per method: "POST
// /rpc/json-rpc/confluenceservice-v2 getSpacePermissionSets".
func (s *Server) RequestCount(route string) int { return s.counts.count(route) }

// RequestCounts returns every count key with its count.
func (s *Server) RequestCounts() map[string]int {
	m, _ := s.counts.snapshot()
	if m == nil {
		m = map[string]int{}
	}
	return m
}

// TotalRequests is how many requests arrived, whatever their answer.
func (s *Server) TotalRequests() int {
	_, n := s.counts.snapshot()
	return n
}

// Throttled is how many requests were answered 429 Too Many Requests: by
// Options.RateLimit, or by an injected fault with that status. They are
// counted in RequestCount and TotalRequests too.
func (s *Server) Throttled() int { return int(s.counts.throttled.Load()) }

// MaxInFlight is the largest number of requests served at once.
func (s *Server) MaxInFlight() int { return int(s.counts.maxInFlight.Load()) }

// ResetRequestCounts sets every count, the total, Throttled and MaxInFlight
// back to zero.
func (s *Server) ResetRequestCounts() { s.counts.reset() }
