package provider

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/connect"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// providerModel is the provider block.
type providerModel struct {
	URL            types.String `tfsdk:"url"`
	User           types.String `tfsdk:"user"`
	APIToken       types.String `tfsdk:"api_token"`
	Token          types.String `tfsdk:"token"`
	Deployment     types.String `tfsdk:"deployment"`
	DataCenterAPI  types.String `tfsdk:"data_center_api"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
}

// setting names an attribute and the environment variable that can stand in
// for it, so that every message names both.
type setting struct {
	attr string
	env  string
}

func (s setting) String() string {
	return fmt.Sprintf("%s (or the %s environment variable)", s.attr, s.env)
}

var (
	settingURL        = setting{"url", "CONFLUENCE_URL"}
	settingUser       = setting{"user", "CONFLUENCE_USER"}
	settingAPIToken   = setting{"api_token", "CONFLUENCE_API_TOKEN"}
	settingToken      = setting{"token", "CONFLUENCE_TOKEN"}
	settingDeployment = setting{"deployment", "CONFLUENCE_DEPLOYMENT"}
	settingDCAPI      = setting{"data_center_api", "CONFLUENCE_DATA_CENTER_API"}
	settingTimeout    = setting{"request_timeout", "CONFLUENCE_REQUEST_TIMEOUT"}
	settingRetries    = setting{"max_retries", "CONFLUENCE_MAX_RETRIES"}
)

const (
	defaultRequestTimeout = 60 * time.Second
	defaultMaxRetries     = 5
)

// settings are the resolved provider settings, ready to connect with.
type settings struct {
	URL            *url.URL
	User           string
	APIToken       string
	Token          string
	Deployment     permissions.Deployment // "" when it must be discovered
	DataCenterAPI  string                 // "rest", "rpc", or "" to choose by version
	RequestTimeout time.Duration
	MaxRetries     int
}

// configProblem is one thing wrong with the provider settings.
type configProblem struct {
	attr    string
	summary string
	detail  string
}

// resolveSettings merges the provider block with the environment (the block
// wins) and checks the result. It returns every problem at once, each naming
// the setting and its environment variable.
func resolveSettings(m providerModel, getenv func(string) string) (settings, []configProblem) {
	var s settings
	var problems []configProblem
	fail := func(st setting, summary, detail string) {
		problems = append(problems, configProblem{attr: st.attr, summary: summary, detail: detail})
	}
	str := func(v types.String, st setting) string {
		if !v.IsNull() && !v.IsUnknown() {
			return strings.TrimSpace(v.ValueString())
		}
		return strings.TrimSpace(getenv(st.env))
	}

	rawURL := str(m.URL, settingURL)
	s.User = str(m.User, settingUser)
	s.APIToken = str(m.APIToken, settingAPIToken)
	s.Token = str(m.Token, settingToken)

	if rawURL == "" {
		fail(settingURL, "Missing Confluence URL",
			"Set "+settingURL.String()+" to the address of your site, for example https://example.atlassian.net for Cloud or https://confluence.example.com for Data Center.")
	} else {
		u, why := parseSiteURL(rawURL)
		switch {
		case u == nil && why == "":
			fail(settingURL, "Credentials in the Confluence URL",
				fmt.Sprintf("%s contains a user name or password before the host (the part ending in @). "+
					"Remove it and set %s with %s, or %s, instead: credentials in a URL end up in logs and error messages.",
					settingURL, settingUser, settingAPIToken, settingToken))
		case why != "":
			fail(settingURL, "Invalid Confluence URL", fmt.Sprintf("%s %q %s.", settingURL, rawURL, why))
		}
		s.URL = u
	}

	switch {
	case s.Token != "" && (s.User != "" || s.APIToken != ""):
		fail(settingToken, "Conflicting Confluence credentials",
			fmt.Sprintf("Set either %s for a bearer token (an OAuth access token or a Data Center personal access token), or %s with %s for basic authentication, not both.",
				settingToken, settingUser, settingAPIToken))
	case s.Token != "":
	case s.User == "" && s.APIToken == "":
		fail(settingAPIToken, "Missing Confluence credentials",
			fmt.Sprintf("Set %s and %s (on Cloud: your Atlassian account email and an API token; on Data Center: a username and password), or %s (a bearer token).",
				settingUser, settingAPIToken, settingToken))
	case s.User == "":
		fail(settingUser, "Missing Confluence user",
			fmt.Sprintf("%s is set, so %s is needed too: on Cloud the email address of the account the API token belongs to, on Data Center the username.",
				settingAPIToken, settingUser))
	case s.APIToken == "":
		fail(settingAPIToken, "Missing Confluence API token",
			fmt.Sprintf("%s is set, so %s is needed too: on Cloud an API token of that account, on Data Center its password (or use %s with a personal access token).",
				settingUser, settingAPIToken, settingToken))
	}

	switch d := strings.ToLower(str(m.Deployment, settingDeployment)); d {
	case "":
		if s.URL != nil {
			s.Deployment = connect.InferDeployment(s.URL.String())
		}
	case string(permissions.Cloud), string(permissions.DataCenter):
		s.Deployment = permissions.Deployment(d)
		if s.Deployment == permissions.DataCenter && s.URL != nil && connect.IsCloudAddress(s.URL.String()) {
			fail(settingDeployment, "Data Center deployment for a Confluence Cloud address",
				fmt.Sprintf("%s is \"datacenter\", but %s is %q, an Atlassian Cloud address: set %s to \"cloud\" or leave it unset, "+
					"or set %s to the address of your Data Center site.", settingDeployment, settingURL, s.URL.String(), settingDeployment, settingURL))
		}
	default:
		fail(settingDeployment, "Invalid Confluence deployment",
			fmt.Sprintf("%s is %q; it must be \"cloud\" or \"datacenter\", or unset to infer it from the URL.", settingDeployment, d))
	}

	switch api := strings.ToLower(str(m.DataCenterAPI, settingDCAPI)); api {
	case "", "rest", "rpc":
		s.DataCenterAPI = api
		if api != "" && s.Deployment == permissions.Cloud {
			fail(settingDCAPI, "Data Center API set for Confluence Cloud",
				fmt.Sprintf("%s is %q, but the site is Confluence Cloud: remove the setting.", settingDCAPI, api))
		}
	default:
		fail(settingDCAPI, "Invalid Data Center API",
			fmt.Sprintf("%s is %q; it must be \"rest\" (Data Center 9.1 and later) or \"rpc\" (the remote API of older versions), or unset to choose by the server's version.", settingDCAPI, api))
	}

	s.RequestTimeout = defaultRequestTimeout
	if raw := str(m.RequestTimeout, settingTimeout); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			fail(settingTimeout, "Invalid request timeout",
				fmt.Sprintf("%s is %q; it must be a positive duration such as \"30s\" or \"2m\".", settingTimeout, raw))
		}
		s.RequestTimeout = d
	}

	s.MaxRetries = defaultMaxRetries
	switch {
	case !m.MaxRetries.IsNull() && !m.MaxRetries.IsUnknown():
		s.MaxRetries = int(m.MaxRetries.ValueInt64())
	case getenv(settingRetries.env) != "":
		n, err := strconv.Atoi(strings.TrimSpace(getenv(settingRetries.env)))
		if err != nil {
			fail(settingRetries, "Invalid retry count",
				fmt.Sprintf("%s is %q; it must be a whole number.", settingRetries, getenv(settingRetries.env)))
		}
		s.MaxRetries = n
	}
	if s.MaxRetries < 0 || s.MaxRetries > 20 {
		fail(settingRetries, "Invalid retry count", fmt.Sprintf("%s is %d; it must be between 0 and 20.", settingRetries, s.MaxRetries))
	}
	return s, problems
}

// parseSiteURL checks a site address. It refuses plain http except on
// loopback, so that credentials never cross a network unencrypted. An
// address with a user or password in it is refused before anything else,
// and refusals never repeat it (the caller echoes only addresses that passed
// hasUserInfo).
func parseSiteURL(raw string) (*url.URL, string) {
	if hasUserInfo(raw) {
		return nil, ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, "is not an absolute http(s) URL such as https://example.atlassian.net"
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, "must not have a query or fragment"
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, "uses plain http, which would send your credentials unencrypted: use https (plain http is accepted only for localhost)"
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	// People paste the address of the wiki itself; the API lives beside it.
	if strings.HasSuffix(u.Hostname(), ".atlassian.net") {
		u.Path = strings.TrimSuffix(u.Path, "/wiki")
	}
	return u, ""
}

// hasUserInfo reports an address with "user:password@" (or "user@") before
// the host. It looks at the text, not at url.Parse's result, so that an
// address too malformed to parse is caught too.
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
