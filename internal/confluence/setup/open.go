// Package connect builds a confluence.Client from provider settings: it
// picks the deployment (given, inferred from the address by the caller, or
// asked of the server) and the backend that speaks its API.
package connect

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Settings are the checked provider settings.
type Settings struct {
	URL            string
	User           string
	APIToken       string
	Token          string
	Deployment     permissions.Deployment // "" to discover
	DataCenterAPI  DataCenterAPI          // "" to choose by version
	RequestTimeout time.Duration
	MaxRetries     int // 0 means no retries
	UserAgent      string
	Logger         transport.Logger
}

// Open returns a client for the site. A deployment left empty is inferred
// from the address (InferDeployment). It sends no request for Cloud, or for
// Data Center with an explicit DataCenterAPI; else it reads the server's
// version once (see dataCenterBackend).
func Open(ctx context.Context, s Settings) (*confluence.Client, error) {
	if err := s.DataCenterAPI.validate(); err != nil {
		return nil, err
	}
	// One pool of connections for the probe and the backend.
	httpClient := cleanhttp.DefaultPooledClient()
	api, err := transport.New(transportConfig(s, httpClient, nil))
	if err != nil {
		return nil, err
	}
	deployment := s.Deployment
	if deployment == "" {
		deployment = InferDeployment(api.BaseURL())
	}
	switch deployment {
	case permissions.Cloud:
		if s.DataCenterAPI != DataCenterAPIAuto {
			return nil, fmt.Errorf("the Data Center API is set to %q, but %s is Confluence Cloud: remove the setting", s.DataCenterAPI, api.BaseURL())
		}
		return confluence.NewClient(cloud.New(api)), nil
	case permissions.DataCenter:
		// Data Center writes carry the XSRF header
		// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
		dc, err := transport.New(transportConfig(s, httpClient, datacenter.WriteHeaders()))
		if err != nil {
			return nil, err
		}
		backend, err := dataCenterBackend(ctx, dc, s)
		if err != nil {
			return nil, err
		}
		return confluence.NewClient(backend), nil
	default:
		return nil, fmt.Errorf("deployment %q is not supported", deployment)
	}
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

func transportConfig(s Settings, httpClient *http.Client, writeHeaders http.Header) transport.Config {
	cfg := transport.Config{
		BaseURL:           s.URL,
		HTTPClient:        httpClient,
		Timeout:           s.RequestTimeout,
		MaxRetries:        s.MaxRetries,
		UserAgent:         s.UserAgent,
		Logger:            s.Logger,
		ExtraWriteHeaders: writeHeaders,
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = -1 // the transport reads 0 as "default"
	}
	if s.Token != "" {
		cfg.Auth = transport.Bearer{Token: s.Token}
	} else {
		cfg.Auth = transport.Basic{User: s.User, Token: s.APIToken}
	}
	return cfg
}
