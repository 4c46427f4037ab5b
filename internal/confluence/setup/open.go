package setup

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Options are what a caller adds to the settings: how it introduces itself
// and where debug lines go.
type Options struct {
	UserAgent string
	Logger    transport.Logger
	// HTTPClient sends the requests; nil uses go-cleanhttp's pooled client.
	HTTPClient *http.Client
	// Unpaced turns the shared pace off (transport.Config.Unpaced): for the
	// benchmarks only.
	Unpaced bool
}

// Open returns a client for the site. It sends no request for Cloud, or for
// Data Center with an explicit DataCenterAPI; else it reads the server's
// version once (see dataCenterBackend).
func Open(ctx context.Context, s Settings, o Options) (*confluence.Client, error) {
	if s.URL == nil {
		return nil, errors.New("no Confluence address: resolve the settings first")
	}
	if err := s.DataCenterAPI.validate(); err != nil {
		return nil, err
	}
	if o.HTTPClient == nil {
		// One pool of connections for the version probe and the backend.
		o.HTTPClient = cleanhttp.DefaultPooledClient()
	}
	deployment := s.Deployment
	if deployment == "" {
		deployment = InferDeployment(s.URL.String())
	}
	switch deployment {
	case permissions.Cloud:
		if s.DataCenterAPI != DataCenterAPIAuto {
			return nil, fmt.Errorf("the Data Center API is set to %q, but %s is Confluence Cloud: remove the setting", s.DataCenterAPI, s.URL)
		}
		api, err := transport.New(TransportConfig(s, o, nil))
		if err != nil {
			return nil, err
		}
		return confluence.NewClient(cloud.New(api)), nil
	case permissions.DataCenter:
		// Data Center writes carry the XSRF header
		// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
		api, err := transport.New(TransportConfig(s, o, datacenter.WriteHeaders()))
		if err != nil {
			return nil, err
		}
		backend, err := dataCenterBackend(ctx, api, s, o.Logger)
		if err != nil {
			return nil, err
		}
		return confluence.NewClient(backend), nil
	}
	return nil, fmt.Errorf("deployment %q is not supported", deployment)
}

// InferDeployment tells Cloud from Data Center by the address: Cloud sites
// live under *.atlassian.net, and scoped tokens and OAuth reach them through
// https://api.atlassian.com/ex/confluence/{cloudId}; every other address is
// Data Center. Asking the server instead does not work on every version:
// GET /rest/api/server-information exists only from Data Center 9.1
// (contributing/confluence-api.md#server-information-since-91).
func InferDeployment(baseURL string) permissions.Deployment {
	if IsCloudAddress(baseURL) {
		return permissions.Cloud
	}
	return permissions.DataCenter
}

// IsCloudAddress reports whether the address is one of Atlassian Cloud's.
func IsCloudAddress(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return strings.HasSuffix(host, ".atlassian.net") ||
		host == "api.atlassian.com" && strings.HasPrefix(u.Path, "/ex/confluence/")
}

// TransportConfig is the transport configuration of the settings, with
// writeHeaders added to every write.
func TransportConfig(s Settings, o Options, writeHeaders http.Header) transport.Config {
	cfg := transport.Config{
		BaseURL:           s.URL.String(),
		HTTPClient:        o.HTTPClient,
		Timeout:           s.RequestTimeout,
		MaxRetries:        s.MaxRetries,
		MaxConcurrency:    s.MaxConcurrency,
		Unpaced:           o.Unpaced,
		UserAgent:         o.UserAgent,
		Logger:            o.Logger,
		ExtraWriteHeaders: writeHeaders,
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = -1 // the transport reads 0 as its default
	}
	if s.Token != "" {
		cfg.Auth = transport.Bearer{Token: s.Token}
	} else {
		cfg.Auth = transport.Basic{User: s.User, Token: s.APIToken}
	}
	return cfg
}
