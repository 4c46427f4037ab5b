package confluencesim

import (
	"net/http"
	"strconv"
)

// DataCenterRateLimitedWith is DataCenterRateLimited with the bucket
// chosen: a lowercase retry-after header (seconds until tokens come back)
// and the X-RateLimit-* headers of an empty bucket. limit and fillRate are
// the bucket size and the tokens added per one-second interval.
//
// The headers go out with exactly this spelling; Go's HTTP client reads
// them back under their canonical names (Retry-After, X-Ratelimit-Limit).
func DataCenterRateLimitedWith(route string, times, retryAfterSeconds, limit, fillRate int) Fault {
	return Fault{
		Route:  route,
		Times:  times,
		Status: http.StatusTooManyRequests,
		Header: http.Header{
			"retry-after":                  {strconv.Itoa(retryAfterSeconds)},
			"X-RateLimit-Limit":            {strconv.Itoa(limit)},
			"X-RateLimit-Remaining":        {"0"},
			"X-RateLimit-Interval-Seconds": {"1"},
			"X-RateLimit-FillRate":         {strconv.Itoa(fillRate)},
		},
	}
}
