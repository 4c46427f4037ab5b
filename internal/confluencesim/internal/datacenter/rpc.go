package datacenter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// The legacy remote API over JSON-RPC 2.0
// (contributing/confluence-api.md#the-json-rpc-remote-api): POST
// /rpc/json-rpc/confluenceservice-v2 with an envelope {jsonrpc, method,
// params, id}, or "light" mode, POST .../confluenceservice-v2/<method> with
// the bare params array, answering the bare result. There is no token
// argument; callers authenticate like any other request.
//
// UNVERIFIED
// (contributing/confluence-api.md#data-center-authentication-and-xsrf):
// whether personal access tokens work here is not known; chose to accept them
// like Basic authentication.

// RPCRequest is the JSON-RPC 2.0 request envelope.
type RPCRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	ID      json.RawMessage `json:"id"`
}

// RPCResponse is the JSON-RPC 2.0 answer of a call that succeeded.
type RPCResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result"`
}

// RPCErrorResponse is the JSON-RPC 2.0 answer of a call that failed.
type RPCErrorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *RPCError       `json:"error"`
}

// RPCError is the error member of a JSON-RPC 2.0 response.
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): scripts
// read only error.message; chose the JSON-RPC 2.0 codes for protocol errors
// (-32700 parse, -32600 invalid request, -32601 unknown method, -32602 bad
// params) and -32000, the first implementation-defined server error, for
// Confluence refusing the call, with the Java exception class in
// data.exception.
type RPCError struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Data    *RPCErrorData `json:"data,omitempty"`
}

// RPCErrorData names the Java exception behind an RPCError.
type RPCErrorData struct {
	Exception string `json:"exception"`
}

// The codes of RPCError.
const (
	RPCParseError      = -32700
	RPCInvalidRequest  = -32600
	RPCMethodNotFound  = -32601
	RPCInvalidParams   = -32602
	RPCRemoteException = -32000
)

// rpcMethod runs one remote API method with its positional parameters.
type rpcMethod func(a *API, c *state.Caller, params []json.RawMessage) (any, *RPCError)

// serveRPC serves the JSON-RPC envelope.
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): chose
// HTTP 200 for error responses, as JSON-RPC over HTTP carries the error in the
// body.
func (a *API) serveRPC(x *route.Exchange) {
	if !a.remoteAPIAnswers(x) {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(x.W, x.R.Body, route.MaxBodyBytes))
	var req RPCRequest
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if !a.webSudoAllows(x, req.Method) {
		return
	}
	if err != nil {
		writeRPCError(x.W, nil, &RPCError{Code: RPCParseError, Message: "Parse error: " + err.Error()})
		return
	}
	if req.JSONRPC != "2.0" || req.Method == "" {
		writeRPCError(x.W, req.ID, &RPCError{Code: RPCInvalidRequest, Message: `Invalid request: give "jsonrpc": "2.0" and a method`})
		return
	}
	result, rerr := a.call(x, req.Method, req.Params)
	if rerr != nil {
		writeRPCError(x.W, req.ID, rerr)
		return
	}
	route.WriteJSON(x.W, http.StatusOK, RPCResponse{JSONRPC: "2.0", ID: req.ID, Result: result})
}

// serveLightRPC serves light mode: the method in the path, the params array as
// the body, the bare result as the answer
// (contributing/confluence-api.md#the-json-rpc-remote-api).
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): scripts
// read error.message in light mode too; chose the envelope's error response,
// with a null id, for errors.
func (a *API) serveLightRPC(x *route.Exchange) {
	if !a.remoteAPIAnswers(x) || !a.webSudoAllows(x, x.Param("method")) {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(x.W, x.R.Body, route.MaxBodyBytes))
	if err != nil {
		writeRPCError(x.W, nil, &RPCError{Code: RPCParseError, Message: "Parse error: " + err.Error()})
		return
	}
	result, rerr := a.call(x, x.Param("method"), data)
	if rerr != nil {
		writeRPCError(x.W, nil, rerr)
		return
	}
	route.WriteJSON(x.W, http.StatusOK, result)
}

// call runs a method on raw params, which must be an array (positional
// parameters, as the SOAP methods they mirror); null stands for none.
func (a *API) call(x *route.Exchange, method string, raw json.RawMessage) (any, *RPCError) {
	if !knownRPCMethod(method) {
		return nil, &RPCError{Code: RPCMethodNotFound, Message: "Method not found: " + method}
	}
	var params []json.RawMessage
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &params); err != nil {
			return nil, &RPCError{Code: RPCInvalidParams, Message: "Invalid params: give the parameters as an array"}
		}
	}
	if info, ok := rpcServerMethods[method]; ok {
		return info(a, x, params)
	}
	return rpcMethods[method](a, x.Caller, params)
}

