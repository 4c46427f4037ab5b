package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// ToolName names the tool in reports and in its User-Agent.
const ToolName = "confluence-probe"

// run is the state of one probe run.
type run struct {
	cfg   checked
	api   *transport.API
	rec   *recorder
	scrub scrubber

	// spaces are the spaces the read checks look at, found ones only.
	spaces []space
	// setup holds the answers of the space lookups, shown under the checks
	// that depend on them.
	setup []Exchange
	// setupFailure says why the spaces could not be looked up at all.
	setupFailure string

	// dcVersion is what server-information answered.
	dcVersion string
	// Cloud answers kept for later checks.
	roleMode  string
	permLists map[string]*permList // by space key
}

// space is a space the site showed.
type space struct {
	key string
	id  string // Cloud: the v2 id; Data Center: the REST id
}

// Run probes the site and returns the report. The error is a *ConfigError
// when the configuration is refused; any problem met while probing is in
// the report instead (see Report.Failed).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	c, err := cfg.check()
	if err != nil {
		return nil, err
	}
	r := &run{cfg: c, scrub: newScrubber(c.User, c.APIToken, c.Token), permLists: map[string]*permList{}}
	if err := r.connect(); err != nil {
		return nil, err
	}
	rep := r.header()
	if c.deployment == permissions.Cloud {
		r.setupCloudSpaces(ctx)
	} else {
		r.setupDCSpaces(ctx)
	}
	for _, s := range r.spaces {
		rep.Spaces = append(rep.Spaces, SpaceRef{Key: s.key, ID: s.id, Found: true})
	}
	rep.Spaces = append(rep.Spaces, r.missingSpaces()...)
	rep.Setup = append([]Exchange{}, r.setup...)
	if len(c.Spaces) > 0 {
		rep.SpacesSource = "named with -space"
	} else {
		rep.SpacesSource = fmt.Sprintf("the first %d global spaces the account can see", DefaultSpaceCount)
	}
	for _, def := range checksFor(c.deployment) {
		if c.Progress != nil {
			fmt.Fprintf(c.Progress, "%s: %s\n", ToolName, def.name)
		}
		res := Result{Name: def.name, Question: def.question, Interpretation: []string{}, Facts: []Fact{}, Exchanges: []Exchange{}}
		if err := ctx.Err(); err != nil {
			res.failed("not run: %v", err)
		} else {
			def.run(withCheck(ctx, def.name), r, &res)
		}
		if res.Status == "" {
			res.Status = Answered
		}
		rep.Checks = append(rep.Checks, r.scrubResult(res))
	}
	return rep, nil
}

func (r *run) connect() error {
	var hc http.Client
	if r.cfg.HTTPClient != nil {
		hc = *r.cfg.HTTPClient
	} else {
		hc = *cleanhttp.DefaultPooledClient()
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	r.rec = &recorder{next: next, scrub: r.scrub}
	hc.Transport = r.rec

	var auth transport.Auth = transport.Basic{User: r.cfg.User, Token: r.cfg.APIToken}
	if r.cfg.bearer {
		auth = transport.Bearer{Token: r.cfg.Token}
	}
	tc := transport.Config{
		BaseURL:    r.cfg.URL,
		Auth:       auth,
		HTTPClient: &hc,
		MaxRetries: r.cfg.MaxRetries,
		UserAgent:  ToolName + "/" + r.version(),
		Sleep:      r.cfg.Sleep,
	}
	if r.cfg.deployment == permissions.DataCenter {
		// As the provider: writes carry the XSRF header
		// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
		tc.ExtraWriteHeaders = datacenter.WriteHeaders()
	}
	api, err := transport.New(tc)
	if err != nil {
		return &ConfigError{msg: r.scrub.clean(err.Error())}
	}
	r.api = api
	if u, err := url.Parse(api.BaseURL()); err == nil {
		r.rec.prefix = strings.TrimRight(u.EscapedPath(), "/")
	}
	return nil
}

func (r *run) version() string {
	if r.cfg.Version == "" {
		return "dev"
	}
	return r.cfg.Version
}

func (r *run) header() *Report {
	rep := &Report{
		Schema:           Schema,
		Tool:             ToolName,
		Version:          r.version(),
		Date:             r.cfg.Now().UTC().Format("2006-01-02T15:04:05Z"),
		Site:             r.api.BaseURL(),
		Deployment:       string(r.cfg.deployment),
		DeploymentSource: r.cfg.deploymentSource,
		Auth:             "basic",
		WriteSpace:       r.cfg.WriteSpace,
		Spaces:           []SpaceRef{},
		Checks:           []Result{},
		scrub:            r.scrub,
	}
	if r.cfg.bearer {
		rep.Auth = "bearer"
	} else {
		rep.Account = r.scrub.clean(r.cfg.User)
	}
	return rep
}

// missingSpaces are the named spaces the site did not show.
func (r *run) missingSpaces() []SpaceRef {
	var out []SpaceRef
	for _, k := range r.cfg.Spaces {
		if !r.hasSpace(k) {
			note := "not found, or the account cannot view it"
			if r.setupFailure != "" {
				note = "not looked up: " + r.setupFailure
			}
			out = append(out, SpaceRef{Key: k, Found: false, Note: note})
		}
	}
	return out
}

func (r *run) hasSpace(key string) bool {
	for _, s := range r.spaces {
		if s.key == key {
			return true
		}
	}
	return false
}

type checkKeyType struct{}

func withCheck(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, checkKeyType{}, name)
}

