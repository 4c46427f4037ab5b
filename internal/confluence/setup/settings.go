// Package setup turns the settings a user gives (the provider block, the
// probe's flags, the CONFLUENCE_* environment variables) into a client:
// it resolves them once, with one set of messages, and picks the deployment
// and the backend that speaks its API.
package setup

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Setting names a provider attribute and the environment variable that
// stands in for it, so that every message names both.
type Setting struct {
	Attr string
	Env  string
}

func (s Setting) String() string {
	return fmt.Sprintf("%s (or the %s environment variable)", s.Attr, s.Env)
}

// Attr names every setting.
var Attr = struct {
	URL, User, APIToken, Token, Deployment, DataCenterAPI, RequestTimeout, MaxRetries, MaxConcurrency Setting
}{
	URL:            Setting{"url", "CONFLUENCE_URL"},
	User:           Setting{"user", "CONFLUENCE_USER"},
	APIToken:       Setting{"api_token", "CONFLUENCE_API_TOKEN"},
	Token:          Setting{"token", "CONFLUENCE_TOKEN"},
	Deployment:     Setting{"deployment", "CONFLUENCE_DEPLOYMENT"},
	DataCenterAPI:  Setting{"data_center_api", "CONFLUENCE_DATA_CENTER_API"},
	RequestTimeout: Setting{"request_timeout", "CONFLUENCE_REQUEST_TIMEOUT"},
	MaxRetries:     Setting{"max_retries", "CONFLUENCE_MAX_RETRIES"},
	MaxConcurrency: Setting{"max_concurrency", "CONFLUENCE_MAX_CONCURRENCY"},
}

// Limits of max_retries and max_concurrency.
const (
	maxRetriesLimit     = 20
	maxConcurrencyLimit = 100
)

// Given are the settings as the user wrote them; nil means unset, and then
// the environment variable stands in.
type Given struct {
	URL, User, APIToken, Token, Deployment, DataCenterAPI, RequestTimeout *string
	MaxRetries, MaxConcurrency                                            *int64
}

// Settings are resolved settings, ready to open a client with.
type Settings struct {
	URL      *url.URL
	User     string
	APIToken string
	Token    string
	// Deployment is never empty: an unset one is inferred from the address.
	Deployment permissions.Deployment
	// DataCenterAPI is "" to choose by the server's version.
	DataCenterAPI  DataCenterAPI
	RequestTimeout time.Duration
	// MaxRetries is the number of retries; 0 means none.
	MaxRetries int
	// MaxConcurrency bounds the requests in flight at once (at least 1).
	MaxConcurrency int
}

// Problem is one thing wrong with the settings.
type Problem struct {
	Setting Setting
	Summary string
	Detail  string
}