func writeRPCError(w http.ResponseWriter, id json.RawMessage, e *RPCError) {
	route.WriteJSON(w, http.StatusOK, RPCErrorResponse{JSONRPC: "2.0", ID: id, Error: e})
}

// remoteAPIAnswers answers for the remote API when the admin switched it
// off: 401 or 404 (Config.RemoteAPIOffStatus).
//
// UNVERIFIED (contributing/confluence-api.md#remote-api-switched-off): onyx
// records 401, gustavebbers/terraform-provider-confluence-dc 404 or 405;
// chose 401 by default and offer 404. The bodies are not on record: for 401 chose the status body
// naming the admin setting, for 404 the answer of an unknown path, as if
// the servlet were not there.
func (a *API) remoteAPIAnswers(x *route.Exchange) bool {
	switch {
	case a.cfg.RemoteAPI:
		return true
	case a.cfg.RemoteAPIOffStatus == http.StatusNotFound:
		a.NotFound(x.W, strings.TrimPrefix(x.R.URL.EscapedPath(), a.cfg.ContextPath))
	default:
		writeStatus(x.W, http.StatusUnauthorized,
			"The remote API is disabled: enable General Configuration > Further Configuration > Remote API (XML-RPC & SOAP)")
	}
	return false
}

// webSudoAllows answers the WebSudo page for a method that needs a secure
// administrator session when those are on; method is "" when the request
// names none it could read.
func (a *API) webSudoAllows(x *route.Exchange, method string) bool {
	if a.cfg.WebSudo && rpcNeedsWebSudo(method) {
		writeWebSudoPage(x.W)
		return false
	}
	return true
}

// writeWebSudoPage answers as a site with secure administrator sessions does:
// HTTP 200 with an HTML page, not JSON
// (contributing/confluence-api.md#websudo).
//
// UNVERIFIED (contributing/confluence-api.md#websudo): which methods need
// WebSudo is not known (onyx met it on getSpacePermissionSets); chose every
// permission method, all of which administer a space, but not getServerInfo
// (see rpcNeedsWebSudo). The page's text is ours, with the exception's name.
func writeWebSudoPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `<!DOCTYPE html>
<html><head><title>Administrator Access - Confluence</title></head>
<body><h1>Administrator Access</h1>
<p>You have requested access to an administrative function in Confluence and need to confirm your password.</p>
<!-- com.atlassian.confluence.rpc.WebSudoRequiredException -->
<form method="post" action="/doauthenticate.action"><input type="password" name="password"></form>
</body></html>
`)
}

// OperationName names the JSON-RPC method of a request, so that requests
// are counted per method: from the envelope, or from the path in light
// mode. Unknown methods and unreadable envelopes are counted on the route.
func (a *API) OperationName(r *http.Request, m route.Match) string {
	var name string
	switch m.Template {
	case RPCPath:
		name = peekRPCMethod(r)
	case RPCPath + "/{method}":
		name = m.Params["method"]
	}
	if !knownRPCMethod(name) {
		return ""
	}
	return name
}

// ServesOperation reports whether the template serves the JSON-RPC method.
func (a *API) ServesOperation(template, name string) bool {
	return knownRPCMethod(name) && (template == RPCPath || template == RPCPath+"/{method}")
}

// peekRPCMethod reads the method of an envelope and puts the body back for
// the handler.
func peekRPCMethod(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, route.MaxBodyBytes))
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	var envelope struct {
		Method string `json:"method"`
	}
	_ = json.Unmarshal(data, &envelope)
	return envelope.Method
}

// bindParams decodes positional parameters into into, one each.
func bindParams(params []json.RawMessage, into ...any) *RPCError {
	if len(params) != len(into) {
		return &RPCError{Code: RPCInvalidParams, Message: fmt.Sprintf("Invalid params: expected %d parameters, got %d", len(into), len(params))}
	}
	for i, p := range params {
		if err := json.Unmarshal(p, into[i]); err != nil {
			return &RPCError{Code: RPCInvalidParams, Message: fmt.Sprintf("Invalid params: parameter %d: %v", i+1, err)}
		}
	}
	return nil
}
