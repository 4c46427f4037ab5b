package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// Body size bounds: an error body only feeds a message; a success body is a
// page of at most a few hundred objects, so 32 MiB means something is wrong.
const (
	maxErrorBody   = 1 << 20
	maxSuccessBody = 32 << 20
)

// Request is one API call.
type Request struct {
	// Method is the HTTP method; empty means GET.
	Method string
	// Path is the absolute API path, such as /wiki/api/v2/spaces, joined under
	// the BaseURL prefix. Segments holding user data must already be escaped
	// with url.PathEscape.
	Path string
	// Query is encoded into the URL.
	Query url.Values
	// Body is sent JSON-encoded when non-nil.
	Body any
	// RawBody is sent as is, with ContentType, when Body is nil.
	RawBody     []byte
	ContentType string
	// Idempotent marks a POST that only reads (Cloud's POST users-bulk, Data
	// Center JSON-RPC reads) so that it is retried like a GET. GET, HEAD, PUT,
	// DELETE and OPTIONS are idempotent anyway.
	Idempotent bool

	// link is set by NextRequest: the complete URL of a pagination link,
	// sent byte for byte because cursors are opaque. When set, Path and
	// Query are not used.
	link *url.URL
}

// Response is a successful (2xx) answer with its body read in full.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// Method and Path name the request in messages, as in *confluence.Error.
	Method string
	Path   string

	scrub scrubber // for text DecodeJSON takes from the body
}

// call is a Request resolved against the API, ready to send any number of
// times.
type call struct {
	method      string
	url         string
	path        string // for messages: the URL path below the BaseURL prefix
	body        []byte
	contentType string
	idempotent  bool
}

// outcome is what one attempt produced: an answer, or a transport failure.
type outcome struct {
	status   int
	header   http.Header
	body     []byte
	err      error // no usable answer (connection, timeout, oversized body)
	final    bool  // never retry: the caller's context ended or retrying cannot help
	duration time.Duration
}

func (o outcome) succeeded() bool { return o.err == nil && o.status >= 200 && o.status < 300 }

// Do sends the request, retrying as the retry policy allows (see retry.go),
// and returns the answer if its status is 2xx. Any other status becomes a
// *confluence.Error. Every attempt first waits its turn with every other
// caller of the API (see pace.go).
func (c *API) Do(ctx context.Context, req Request) (*Response, error) {
	cl, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	var (
		failure error  // of the last attempt
		waited  uint64 // the last shared pause this call has waited out (see pace)
	)
	for attempt := 1; ; attempt++ {
		s, err := c.pace.admit(ctx, &waited)
		if err != nil {
			if failure != nil {
				return nil, fmt.Errorf("%w; gave up retrying: %w", failure, err)
			}
			return nil, fmt.Errorf("%s %s was not sent: %w", cl.method, cl.path, err)
		}
		out := c.send(ctx, cl)
		wait, retry := c.retryPlan(cl, out, attempt)
		var own time.Duration // how long this call itself waits before its next attempt
		if retry {
			own = wait
		}
		paused, covered := c.holdAll(out, own)
		c.logAttempt(ctx, cl, out, attempt, wait, retry, paused)
		c.pace.release(ctx, s, out)
		if out.succeeded() {
			return &Response{StatusCode: out.status, Header: out.header, Body: out.body, Method: cl.method, Path: cl.path, scrub: c.scrub}, nil
		}
		failure = c.failure(cl, out, attempt)
		if !retry {
			return nil, failure
		}
		if err := c.pause(ctx, wait); err != nil {
			return nil, fmt.Errorf("%w; gave up retrying: %w", failure, err)
		}
		waited = max(waited, covered)
	}
}

func (c *API) prepare(req Request) (call, error) {
	method := strings.ToUpper(req.Method)
	if method == "" {
		method = http.MethodGet
	}
	target, err := c.target(req)
	if err != nil {
		return call{}, err
	}
	cl := call{
		method:     method,
		url:        target.String(),
		path:       c.displayPath(target.EscapedPath()),
		idempotent: req.Idempotent || idempotentMethod(method),
	}
	switch {
	case req.Body != nil:
		if cl.body, err = json.Marshal(req.Body); err != nil {
			return call{}, fmt.Errorf("encoding the body of %s %s: %w", method, cl.path, err)
		}
		cl.contentType = "application/json"
	case req.RawBody != nil:
		cl.body, cl.contentType = req.RawBody, req.ContentType
		if cl.contentType == "" {
			cl.contentType = "application/octet-stream"
		}
	}
	return cl, nil
}

// target is the absolute URL of the request: a pagination link as given, or
// the BaseURL prefix followed by the path and the encoded query.
func (c *API) target(req Request) (*url.URL, error) {
	if req.link != nil {
		return req.link, nil
	}
	if !strings.HasPrefix(req.Path, "/") || strings.ContainsAny(req.Path, "?#") {
		return nil, fmt.Errorf("request path %q must start with / and carry no query or fragment", req.Path)
	}
	u, err := url.Parse(c.origin() + c.prefix + req.Path)
	if err != nil {
		return nil, fmt.Errorf("request path %q is not a valid URL path: %w", req.Path, err)
	}
	u.RawQuery = req.Query.Encode()
	return u, nil
}

func (c *API) origin() string { return c.base.Scheme + "://" + c.base.Host }

