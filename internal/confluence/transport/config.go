package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Defaults for zero Config fields.
const (
	DefaultTimeout      = 60 * time.Second
	DefaultMaxRetries   = 4
	DefaultMaxRetryWait = 60 * time.Second
	DefaultUserAgent    = "terraform-provider-confluence"
)

// Config configures a Client. Zero fields take the defaults above.
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
	// Sleep waits between attempts and must return early with ctx.Err() when
	// ctx ends. Nil uses a timer; tests inject a fake to stay fast.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client sends requests to one Confluence site. It is safe for concurrent use.
type Client struct {
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
}

// New validates the configuration and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if v, ok := cfg.Auth.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return nil, err
		}
	}
	c := &Client{
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
	return c, nil
}

func (c *Client) applyDefaults() {
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
		c.sleep = sleepContext
	}
}

// BaseURL returns the validated base URL (origin and path prefix).
func (c *Client) BaseURL() string { return c.base.String() }

// parseBaseURL accepts an absolute http(s) URL without credentials, query or
// fragment. Errors never echo a URL that carries credentials.
func parseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("the Confluence base URL is empty: set it to the site address, for example https://example.atlassian.net")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the url.Error repeats the raw URL, which may hold a password
		}
		return nil, fmt.Errorf("the Confluence base URL is not a valid URL: %w", err)
	}
	if u.User != nil {
		return nil, errors.New("the Confluence base URL must not contain a user or password: configure the credentials separately")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("the Confluence base URL %q must start with https:// (or http://)", raw)
	case u.Host == "":
		return nil, fmt.Errorf("the Confluence base URL %q has no host", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("the Confluence base URL %q must not have a query", raw)
	case u.Fragment != "":
		return nil, fmt.Errorf("the Confluence base URL %q must not have a fragment", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}, nil
}
