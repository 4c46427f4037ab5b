package datacenter

import (
	"encoding/json"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
)

// rpcServerMethods are the remote API methods about the server rather than
// a space; they need the request, for the site's URL.
var rpcServerMethods = map[string]func(a *API, x *route.Exchange, params []json.RawMessage) (any, *RPCError){
	"getServerInfo": (*API).getServerInfo,
}

// knownRPCMethod reports whether the remote API serves a method.
func knownRPCMethod(name string) bool {
	_, space := rpcMethods[name]
	_, server := rpcServerMethods[name]
	return space || server
}

// rpcNeedsWebSudo reports whether a method is refused with the WebSudo page
// when secure administrator sessions are on; "" (no method could be read)
// is, as it was before methods were told apart.
//
// UNVERIFIED (contributing/confluence-api.md#websudo): Atlassian's KB says
// administrative remote API calls need a secure session and names no method;
// chose to exempt getServerInfo, which any signed-in user may call, so that a
// client can read the version on such sites.
func rpcNeedsWebSudo(method string) bool {
	_, server := rpcServerMethods[method]
	return !server
}

// RPCServerInfo is RemoteServerInfo, the answer of getServerInfo. The
// remote API javadoc gives its properties: majorVersion, minorVersion and
// patchLevel (int), buildId (String), developmentBuild (boolean) and
// baseUrl (String).
//
// UNVERIFIED (contributing/confluence-api.md#server-information-since-91):
// no JSON-RPC answer of getServerInfo is on record; chose the bean property
// names as JSON members, as the remote API serialises its other beans, and
// the build number of server-information as buildId.
type RPCServerInfo struct {
	MajorVersion     int    `json:"majorVersion"`
	MinorVersion     int    `json:"minorVersion"`
	PatchLevel       int    `json:"patchLevel"`
	BuildID          string `json:"buildId"`
	DevelopmentBuild bool   `json:"developmentBuild"`
	BaseURL          string `json:"baseUrl"`
}

// getServerInfo() answers the version of the site, on every release: the
// remote API has had the method since long before 9.1, where REST
// server-information begins.
func (a *API) getServerInfo(x *route.Exchange, params []json.RawMessage) (any, *RPCError) {
	if err := bindParams(params); err != nil {
		return nil, err
	}
	return RPCServerInfo{
		MajorVersion: a.cfg.Version.major,
		MinorVersion: a.cfg.Version.minor,
		PatchLevel:   a.cfg.Version.patch,
		BuildID:      strconv.Itoa(a.cfg.Version.buildNumber()),
		BaseURL:      a.base(x),
	}, nil
}