// displayPath is the part of an escaped URL path below the BaseURL prefix:
// what the backend asked for, without the gateway or context prefix.
func (c *API) displayPath(escaped string) string {
	if rest, ok := cutPathPrefix(escaped, c.prefix); ok && rest != "" {
		return rest
	}
	return escaped
}

// cutPathPrefix removes prefix from path when it is a whole-segment prefix.
func cutPathPrefix(path, prefix string) (string, bool) {
	if prefix == "" {
		return path, true
	}
	rest, ok := strings.CutPrefix(path, prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		return path, false
	}
	return rest, true
}

func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// send makes one attempt, bounded by the per-attempt timeout, and reads the
// whole body so that the connection can be reused.
func (c *API) send(ctx context.Context, cl call) outcome {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body) // a fresh reader per attempt; also sets GetBody for redirects
	}
	r, err := http.NewRequestWithContext(actx, cl.method, cl.url, body)
	if err != nil {
		return outcome{err: err, final: true}
	}
	c.setHeaders(r, cl)

	start := time.Now()
	resp, err := c.httpClient.Do(r)
	if err != nil {
		return c.transportFailure(ctx, actx, err, time.Since(start))
	}
	defer resp.Body.Close()
	out := outcome{status: resp.StatusCode, header: resp.Header}
	out.body, out.err = readBody(resp)
	out.duration = time.Since(start)
	if out.err != nil {
		failed := c.transportFailure(ctx, actx, out.err, out.duration)
		failed.final = failed.final || errors.Is(out.err, errBodyTooLarge)
		return failed
	}
	return out
}

func (c *API) setHeaders(r *http.Request, cl call) {
	if cl.method != http.MethodGet && cl.method != http.MethodHead {
		for name, values := range c.writeHeaders {
			r.Header[name] = append([]string(nil), values...)
		}
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("User-Agent", c.userAgent)
	if cl.contentType != "" {
		r.Header.Set("Content-Type", cl.contentType)
	}
	if c.auth != nil {
		c.auth.Apply(r)
	}
}

// transportFailure describes an attempt that got no usable answer. It is final
// when the caller's own context ended; a per-attempt timeout is retryable.
func (c *API) transportFailure(ctx, actx context.Context, err error, d time.Duration) outcome {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // the method and URL are added by failure()
	}
	if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s: %w", c.timeout, err)
	}
	return outcome{err: err, final: ctx.Err() != nil, duration: d}
}

var errBodyTooLarge = fmt.Errorf("the response body exceeds %d MiB", maxSuccessBody>>20)

// readBody reads a success body in full (refusing absurd sizes) and at most
// maxErrorBody of any other body, which only feeds a message.
func readBody(resp *http.Response) ([]byte, error) {
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody)) // let small remainders reuse the connection
		return body, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	if err == nil && len(body) > maxSuccessBody {
		return nil, errBodyTooLarge
	}
	return body, err
}

// failure turns an unsuccessful outcome into the error the caller sees.
func (c *API) failure(cl call, out outcome, attempt int) error {
	if out.err != nil {
		return &scrubbedError{
			msg: c.scrub.clean(fmt.Sprintf("could not complete %s %s (attempt %d): %v", cl.method, cl.path, attempt, out.err)),
			err: out.err,
		}
	}
	code, msg := decodeErrorBody(out.header.Get("Content-Type"), out.body)
	e := &confluence.Error{
		StatusCode: out.status,
		Method:     cl.method,
		Path:       cl.path,
		Code:       c.scrub.clean(code),
		Message:    c.scrub.clean(msg),
	}
	if out.status == http.StatusTooManyRequests || out.status == http.StatusServiceUnavailable {
		e.RetryAfter = c.serverWait(out)
	}
	if reason, quota := quotaExhausted(out); quota {
		e.QuotaExhausted = reason
		if t, ok := parseResetTime(out.header.Get("X-RateLimit-Reset")); ok {
			e.QuotaResetsAt = t
		} else if d := c.quotaWait(out); d > 0 {
			e.QuotaResetsAt = time.Now().Add(d).Truncate(time.Second)
		}
	}
	// Cloud's gateway says why it refused a token in a header, for example
	// FAILURE_CLIENT_SCOPE_CHECK for a scoped token without the scope.
	e.FailureCategory = strings.TrimSpace(out.header.Get("X-Failure-Category"))
	return e
}

// scrubbedError carries a transport failure with credentials removed from
// its text while keeping the chain for errors.Is (context.Canceled, ...).
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// logAttempt writes the attempt's debug line. paused holds the fields of the
// shared pause the attempt's answer started, if any: they belong to this
// line, written at the moment the pause starts, rather than to a line of
// their own.
func (c *API) logAttempt(ctx context.Context, cl call, out outcome, attempt int, wait time.Duration, retry bool, paused map[string]any) {
	fields := map[string]any{
		"method":      cl.method,
		"path":        cl.path,
		"attempt":     attempt,
		"duration_ms": out.duration.Milliseconds(),
	}
	if out.err != nil {
		fields["error"] = c.scrub.clean(out.err.Error())
	} else {
		fields["status"] = out.status
	}
	if retry {
		fields["retry_in_ms"] = wait.Milliseconds()
	}
	for k, v := range paused {
		fields[k] = v
	}
	c.logger.Debug(ctx, "Confluence API request", fields)
}
