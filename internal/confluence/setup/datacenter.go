package setup

import (
	"context"
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// DataCenterAPI chooses the API that manages space permissions on Data
// Center (contributing/confluence-api.md#choosing-the-rest-api-or-the-remote-api).
type DataCenterAPI string

const (
	// DataCenterAPIAuto reads the server's version and uses the REST API
	// from 9.1 on and the remote API before.
	DataCenterAPIAuto DataCenterAPI = ""
	// DataCenterAPIREST forces the space-permission REST API (9.1+,
	// contributing/confluence-api.md#rest-space-permissions).
	// For when the version cannot be read, for example because a proxy
	// hides /rest/api/server-information.
	DataCenterAPIREST DataCenterAPI = "rest"
	// DataCenterAPIRPC forces the legacy JSON-RPC remote API, which 9.x
	// still ships (contributing/confluence-api.md#the-json-rpc-remote-api): for a
	// 9.1+ site whose REST API misbehaves.
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

// dataCenterBackend returns the backend for the configured or detected API.
//
// Unless the API is configured, the version decides, read from GET
// /rest/api/server-information. That endpoint exists only from 9.1, the
// version that brought the space-permission REST API (javadoc of
// ServerInformation: "Since 9.1.0"), so a 404 means an older version and the
// remote API, or a base URL without the context path, which the remote
// API's own 404 then names. Any other failure (credentials, network) is
// reported, not guessed around, and names the setting that skips the check.
func dataCenterBackend(ctx context.Context, api *transport.API, s Settings, logger transport.Logger) (confluence.Backend, error) {
	opts := []datacenter.Option{datacenter.WithLogger(logger)}
	switch s.DataCenterAPI {
	case DataCenterAPIREST:
		return datacenter.NewREST(api, opts...), nil
	case DataCenterAPIRPC:
		return datacenter.NewRPC(api, opts...), nil
	}
	version, err := datacenter.ServerVersion(ctx, api)
	switch {
	case confluence.IsNotFound(err):
		debug(ctx, logger, "Confluence Data Center has no server-information, so it is older than 9.1: using the remote API", nil)
		return datacenter.NewRPC(api, opts...), nil
	case err != nil:
		hints := []string{"Set the Data Center API to \"rest\" (9.1 and later) or \"rpc\" (older versions) to skip this check"}
		if h := confluence.GeneralHint(err); h != "" {
			hints = append([]string{h}, hints...)
		}
		return nil, fmt.Errorf("cannot read the Confluence Data Center version, which decides between the REST API and the remote API: %w. %s",
			err, strings.Join(hints, ". "))
	}
	fields := map[string]any{"version": version.String()}
	if version.HasRESTPermissions() {
		debug(ctx, logger, "Confluence Data Center 9.1 or later: using the REST API", fields)
		return datacenter.NewREST(api, opts...), nil
	}
	debug(ctx, logger, "Confluence Data Center older than 9.1: using the remote API", fields)
	return datacenter.NewRPC(api, opts...), nil
}

func debug(ctx context.Context, l transport.Logger, msg string, fields map[string]any) {
	if l != nil {
		l.Debug(ctx, msg, fields)
	}
}
