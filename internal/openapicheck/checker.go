package openapicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Options tune a Checker.
type Options struct {
	// AcceptRejectedRequests: a request that breaks the spec and is answered
	// with a 4xx is not a violation (the server rightly refused it), and its
	// response is not checked. Set it when testing a server with deliberately
	// bad requests; leave it unset when checking a client's requests.
	AcceptRejectedRequests bool
	// AllowUndeclaredMembers turns off the check that response bodies carry
	// only members their schema declares.
	AllowUndeclaredMembers bool
	// Operations, when set, are the only operations the traffic may use,
	// named as Violation.Operation and Coverage name them ("GET
	// /wiki/api/v2/spaces/{id}/permissions"): a request to any other
	// operation of the documents is a violation. Set it to the operations a
	// client is meant to call, so that a call to one the documents hold for
	// another caller (the simulator, future work) is reported. New panics on
	// a name that is not an operation of the documents; NewForTest fails the
	// test instead.
	Operations []string
}

// Exchange is one request with its response, bodies read in full.
type Exchange struct {
	Request      *http.Request
	RequestBody  []byte
	StatusCode   int
	Header       http.Header
	ResponseBody []byte
}

// Violation is one way an exchange breaks the documents.
type Violation struct {
	Method string
	// Path is the request path as sent.
	Path string
	// Operation is "METHOD TEMPLATE" of the matched operation, "" if none.
	Operation string
	Status    int
	// Side is "request" or "response".
	Side    string
	Problem string
}

func (v Violation) String() string {
	op := ""
	if v.Operation != "" {
		op = " [" + v.Operation + "]"
	}
	return fmt.Sprintf("%s %s → %d%s: %s: %s", v.Method, v.Path, v.Status, op, v.Side, v.Problem)
}

// Checker validates exchanges and records violations. It is safe for
// concurrent use.
type Checker struct {
	docs *Documents
	opts Options
	// allowed is the set of Options.Operations; nil allows every operation.
	allowed map[string]bool

	mu         sync.Mutex
	violations []Violation
	exchanges  int
	coverage   map[string]int
}

// New returns a checker of exchanges against docs. It panics when
// opts.Operations names an operation the documents do not have.
func New(docs *Documents, opts Options) *Checker {
	if unknown := docs.unknownOperations(opts.Operations); len(unknown) > 0 {
		panic(unknownOperationsError(unknown))
	}
	c := &Checker{docs: docs, opts: opts, coverage: map[string]int{}}
	if opts.Operations != nil {
		c.allowed = map[string]bool{}
		for _, name := range opts.Operations {
			c.allowed[name] = true
		}
	}
	return c
}

// unknownOperations are the names that are not operations of the documents.
func (d *Documents) unknownOperations(names []string) []string {
	known := map[string]bool{}
	for _, op := range d.ops {
		known[op.name()] = true
	}
	var unknown []string
	for _, name := range names {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	return unknown
}

func unknownOperationsError(unknown []string) string {
	return fmt.Sprintf("openapicheck: Options.Operations names what is not an operation of the documents%s: %q "+
		`(write them "METHOD /wiki/..." as Violation.Operation does)`, subsetHint, unknown)
}

// Violations returns the violations recorded so far.
func (c *Checker) Violations() []Violation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.violations)
}

// Exchanges is how many exchanges were checked.
func (c *Checker) Exchanges() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exchanges
}

// Coverage counts checked exchanges by "METHOD TEMPLATE" of their
// operation, to show which operations a test exercised.
func (c *Checker) Coverage() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.coverage)
}

// Reset forgets violations, exchanges and coverage.
func (c *Checker) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations, c.exchanges, c.coverage = nil, 0, map[string]int{}
}

// Check validates one exchange, records and returns its violations.
func (c *Checker) Check(x Exchange) []Violation {
	vs, opName := c.check(x)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exchanges++
	if opName != "" {
		c.coverage[opName]++
	}
	c.violations = append(c.violations, vs...)
	return vs
}

func (c *Checker) check(x Exchange) ([]Violation, string) {
	r := x.Request
	v := func(side, problem, opName string) Violation {
		return Violation{Method: r.Method, Path: r.URL.Path, Operation: opName, Status: x.StatusCode, Side: side, Problem: problem}
	}
	op, params, why := c.docs.find(r.Method, r.URL.EscapedPath())
	if op == nil {
		return []Violation{v("request", why, "")}, ""
	}
	name := op.name()
	input := &openapi3filter.RequestValidationInput{
		Request:     requestWithBody(r, x.RequestBody),
		PathParams:  params,
		QueryParams: commaSeparatedQuery(op.route.Operation, r.URL.Query()),
		Route:       op.route,
		Options: &openapi3filter.Options{
			// Credentials are the server's business: a 401 is a declared answer.
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults: true,
			MultiError:          true,
		},
	}
	var out, notAllowed []Violation
	if c.allowed != nil && !c.allowed[name] {
		notAllowed = append(notAllowed, v("request", "the operation is not one of Options.Operations, the ones this traffic is meant to use", name))
	}
	for _, p := range requestProblems(input) {
		out = append(out, v("request", p, name))
	}
	if len(out) > 0 && c.opts.AcceptRejectedRequests && x.StatusCode >= 400 && x.StatusCode < 500 {
		return notAllowed, name
	}
	out = append(notAllowed, out...)
	for _, p := range c.responseProblems(input, x) {
		out = append(out, v("response", p, name))
	}
	return out, name
}