// Resolve merges what was given with the environment (what was given wins),
// checks the result and returns every problem at once, each naming the
// setting and its environment variable.
func Resolve(g Given, getenv func(string) string) (Settings, []Problem) {
	var s Settings
	var problems []Problem
	fail := func(st Setting, summary, detail string) {
		problems = append(problems, Problem{Setting: st, Summary: summary, Detail: detail})
	}
	str := func(v *string, st Setting) string {
		if v != nil {
			return strings.TrimSpace(*v)
		}
		return strings.TrimSpace(getenv(st.Env))
	}

	if raw := str(g.URL, Attr.URL); raw == "" {
		fail(Attr.URL, "Missing Confluence URL",
			"Set "+Attr.URL.String()+" to the address of your site, for example https://example.atlassian.net for Cloud or https://confluence.example.com for Data Center.")
	} else if u, err := siteURL(raw); errors.Is(err, transport.ErrUserInfo) {
		fail(Attr.URL, "Credentials in the Confluence URL", fmt.Sprintf("%s: %s. Set %s with %s, or %s.", Attr.URL, err, Attr.User, Attr.APIToken, Attr.Token))
	} else if err != nil {
		fail(Attr.URL, "Invalid Confluence URL", fmt.Sprintf("%s: %s.", Attr.URL, err))
	} else {
		s.URL = u
	}

	s.User, s.APIToken, s.Token = str(g.User, Attr.User), str(g.APIToken, Attr.APIToken), str(g.Token, Attr.Token)
	switch {
	case s.Token != "" && (s.User != "" || s.APIToken != ""):
		fail(Attr.Token, "Conflicting Confluence credentials",
			fmt.Sprintf("Set either %s for a bearer token (an OAuth access token or a Data Center personal access token), or %s with %s for basic authentication, not both.",
				Attr.Token, Attr.User, Attr.APIToken))
	case s.Token != "":
	case s.User == "" && s.APIToken == "":
		fail(Attr.APIToken, "Missing Confluence credentials",
			fmt.Sprintf("Set %s and %s (on Cloud: your Atlassian account email and an API token; on Data Center: a username and password), or %s (a bearer token).",
				Attr.User, Attr.APIToken, Attr.Token))
	case s.User == "":
		fail(Attr.User, "Missing Confluence user",
			fmt.Sprintf("%s is set, so %s is needed too: on Cloud the email address of the account the API token belongs to, on Data Center the username.",
				Attr.APIToken, Attr.User))
	case s.APIToken == "":
		fail(Attr.APIToken, "Missing Confluence API token",
			fmt.Sprintf("%s is set, so %s is needed too: on Cloud an API token of that account, on Data Center its password (or use %s with a personal access token).",
				Attr.User, Attr.APIToken, Attr.Token))
	}

	switch d := strings.ToLower(str(g.Deployment, Attr.Deployment)); d {
	case "":
		if s.URL != nil {
			s.Deployment = InferDeployment(s.URL.String())
		}
	case string(permissions.Cloud), string(permissions.DataCenter):
		s.Deployment = permissions.Deployment(d)
		if s.Deployment == permissions.DataCenter && s.URL != nil && IsCloudAddress(s.URL.String()) {
			fail(Attr.Deployment, "Data Center deployment for a Confluence Cloud address",
				fmt.Sprintf("%s is \"datacenter\", but %s is %q, an Atlassian Cloud address: set %s to \"cloud\" or leave it unset, "+
					"or set %s to the address of your Data Center site.", Attr.Deployment, Attr.URL, s.URL.String(), Attr.Deployment, Attr.URL))
		}
	default:
		fail(Attr.Deployment, "Invalid Confluence deployment",
			fmt.Sprintf("%s is %q; it must be \"cloud\" or \"datacenter\", or unset to infer it from the URL.", Attr.Deployment, d))
	}

	switch api := DataCenterAPI(strings.ToLower(str(g.DataCenterAPI, Attr.DataCenterAPI))); api {
	case DataCenterAPIAuto, DataCenterAPIREST, DataCenterAPIRPC:
		s.DataCenterAPI = api
		if api != DataCenterAPIAuto && s.Deployment == permissions.Cloud {
			fail(Attr.DataCenterAPI, "Data Center API set for Confluence Cloud",
				fmt.Sprintf("%s is %q, but the site is Confluence Cloud: remove the setting.", Attr.DataCenterAPI, api))
		}
	default:
		fail(Attr.DataCenterAPI, "Invalid Data Center API",
			fmt.Sprintf("%s is %q; it must be %q (Data Center 9.1 and later) or %q (the remote API of older versions), or unset to choose by the server's version.",
				Attr.DataCenterAPI, api, DataCenterAPIREST, DataCenterAPIRPC))
	}

	s.RequestTimeout = transport.DefaultTimeout
	if raw := str(g.RequestTimeout, Attr.RequestTimeout); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			fail(Attr.RequestTimeout, "Invalid request timeout",
				fmt.Sprintf("%s is %q; it must be a positive duration such as \"30s\" or \"2m\".", Attr.RequestTimeout, raw))
		}
		s.RequestTimeout = d
	}

	s.MaxRetries = whole(g.MaxRetries, getenv, Attr.MaxRetries, "Invalid retry count", transport.DefaultMaxRetries, 0, maxRetriesLimit, fail)
	s.MaxConcurrency = whole(g.MaxConcurrency, getenv, Attr.MaxConcurrency, "Invalid concurrency", transport.DefaultMaxConcurrency, 1, maxConcurrencyLimit, fail)
	return s, problems
}

// whole resolves a whole-number setting between lo and hi, def when unset.
func whole(given *int64, getenv func(string) string, set Setting, summary string, def, lo, hi int, fail func(Setting, string, string)) int {
	n := def
	switch raw := strings.TrimSpace(getenv(set.Env)); {
	case given != nil:
		n = int(*given)
	case raw != "":
		v, err := strconv.Atoi(raw)
		if err != nil {
			fail(set, summary, fmt.Sprintf("%s is %q; it must be a whole number.", set, raw))
			return def
		}
		n = v
	}
	if n < lo || n > hi {
		fail(set, summary, fmt.Sprintf("%s is %d; it must be between %d and %d.", set, n, lo, hi))
	}
	return n
}

// siteURL checks a site address with the transport's rules and tidies it:
// no trailing slash, and the /wiki people paste from a Cloud site's
// address removed (the API lives beside it).
func siteURL(raw string) (*url.URL, error) {
	u, err := transport.ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	if strings.HasSuffix(strings.ToLower(u.Hostname()), ".atlassian.net") {
		u.Path = strings.TrimSuffix(u.Path, "/wiki")
		u.RawPath = strings.TrimSuffix(u.RawPath, "/wiki")
	}
	return u, nil
}
