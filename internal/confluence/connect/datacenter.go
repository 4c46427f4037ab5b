package connect

import (
	"context"
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// DataCenterAPI chooses the API that manages space permissions on Data
// Center (reference/confluence-dc-api.md §0, §9).
type DataCenterAPI string

const (
	// DataCenterAPIAuto reads the server's version and uses the REST API
	// from 9.1 on and the remote API before.
	DataCenterAPIAuto DataCenterAPI = ""
	// DataCenterAPIREST forces the space-permission REST API (9.1+, §1).
	// For when the version cannot be read, for example because a proxy
	// hides /rest/api/server-information.
	DataCenterAPIREST DataCenterAPI = "rest"
	// DataCenterAPIRPC forces the legacy JSON-RPC remote API (§2), which
	// 9.x still ships (§3): for a 9.1+ site whose REST API misbehaves.
	DataCenterAPIRPC DataCenterAPI = "rpc"
)

func (a DataCenterAPI) validate() error {
	switch a {
	case DataCenterAPIAuto, DataCenterAPIREST, DataCenterAPIRPC:
		return nil
	}
	return fmt.Errorf("the Data Center API %q is not one of %q (Data Center 9.1 and later), %q (the legacy remote API) or empty (choose by version)",
		string(a), DataCenterAPIREST, DataCenterAPIRPC)
}

// hintCredentials is added when the server refused the credentials, so that
// a Data Center token sent to Cloud (or the reverse) says what to check.
const hintCredentials = "Confluence did not accept the provider's credentials: check the user and API token " +
	"(a password on Data Center), or the bearer token (a personal access token on Data Center), and that they belong to this site"

// discover asks a site that the caller could not recognise as Cloud what it
// is: Data Center answers GET /rest/api/server-information with its version
// (§1.8d). Anything else leaves the choice to the user.
func discover(ctx context.Context, api *transport.Client) (datacenter.Version, error) {
	v, err := datacenter.ServerVersion(ctx, api)
	if err != nil {
		return datacenter.Version{}, &discoveryError{baseURL: api.BaseURL(), err: err}
	}
	return v, nil
}

// discoveryError says that the site is neither recognisably Cloud nor
// answering as Data Center, and keeps what it answered reachable.
type discoveryError struct {
	baseURL string
	err     error
}

func (e *discoveryError) Error() string {
	msg := fmt.Sprintf("cannot tell whether %s is Confluence Cloud or Data Center: asking it for its version failed (%v). "+
		"Set deployment (or CONFLUENCE_DEPLOYMENT) to \"cloud\" or \"datacenter\"", e.baseURL, e.err)
	if confluence.IsUnauthorized(e.err) {
		msg += ". " + hintCredentials
	}
	return msg
}

func (e *discoveryError) Unwrap() error { return e.err }

// dataCenterBackend returns the backend for the configured or detected API.
// version is the version discovery already read, if any.
//
// When the version cannot be read because the server answers 404, the
// remote API is chosen: every version with the REST API is known to answer
// server-information (onyx relies on it up to 10.x, §1.8d), so a 404 points
// to an older version — or to a base URL without the context path, which the
// remote API's own 404 then names. Any other failure (credentials, network)
// is reported, not guessed around, and names the setting that skips it.
func dataCenterBackend(ctx context.Context, api *transport.Client, s Settings, version *datacenter.Version) (confluence.Backend, error) {
	opts := []datacenter.Option{datacenter.WithLogger(s.Logger)}
	switch s.DataCenterAPI {
	case DataCenterAPIREST:
		return datacenter.NewREST(api, opts...), nil
	case DataCenterAPIRPC:
		return datacenter.NewRPC(api, opts...), nil
	}
	if version == nil {
		v, err := datacenter.ServerVersion(ctx, api)
		switch {
		case confluence.IsNotFound(err):
			debug(ctx, s.Logger, "Confluence Data Center has no server-information: using the remote API", nil)
			return datacenter.NewRPC(api, opts...), nil
		case err != nil:
			hints := []string{"Set the Data Center API to \"rest\" (9.1 and later) or \"rpc\" (older versions) to skip this check"}
			if confluence.IsUnauthorized(err) {
				hints = append([]string{hintCredentials}, hints...)
			}
			return nil, fmt.Errorf("cannot read the Confluence Data Center version, which decides between the REST API and the remote API: %w. %s",
				err, strings.Join(hints, ". "))
		}
		version = &v
	}
	fields := map[string]any{"version": version.String()}
	if version.HasRESTPermissions() {
		debug(ctx, s.Logger, "Confluence Data Center 9.1 or later: using the REST API", fields)
		return datacenter.NewREST(api, opts...), nil
	}
	debug(ctx, s.Logger, "Confluence Data Center older than 9.1: using the remote API", fields)
	return datacenter.NewRPC(api, opts...), nil
}

func debug(ctx context.Context, l transport.Logger, msg string, fields map[string]any) {
	if l != nil {
		l.Debug(ctx, msg, fields)
	}
}
