package confluencesim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
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

// rpcRequest is the JSON-RPC 2.0 request envelope.
type rpcRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	ID      json.RawMessage `json:"id"`
}

type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result"`
}

type rpcErrorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *rpcError       `json:"error"`
}

// rpcError is the error member of a JSON-RPC 2.0 response.
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): scripts
// read only error.message; chose the JSON-RPC 2.0 codes for protocol errors
// (-32700 parse, -32600 invalid request, -32601 unknown method, -32602 bad
// params) and -32000, the first implementation-defined server error, for
// Confluence refusing the call, with the Java exception class in
// data.exception.
type rpcError struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Data    *rpcErrorData `json:"data,omitempty"`
}

type rpcErrorData struct {
	Exception string `json:"exception"`
}

const (
	rpcParseError      = -32700
	rpcInvalidRequest  = -32600
	rpcMethodNotFound  = -32601
	rpcInvalidParams   = -32602
	rpcRemoteException = -32000
)

// rpcMethod runs one remote API method with its positional parameters.
type rpcMethod func(a *dcAPI, c *caller, params []json.RawMessage) (any, *rpcError)

// serveRPC serves the JSON-RPC envelope.
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): chose
// HTTP 200 for error responses, as JSON-RPC over HTTP carries the error in the
// body.
func (a *dcAPI) serveRPC(x *exchange) {
	if !a.remoteAPIAnswers(x) {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(x.w, x.r.Body, maxBodyBytes))
	var req rpcRequest
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if !a.webSudoAllows(x, req.Method) {
		return
	}
	if err != nil {
		writeRPCError(x.w, nil, &rpcError{Code: rpcParseError, Message: "Parse error: " + err.Error()})
		return
	}
	if req.JSONRPC != "2.0" || req.Method == "" {
		writeRPCError(x.w, req.ID, &rpcError{Code: rpcInvalidRequest, Message: `Invalid request: give "jsonrpc": "2.0" and a method`})
		return
	}
	result, rerr := a.call(x, req.Method, req.Params)
	if rerr != nil {
		writeRPCError(x.w, req.ID, rerr)
		return
	}
	writeJSON(x.w, http.StatusOK, rpcResponse{JSONRPC: "2.0", ID: req.ID, Result: result})
}

// serveLightRPC serves light mode: the method in the path, the params array as
// the body, the bare result as the answer
// (contributing/confluence-api.md#the-json-rpc-remote-api).
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): scripts
// read error.message in light mode too; chose the envelope's error response,
// with a null id, for errors.
func (a *dcAPI) serveLightRPC(x *exchange) {
	if !a.remoteAPIAnswers(x) || !a.webSudoAllows(x, x.param("method")) {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(x.w, x.r.Body, maxBodyBytes))
	if err != nil {
		writeRPCError(x.w, nil, &rpcError{Code: rpcParseError, Message: "Parse error: " + err.Error()})
		return
	}
	result, rerr := a.call(x, x.param("method"), data)
	if rerr != nil {
		writeRPCError(x.w, nil, rerr)
		return
	}
	writeJSON(x.w, http.StatusOK, result)
}

// call runs a method on raw params, which must be an array (positional
// parameters, as the SOAP methods they mirror); null stands for none.
func (a *dcAPI) call(x *exchange, method string, raw json.RawMessage) (any, *rpcError) {
	if !knownRPCMethod(method) {
		return nil, &rpcError{Code: rpcMethodNotFound, Message: "Method not found: " + method}
	}
	var params []json.RawMessage
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &params); err != nil {
			return nil, &rpcError{Code: rpcInvalidParams, Message: "Invalid params: give the parameters as an array"}
		}
	}
	if info, ok := rpcServerMethods[method]; ok {
		return info(a, x, params)
	}
	return rpcMethods[method](a, x.caller, params)
}

func writeRPCError(w http.ResponseWriter, id json.RawMessage, e *rpcError) {
	writeJSON(w, http.StatusOK, rpcErrorResponse{JSONRPC: "2.0", ID: id, Error: e})
}

// remoteAPIAnswers answers for the remote API when the admin switched it
// off: 401 or 404 (Options.RemoteAPIOffStatus).
//
// UNVERIFIED (contributing/confluence-api.md#remote-api-switched-off): onyx
// records 401, gustavebbers/terraform-provider-confluence-dc 404 or 405;
// chose 401 by default and offer 404. The bodies are not on record: for 401 chose the status body
// naming the admin setting, for 404 the answer of an unknown path, as if
// the servlet were not there.
func (a *dcAPI) remoteAPIAnswers(x *exchange) bool {
	switch {
	case a.remoteAPI:
		return true
	case a.remoteAPIOff == http.StatusNotFound:
		a.notFound(x.w, strings.TrimPrefix(x.r.URL.EscapedPath(), a.contextPath))
	default:
		writeDCStatus(x.w, http.StatusUnauthorized,
			"The remote API is disabled: enable General Configuration > Further Configuration > Remote API (XML-RPC & SOAP)")
	}
	return false
}

// webSudoAllows answers the WebSudo page for a method that needs a secure
// administrator session when those are on; method is "" when the request
// names none it could read.
func (a *dcAPI) webSudoAllows(x *exchange, method string) bool {
	if a.webSudo && rpcNeedsWebSudo(method) {
		writeWebSudoPage(x.w)
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

// operationName names the JSON-RPC method of a request, so that requests
// are counted per method: from the envelope, or from the path in light
// mode. Unknown methods and unreadable envelopes are counted on the route.
func (a *dcAPI) operationName(r *http.Request, m match) string {
	var name string
	switch m.template {
	case dcRPC:
		name = peekRPCMethod(r)
	case dcRPC + "/{method}":
		name = m.params["method"]
	}
	if !knownRPCMethod(name) {
		return ""
	}
	return name
}

func (a *dcAPI) servesOperation(template, name string) bool {
	return knownRPCMethod(name) && (template == dcRPC || template == dcRPC+"/{method}")
}

// peekRPCMethod reads the method of an envelope and puts the body back for
// the handler.
func peekRPCMethod(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
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
func bindParams(params []json.RawMessage, into ...any) *rpcError {
	if len(params) != len(into) {
		return &rpcError{Code: rpcInvalidParams, Message: fmt.Sprintf("Invalid params: expected %d parameters, got %d", len(into), len(params))}
	}
	for i, p := range params {
		if err := json.Unmarshal(p, into[i]); err != nil {
			return &rpcError{Code: rpcInvalidParams, Message: fmt.Sprintf("Invalid params: parameter %d: %v", i+1, err)}
		}
	}
	return nil
}
