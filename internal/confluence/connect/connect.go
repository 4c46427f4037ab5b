// Package connect builds a confluence.Client from provider settings: it
// picks the deployment (given, inferred from the address, or asked of the
// server) and the backend that speaks its API.
package connect

import (
	"context"
	"fmt"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cloud"
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
	RequestTimeout time.Duration
	MaxRetries     int // 0 means no retries
	UserAgent      string
	Logger         transport.Logger
}

// Open returns a client for the site.
func Open(ctx context.Context, s Settings) (*confluence.Client, error) {
	api, err := transport.New(transportConfig(s))
	if err != nil {
		return nil, err
	}
	deployment := s.Deployment
	if deployment == "" {
		if deployment, err = discover(ctx, api); err != nil {
			return nil, err
		}
	}
	switch deployment {
	case permissions.Cloud:
		return confluence.NewClient(cloud.New(api)), nil
	default:
		return nil, fmt.Errorf("deployment %q is not supported", deployment)
	}
}

func transportConfig(s Settings) transport.Config {
	cfg := transport.Config{
		BaseURL:    s.URL,
		Timeout:    s.RequestTimeout,
		MaxRetries: s.MaxRetries,
		UserAgent:  s.UserAgent,
		Logger:     s.Logger,
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

// discover asks a site that is not recognisably Cloud what it is.
func discover(ctx context.Context, api *transport.Client) (permissions.Deployment, error) {
	return "", fmt.Errorf("cannot tell whether %s is Confluence Cloud or Data Center: set deployment (or CONFLUENCE_DEPLOYMENT) to \"cloud\" or \"datacenter\"", api.BaseURL())
}
