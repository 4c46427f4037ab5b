package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
)

// maxRecordedBody is how much of an answer's body the recorder keeps for
// the report's shapes and the checks' parsing; a permission page of 250
// rows is far smaller.
const maxRecordedBody = 8 << 20

// attempt is one answer (or transport failure) as it came off the wire.
type attempt struct {
	method string
	url    *url.URL
	status int // 0: no answer
	header http.Header
	body   []byte
	err    string
}

// capture collects the attempts of one call (retries and redirects).
type capture struct {
	mu       sync.Mutex
	attempts []attempt
}

func (c *capture) add(a attempt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts = append(c.attempts, a)
}

func (c *capture) all() []attempt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.attempts)
}

// logEntry is one answer of the run, for the checks that look at all of
// them (rate-limit-headers, credentials).
type logEntry struct {
	check   string
	request string // as Exchange.Request
	status  int
	headers map[string]string // the recorded headers, scrubbed
	message string            // set later by the call, for errors
}

type callKey struct{}

// callInfo travels in the request's context from the call to the
// recorder.
type callInfo struct {
	check string
	cap   *capture
}

// recorder is an http.RoundTripper below the transport that keeps every
// answer. It sits below the retry loop, so each retry is an attempt of
// its own, as the rate-limit check wants.
type recorder struct {
	next   http.RoundTripper
	prefix string // the base URL's path prefix, left out of shown paths
	scrub  scrubber

	mu  sync.Mutex
	log []*logEntry
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	info, _ := req.Context().Value(callKey{}).(callInfo)
	resp, err := r.next.RoundTrip(req)
	a := attempt{method: req.Method, url: req.URL}
	if err != nil {
		a.err = r.scrub.clean(err.Error())
		r.keep(info, a)
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxRecordedBody))
	a.status, a.header, a.body = resp.StatusCode, resp.Header.Clone(), body
	// The transport reads the body again: hand it what was read, then the
	// rest (or the read error) as the network gave it.
	rest := io.Reader(resp.Body)
	if rerr != nil {
		rest = errReader{rerr}
	}
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), resp.Body}
	r.keep(info, a)
	return resp, nil
}

func (r *recorder) keep(info callInfo, a attempt) {
	if info.cap != nil {
		info.cap.add(a)
	}
	if a.status == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, &logEntry{
		check:   info.check,
		request: r.requestLine(a.method, a.url),
		status:  a.status,
		headers: r.headers(a.header),
	})
}

func (r *recorder) entries() []logEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]logEntry, len(r.log))
	for i, e := range r.log {
		out[i] = *e
	}
	return out
}

// noteMessage attaches an error message to the last logged answer of a
// request.
func (r *recorder) noteMessage(request string, status int, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.log) - 1; i >= 0; i-- {
		if e := r.log[i]; e.request == request && e.status == status {
			e.message = msg
			return
		}
	}
}

// requestLine is "METHOD /path?query" below the base URL's prefix, with
// cursor values elided (they are long and opaque).
func (r *recorder) requestLine(method string, u *url.URL) string {
	path := u.EscapedPath()
	if r.prefix != "" {
		if rest, ok := strings.CutPrefix(path, r.prefix); ok && strings.HasPrefix(rest, "/") {
			path = rest
		}
	}
	line := method + " " + path
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			if name, _, ok := strings.Cut(p, "="); ok && name == "cursor" {
				parts[i] = "cursor=…"
			}
		}
		line += "?" + strings.Join(parts, "&")
	}
	return r.scrub.clean(line)
}

// shownHeader reports whether the report shows a response header: the
// content type, every rate-limit header (Cloud's and Data Center's), the
// gateway's failure category, and what says why a login failed. Request
// headers are never recorded.
func shownHeader(canonical string) bool {
	switch canonical {
	case "Content-Type", "Retry-After", "Beta-Retry-After", "X-Failure-Category",
		"Www-Authenticate", "X-Seraph-Loginreason", "Location":
		return true
	}
	return strings.HasPrefix(canonical, "X-Ratelimit-") ||
		strings.HasPrefix(canonical, "X-Beta-Ratelimit-") ||
		strings.HasPrefix(canonical, "Ratelimit-")
}

// headerName spells a canonical header name as Atlassian documents it
// (X-RateLimit-Reset rather than X-Ratelimit-Reset).
func headerName(canonical string) string {
	name := strings.ReplaceAll(canonical, "Ratelimit", "RateLimit")
	name = strings.ReplaceAll(name, "-Fillrate", "-FillRate")
	name = strings.ReplaceAll(name, "-Nearlimit", "-NearLimit")
	switch name {
	case "Www-Authenticate":
		return "WWW-Authenticate"
	case "X-Seraph-Loginreason":
		return "X-Seraph-LoginReason"
	}
	return name
}

// maxHeaderValue bounds a shown header value.
const maxHeaderValue = 300

func (r *recorder) headers(h http.Header) map[string]string {
	var out map[string]string
	for name, values := range h {
		if !shownHeader(name) {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[headerName(name)] = clip(r.scrub.clean(strings.Join(values, ", ")), maxHeaderValue)
	}
	return out
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	io.Closer
}

// withCall marks a context for the recorder.
func withCall(ctx context.Context, check string, c *capture) context.Context {
	return context.WithValue(ctx, callKey{}, callInfo{check: check, cap: c})
}

// scrubber removes the configured secrets from text that goes into the
// report: the token or password, and the base64 form basic authentication
// sends. The transport scrubs its own messages the same way; this covers
// bodies, headers and values the probe reads itself.
type scrubber struct{ secrets []string }

// minSecret is the shortest value scrubbed: removing every one- or
// two-letter string would destroy the report without protecting anything.
const minSecret = 4

func newScrubber(user, apiToken, token string) scrubber {
	var s scrubber
	for _, v := range []string{apiToken, token} {
		if len(v) >= minSecret {
			s.secrets = append(s.secrets, v, url.QueryEscape(v), url.PathEscape(v))
		}
	}
	if apiToken != "" {
		pair := base64.StdEncoding.EncodeToString([]byte(user + ":" + apiToken))
		s.secrets = append(s.secrets, pair, base64.RawStdEncoding.EncodeToString([]byte(user+":"+apiToken)))
	}
	slices.Sort(s.secrets)
	s.secrets = slices.Compact(s.secrets)
	// Longest first, so that a secret containing another goes whole.
	sort.SliceStable(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
	return s
}

const redacted = "[redacted]"

func (s scrubber) clean(text string) string {
	for _, v := range s.secrets {
		if len(v) >= minSecret {
			text = strings.ReplaceAll(text, v, redacted)
		}
	}
	return text
}
