package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The environment variables the provider reads its credentials and address
// from; the probe reads the same ones and never takes a secret as a flag.
const (
	EnvURL      = "CONFLUENCE_URL"
	EnvUser     = "CONFLUENCE_USER"
	EnvAPIToken = "CONFLUENCE_API_TOKEN"
	EnvToken    = "CONFLUENCE_TOKEN"
)

// DefaultSpaceCount is how many spaces the read checks look at when none
// are named: the first global spaces the account can see.
const DefaultSpaceCount = 5

// Config configures a run.
type Config struct {
	// URL is the site's base URL: https://example.atlassian.net, the
	// gateway https://api.atlassian.com/ex/confluence/{cloudId}, or a Data
	// Center address with its context path. A URL with a user or password
	// is refused.
	URL string
	// Deployment is permissions.Cloud or permissions.DataCenter; "" infers
	// it from the address as the provider does.
	Deployment permissions.Deployment
	// Spaces are the keys the read checks look at; none means the first
	// DefaultSpaceCount global spaces the account can see.
	Spaces []string
	// WriteSpace is the one sandbox space where the write checks may add
	// and remove anonymous access; "" runs no write check.
	WriteSpace string

	// User with APIToken is basic authentication; Token alone a bearer
	// token. Exactly one of the two must be set.
	User     string
	APIToken string
	Token    string

	// Version is the tool's version, shown in the report.
	Version string
	// Now is the clock; nil uses time.Now.
	Now func() time.Time
	// HTTPClient sends the requests; nil uses go-cleanhttp's pooled client.
	// Its Transport is wrapped to record answers.
	HTTPClient *http.Client
	// MaxRetries is passed to the transport (0: its default, negative:
	// none).
	MaxRetries int
	// Sleep is the transport's wait between attempts; nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, when set, receives one line per check as it starts.
	Progress io.Writer
}

// FromEnv fills the address and credentials from the provider's environment
// variables; an address already set (the -url flag) is kept.
func (c *Config) FromEnv(getenv func(string) string) {
	if c.URL == "" {
		c.URL = getenv(EnvURL)
	}
	c.User = getenv(EnvUser)
	c.APIToken = getenv(EnvAPIToken)
	c.Token = getenv(EnvToken)
}

// ConfigError is a configuration the probe refuses before sending anything
// (the command exits with status 2).
type ConfigError struct{ msg string }

func (e *ConfigError) Error() string { return e.msg }

// IsConfigError reports a *ConfigError.
func IsConfigError(err error) bool {
	var e *ConfigError
	return errors.As(err, &e)
}

func configErrorf(format string, args ...any) error {
	return &ConfigError{msg: fmt.Sprintf(format, args...)}
}

// checked is a validated configuration.
type checked struct {
	Config
	deployment       permissions.Deployment
	deploymentSource string
	bearer           bool
}

func (c Config) check() (checked, error) {
	out := checked{Config: c}
	// The address, the credentials and the deployment follow the
	// provider's rules and messages (setup.Resolve); the environment was
	// read already (FromEnv), so nothing stands in for what is unset here.
	given := setup.Given{URL: &c.URL, User: &c.User, APIToken: &c.APIToken, Token: &c.Token}
	out.deploymentSource = "inferred from the address"
	if c.Deployment != "" {
		d := string(c.Deployment)
		given.Deployment = &d
		out.deploymentSource = "given"
	}
	settings, problems := setup.Resolve(given, func(string) string { return "" })
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Detail
		}
		return out, configErrorf("%s", strings.Join(msgs, " "))
	}
	out.URL = settings.URL.String()
	out.deployment = settings.Deployment
	out.bearer = settings.Token != ""

	out.Spaces = nil
	for _, k := range c.Spaces {
		if err := checkKey(k); err != nil {
			return out, err
		}
		if k = strings.TrimSpace(k); !containsFold(out.Spaces, k) {
			out.Spaces = append(out.Spaces, k)
		}
	}
	out.WriteSpace = strings.TrimSpace(c.WriteSpace)
	if out.WriteSpace != "" {
		if err := checkKey(out.WriteSpace); err != nil {
			return out, err
		}
	}
	if out.Now == nil {
		out.Now = time.Now
	}
	return out, nil
}

// checkKey refuses what cannot be a space key, so that a key never changes
// the path it is put in.
func checkKey(k string) error {
	k = strings.TrimSpace(k)
	if err := permissions.ValidateSpaceKey(k); err != nil {
		return configErrorf("%v", err)
	}
	if strings.ContainsAny(k, "?#%,&") {
		return configErrorf("%q is not a space key the probe can put in a path", k)
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
