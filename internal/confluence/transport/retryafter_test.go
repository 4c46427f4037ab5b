package transport

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	limit := time.Minute
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"   ", 0, false},
		{"0", 0, true},
		{"5", 5 * time.Second, true},
		{" 12 ", 12 * time.Second, true},
		{"60", time.Minute, true},
		{"61", time.Minute, true},
		{"9223372036854775807", time.Minute, true},
		{"18446744073709551616", time.Minute, true},
		{"999999999999999999999999999999", time.Minute, true},
		{"-5", 0, false},
		{"+5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(time.Hour).Format(http.TimeFormat), time.Minute, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Monday, 02-Mar-26 10:00:10 GMT", 10 * time.Second, true}, // RFC 850
		{"Mon Mar  2 10:00:20 2026", 20 * time.Second, true},       // ANSI C asctime
		{"Fri, 31 Dec 9999 23:59:59 GMT", time.Minute, true},
		{"Mon, 01 Jan 0001 00:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.value, now, limit)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = (%s, %v), want (%s, %v)", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseRateLimitReset(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if d, ok := parseRateLimitReset("2026-03-02T10:00:45Z", now, time.Minute); !ok || d != 45*time.Second {
		t.Errorf("got (%s, %v)", d, ok)
	}
	if d, ok := parseRateLimitReset("2026-03-02T12:00:00+01:00", now, time.Minute); !ok || d != time.Minute {
		t.Errorf("got (%s, %v), want clamped", d, ok)
	}
	// Minute precision, as JRACLOUD-69262 documents and real answers show.
	if d, ok := parseRateLimitReset("2026-03-02T10:01Z", now, 2*time.Minute); !ok || d != time.Minute {
		t.Errorf("minute precision: got (%s, %v)", d, ok)
	}
	if d, ok := parseRateLimitReset("2026-03-02T11:01+01:00", now, 2*time.Minute); !ok || d != time.Minute {
		t.Errorf("minute precision with an offset: got (%s, %v)", d, ok)
	}
	if d, ok := parseRateLimitReset("2026-03-02T10:00:30.500Z", now, time.Minute); !ok || d != 30500*time.Millisecond {
		t.Errorf("fractional seconds: got (%s, %v)", d, ok)
	}
	if _, ok := parseRateLimitReset("tomorrow", now, time.Minute); ok {
		t.Error("garbage accepted")
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []string{"", "0", "120", "9223372036854775807", "-1", "1e9",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Monday, 02-Jan-06 15:04:05 MST"} {
		f.Add(seed, int64(time.Minute))
	}
	f.Add("5", int64(0))
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, value string, limit int64) {
		if limit < 0 {
			limit = -limit
		}
		if limit < 0 { // math.MinInt64
			limit = 0
		}
		d, ok := parseRetryAfter(value, now, time.Duration(limit))
		if d < 0 || d > time.Duration(limit) {
			t.Fatalf("parseRetryAfter(%q, %d) = %s outside [0, limit]", value, limit, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseRetryAfter(%q) = %s without ok", value, d)
		}
	})
}
