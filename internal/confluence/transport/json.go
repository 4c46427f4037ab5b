package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// GetJSON sends a GET and decodes the answer into out.
func (c *API) GetJSON(ctx context.Context, path string, query url.Values, out any) error {
	return c.DoJSON(ctx, Request{Method: http.MethodGet, Path: path, Query: query}, out)
}

// SendJSON sends body (JSON-encoded; nil sends none) and decodes the answer
// into out (nil ignores it). A POST sent this way is not idempotent: see
// Request.Idempotent and the retry policy.
func (c *API) SendJSON(ctx context.Context, method, path string, body, out any) error {
	return c.DoJSON(ctx, Request{Method: method, Path: path, Body: body}, out)
}

// DoJSON sends the request and decodes the answer into out.
func (c *API) DoJSON(ctx context.Context, req Request, out any) error {
	res, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	return res.DecodeJSON(out)
}

// DecodeJSON decodes the body into out. An empty body (204, or a write that
// answers nothing) leaves out untouched. An HTML page is reported as an
// *HTMLResponseError rather than as a JSON syntax error.
func (r *Response) DecodeJSON(out any) error {
	body := bytes.TrimSpace(r.Body)
	if out == nil || len(body) == 0 {
		return nil
	}
	if looksLikeHTML(r.Header.Get("Content-Type"), body) {
		return &HTMLResponseError{Method: r.Method, Path: r.Path, StatusCode: r.StatusCode, Title: r.scrub.clean(HTMLTitle(body))}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("Confluence's answer to %s %s is not the JSON expected: %w", r.Method, r.Path, err)
	}
	return nil
}

// HTMLResponseError is a success status whose body is an HTML page where JSON
// was expected. On Data Center this is the symptom of secure administrator
// sessions (WebSudo) blocking a remote API call, or of a single sign-on or
// proxy login page (contributing/confluence-api.md#websudo).
type HTMLResponseError struct {
	Method     string
	Path       string
	StatusCode int
	// Title is the page's <title>, when it has a short one.
	Title string
}

func (e *HTMLResponseError) Error() string {
	msg := fmt.Sprintf("%s (status %d) to %s %s", htmlInsteadOfJSON, e.StatusCode, e.Method, e.Path)
	if e.Title != "" {
		msg += fmt.Sprintf(", page title %q", e.Title)
	}
	return msg + ": a login page, a proxy, or Data Center secure administrator sessions (WebSudo) may be intercepting the call"
}

// IsHTMLResponse reports an *HTMLResponseError.
func IsHTMLResponse(err error) bool {
	var e *HTMLResponseError
	return errors.As(err, &e)
}