func requestWithBody(r *http.Request, body []byte) *http.Request {
	clone := r.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	return clone
}

// requestProblems validates parameters and body, and reports query
// parameters the operation does not declare: Confluence ignores them
// silently, so a misspelt filter would quietly filter nothing.
func requestProblems(input *openapi3filter.RequestValidationInput) []string {
	var problems []string
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		problems = append(problems, flattenErrors(err)...)
	}
	op, item := input.Route.Operation, input.Route.PathItem
	for name := range input.QueryParams {
		if op.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) == nil &&
			item.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) == nil {
			problems = append(problems, fmt.Sprintf("query parameter %q is not declared", name))
		}
	}
	slices.Sort(problems)
	return problems
}

func (c *Checker) responseProblems(input *openapi3filter.RequestValidationInput, x Exchange) []string {
	responses := input.Route.Operation.Responses
	if responses.Status(x.StatusCode) == nil && responses.Default() == nil {
		if _, ok := anyOperationStatuses[x.StatusCode]; ok {
			return nil
		}
		return []string{fmt.Sprintf("status %d is not declared (declared: %s)", x.StatusCode, strings.Join(declaredStatuses(responses), ", "))}
	}
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 x.StatusCode,
		Header:                 x.Header,
		Options:                &openapi3filter.Options{MultiError: true},
	}
	rin.SetBodyBytes(x.ResponseBody)
	var problems []string
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		problems = append(problems, flattenErrors(err)...)
	}
	if !c.opts.AllowUndeclaredMembers {
		problems = append(problems, undeclaredProblems(responses.Status(x.StatusCode), x)...)
	}
	return problems
}

func undeclaredProblems(resp *openapi3.ResponseRef, x Exchange) []string {
	if resp == nil || resp.Value == nil || len(x.ResponseBody) == 0 {
		return nil
	}
	media := resp.Value.Content.Get(x.Header.Get("Content-Type"))
	if media == nil || media.Schema == nil {
		return nil
	}
	var body any
	if json.Unmarshal(x.ResponseBody, &body) != nil {
		return nil // the schema validation has reported it
	}
	var problems []string
	for _, m := range undeclaredMembers(media.Schema, body) {
		problems = append(problems, fmt.Sprintf("%s is not declared by the response schema", m))
	}
	return problems
}

func declaredStatuses(responses *openapi3.Responses) []string {
	var out []string
	for code := range responses.Map() {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// flattenErrors turns kin-openapi's errors, which nest multi-errors inside
// request and response errors, into one line per problem, each saying where.
func flattenErrors(err error) []string {
	// Only a multi-error at this level: one nested inside a request or
	// response error is reached through them below, keeping their context.
	if me, ok := err.(openapi3.MultiError); ok { //nolint:errorlint // see above
		var out []string
		for _, e := range me {
			out = append(out, flattenErrors(e)...)
		}
		return out
	}
	var (
		reqErr  *openapi3filter.RequestError
		respErr *openapi3filter.ResponseError
		prefix  string
		inner   error
	)
	switch {
	case errors.As(err, &reqErr) && reqErr.Err != nil:
		prefix, inner = "body", reqErr.Err
		if p := reqErr.Parameter; p != nil {
			prefix = fmt.Sprintf("parameter %q in %s", p.Name, p.In)
		}
	case errors.As(err, &respErr) && respErr.Err != nil:
		prefix, inner = respErr.Reason, respErr.Err
	default:
		return []string{summarize(err.Error())}
	}
	var out []string
	for _, line := range flattenErrors(inner) {
		out = append(out, prefix+": "+line)
	}
	return out
}

// summarize keeps kin-openapi's "Error at ...: reason" and the offending
// value, without the schema dump that follows them.
func summarize(msg string) string {
	head, rest, found := strings.Cut(msg, "\nSchema:")
	if found {
		if _, value, ok := strings.Cut(rest, "\nValue:"); ok {
			if value = oneLine(value); len(value) <= 200 {
				head += " (value: " + value + ")"
			}
		}
	}
	return oneLine(head)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