func checkOf(ctx context.Context) string {
	name, _ := ctx.Value(checkKeyType{}).(string)
	return name
}

// answer is one call's outcome: the Exchange for the report, and the raw
// answer for the check to read.
type answer struct {
	Exchange
	res    *transport.Response // nil unless the status was 2xx
	header http.Header
	body   []byte
}

// call sends one request through the transport (retries included) and
// records it. sent describes the request body for the report.
func (r *run) call(ctx context.Context, req transport.Request, sent string) *answer {
	c := &capture{}
	res, err := r.api.Do(withCall(ctx, checkOf(ctx), c), req)
	a := &answer{res: res}
	a.Body = sent
	atts := c.all()
	if n := len(atts); n > 0 {
		last := atts[n-1]
		a.Request = r.rec.requestLine(last.method, last.url)
		a.Status, a.header, a.body = last.status, last.header, last.body
		if n > 1 {
			for _, at := range atts {
				a.Statuses = append(a.Statuses, at.status)
			}
		}
		a.Headers = r.rec.headers(last.header)
		if last.status != 0 {
			a.Shape = r.scrub.clean(bodyShape(last.header.Get("Content-Type"), last.body))
		} else {
			a.Shape = "no answer"
		}
	} else {
		method := req.Method
		if method == "" {
			method = http.MethodGet
		}
		a.Request = method + " " + req.Path
		a.Shape = "not sent"
	}
	var ce *confluence.Error
	switch {
	case errors.As(err, &ce):
		a.Message = r.scrub.clean(ce.Message)
		if a.Message != "" {
			r.rec.noteMessage(a.Request, a.Status, a.Message)
		}
	case err != nil:
		a.Error = r.scrub.clean(err.Error())
	}
	return a
}

func (r *run) get(ctx context.Context, path string, q url.Values) *answer {
	return r.call(ctx, transport.Request{Method: http.MethodGet, Path: path, Query: q}, "")
}

// unreachable reports an answer that never came (connection, timeout).
func (a *answer) unreachable() bool { return a.Status == 0 }

// blocked says why the answer cannot serve a check at all: no answer, or
// credentials refused. "" when the answer can be read.
func (a *answer) blocked() string {
	switch a.Status {
	case 0:
		return "no answer from " + a.Request + ": " + a.Error
	case http.StatusUnauthorized:
		return "401 to " + a.Request + ": the credentials were refused (see the credentials check)"
	case http.StatusTooManyRequests:
		return "429 to " + a.Request + " after the transport's retries (see the rate-limit-headers check)"
	}
	return ""
}

// record shows a's exchange under the check and reports whether the check
// can go on reading it; when not, the check has failed on what blocked it.
func (r *Result) record(a *answer) bool {
	r.Exchanges = append(r.Exchanges, a.Exchange)
	if b := a.blocked(); b != "" {
		r.failed("%s", b)
		return false
	}
	return true
}

// recordStep shows a's exchange under a write check with the step it was,
// and the step's outcome.
func (r *Result) recordStep(action string, a *answer) {
	r.Exchanges = append(r.Exchanges, a.Exchange)
	r.step(action, "%s", describeOutcome(a))
}

// isHTML reports an answer whose body is an HTML page.
func (a *answer) isHTML() bool {
	body := bytes.TrimSpace(a.body)
	if len(body) == 0 {
		return false
	}
	media := strings.ToLower(strings.TrimSpace(strings.Split(a.header.Get("Content-Type"), ";")[0]))
	return isHTML(media, body)
}

// decode reads the answer's body as JSON, whatever its status.
func (a *answer) decode(v any) error {
	if a.isHTML() {
		return errors.New("the answer is an HTML page, not JSON")
	}
	body := bytes.TrimSpace(a.body)
	if len(body) == 0 {
		return errors.New("the answer has no body")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the answer is not the JSON expected: %w", err)
	}
	return nil
}

// scrubResult passes every text of a result through the scrubber once
// more, so that nothing a check copied from an answer carries a secret.
func (r *run) scrubResult(res Result) Result {
	s := r.scrub.clean
	res.Answer = s(res.Answer)
	for i := range res.Interpretation {
		res.Interpretation[i] = s(res.Interpretation[i])
	}
	for i := range res.Facts {
		res.Facts[i].Value = s(res.Facts[i].Value)
	}
	for i := range res.Steps {
		res.Steps[i].Outcome = s(res.Steps[i].Outcome)
	}
	for i := range res.Exchanges {
		e := &res.Exchanges[i]
		e.Request, e.Body, e.Shape, e.Message, e.Error = s(e.Request), s(e.Body), s(e.Shape), s(e.Message), s(e.Error)
		for k, v := range e.Headers {
			e.Headers[k] = s(v)
		}
	}
	return res
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
