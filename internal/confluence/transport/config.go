package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Defaults for zero Config fields.
const (
	DefaultTimeout      = 60 * time.Second
	DefaultMaxRetries   = 5
	DefaultMaxRetryWait = 60 * time.Second
	DefaultUserAgent    = "terraform-provider-confluence"
	// DefaultMaxConcurrency is Terraform's default -parallelism, and leaves
	// the calls one authoritative change makes at once (8, see
	// confluence.defaultWritersPerSpace) all running.
	DefaultMaxConcurrency = 10
)

// Config configures an API. Zero fields take the defaults above.
type Config struct {
	// BaseURL is the site origin plus an optional path prefix, for example
	// https://example.atlassian.net, https://api.atlassian.com/ex/confluence/{cloudId}
	// (the gateway scoped tokens and OAuth need), https://dc.example.com/confluence
	// (a Data Center context path) or http://127.0.0.1:8090. Request paths are
	// joined under it.
	BaseURL string
	// Auth adds credentials to every request; nil sends none.
	Auth Auth
	// HTTPClient sends the requests; nil uses go-cleanhttp's pooled client.
	HTTPClient *http.Client
	// Timeout bounds each attempt, not the whole call with its retries (the
	// caller's context does that).
	Timeout time.Duration
	// MaxRetries bounds the attempts after the first one. Zero means
	// DefaultMaxRetries; a negative value disables retries.
	MaxRetries int
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives one debug line per attempt; nil logs nothing.
	Logger Logger
	// ExtraWriteHeaders are added to every request that is not a GET or HEAD,
	// e.g. X-Atlassian-Token: no-check against Data Center's XSRF filter
	// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
	ExtraWriteHeaders http.Header
	// MaxRetryWait clamps a server's Retry-After (values such as
	// 9223372036854775807 have been observed,
	// contributing/confluence-api.md#rate-limits).
	MaxRetryWait time.Duration
	// Sleep waits between attempts, and while a pause another request met
	// holds every request back; it must return early with ctx.Err() when ctx
	// ends. Nil uses a timer; tests inject a fake to stay fast.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxConcurrency bounds the requests in flight at once across every
	// caller of the API, reads and writes alike. The limit starts there, is
	// halved on each 429 and grows back by one after a window of answers
	// (pace.go). Zero or negative means DefaultMaxConcurrency. Terraform's
	// -parallelism does not bound the requests by itself: one authoritative
	// change makes several calls at once, so two resources applied together
	// can already have more requests in flight than -parallelism.
	MaxConcurrency int
	// Unpaced turns the shared pace off: each request waits out its own
	// 429s and nothing bounds the requests in flight, as clients without
	// one behave. Only the benchmarks set it, to measure what the pace is
	// worth.
	Unpaced bool
}

// API sends requests to one Confluence site. It is safe for concurrent use.
type API struct {
	base         *url.URL // origin and prefix only: no query, no fragment, no user
	prefix       string   // escaped path prefix without trailing slash, "" for none
	httpClient   *http.Client
	auth         Auth
	scrub        scrubber
	userAgent    string
	logger       Logger
	writeHeaders http.Header
	timeout      time.Duration
	maxRetries   int
	maxRetryWait time.Duration
	sleep        func(ctx context.Context, d time.Duration) error
	jitter       func(n int64) int64 // uniform in [0, n)
	pace         *pace               // shared by every request through this API
}

// New validates the configuration and returns an API.
func New(cfg Config) (*API, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if v, ok := cfg.Auth.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return nil, err
		}
	}
	c := &API{
		base:         base,
		prefix:       strings.TrimRight(base.EscapedPath(), "/"),
		httpClient:   cfg.HTTPClient,
		auth:         cfg.Auth,
		scrub:        newScrubber(cfg.Auth),
		userAgent:    cfg.UserAgent,
		logger:       cfg.Logger,
		writeHeaders: cfg.ExtraWriteHeaders.Clone(),
		timeout:      cfg.Timeout,
		maxRetries:   cfg.MaxRetries,
		maxRetryWait: cfg.MaxRetryWait,
		sleep:        cfg.Sleep,
		jitter:       rand.Int64N,
	}
	c.applyDefaults()
	maxInFlight := cfg.MaxConcurrency
	if maxInFlight <= 0 {
		maxInFlight = DefaultMaxConcurrency
	}
	c.pace = newPace(maxInFlight, c.sleep, c.logger)
	c.pace.off = cfg.Unpaced
	return c, nil
}

func (c *API) applyDefaults() {
	if c.httpClient == nil {
		c.httpClient = cleanhttp.DefaultPooledClient()
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.logger == nil {
		c.logger = nopLogger{}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.maxRetryWait <= 0 {
		c.maxRetryWait = DefaultMaxRetryWait
	}
	if c.sleep == nil {
		c.sleep = SleepContext
	}
}

// BaseURL returns the validated base URL (origin and path prefix).
func (c *API) BaseURL() string { return c.base.String() }

// ErrUserInfo refuses an address with a user name or password in it.
var ErrUserInfo = errors.New("the Confluence address must not contain a user name or password (the part before @): " +
	"credentials in an address end up in logs and error messages, so give them separately")

// ParseBaseURL checks a Confluence address and returns its origin and path
// prefix. It is the one place the rules live, for the provider, the probe
// and the transport alike:
//
//   - an address with a user or password in it ("user:secret@host") is
//     refused before anything else, and no message ever repeats it: once
//     such an address is refused, every other message may quote it;
//   - it must be an absolute http(s) URL with a host, and no query or
//     fragment;
//   - plain http is accepted only for loopback, so that credentials never
//     cross a network unencrypted.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return nil, errors.New("the Confluence address is empty: set it to the site's address, for example https://example.atlassian.net")
	case hasUserInfo(raw):
		return nil, ErrUserInfo
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the url.Error repeats the address
		}
		return nil, fmt.Errorf("the Confluence address %q is not a valid URL: %w", raw, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("the Confluence address %q is not an absolute http(s) URL such as https://example.atlassian.net", raw)
	case u.Host == "":
		return nil, fmt.Errorf("the Confluence address %q has no host", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("the Confluence address %q must not have a query", raw)
	case u.Fragment != "":
		return nil, fmt.Errorf("the Confluence address %q must not have a fragment", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("the Confluence address %q uses plain http, which would send the credentials unencrypted: "+
			"use https (plain http is accepted only for localhost)", raw)
	}
	return &url.URL{Scheme: strings.ToLower(u.Scheme), Host: u.Host, Path: u.Path, RawPath: u.RawPath}, nil
}

// hasUserInfo reports an address with "user:password@" (or "user@") before
// the host. It reads the text, not url.Parse's result, so that an address
// too malformed to parse is caught too.
func hasUserInfo(raw string) bool {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		rest = raw
	}
	authority, _, _ := strings.Cut(rest, "/")
	authority, _, _ = strings.Cut(authority, "?")
	authority, _, _ = strings.Cut(authority, "#")
	return strings.Contains(authority, "@")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
