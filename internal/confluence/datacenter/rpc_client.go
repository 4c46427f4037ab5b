package datacenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// rpcPath is the JSON-RPC endpoint of the remote API
// (contributing/confluence-api.md#the-json-rpc-remote-api).
const rpcPath = "/rpc/json-rpc/confluenceservice-v2"

// rpcClient sends JSON-RPC 2.0 calls
// (contributing/confluence-api.md#the-json-rpc-remote-api). JSON-RPC takes no
// token argument (authentication is the transport's basic auth or bearer
// token), so params are the SOAP method's parameters after the token.
type rpcClient struct {
	api    *transport.API
	lastID atomic.Int64
}

type rpcRequestJSON struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
	ID      int64  `json:"id"`
}

type rpcResponseJSON struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		// Code is read loosely: the schema beyond message is UNVERIFIED.
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	} `json:"error"`
}

// rpcCall is one method invocation.
type rpcCall struct {
	method string
	params []any
	// read marks a method that changes nothing, so that the transport
	// retries it like a GET although it is a POST.
	read bool
}

// call invokes the method and decodes its result into out (nil ignores it).
func (c *rpcClient) call(ctx context.Context, rc rpcCall, out any) error {
	body := rpcRequestJSON{JSONRPC: "2.0", Method: rc.method, Params: rc.params, ID: c.lastID.Add(1)}
	if body.Params == nil {
		body.Params = []any{}
	}
	res, err := c.api.Do(ctx, transport.Request{Method: http.MethodPost, Path: rpcPath, Body: body, Idempotent: rc.read})
	if err != nil {
		return explainRPC(rc.method, err)
	}
	var env rpcResponseJSON
	if err := res.DecodeJSON(&env); err != nil {
		return explainRPC(rc.method, err)
	}
	if env.Error != nil {
		return explainRPC(rc.method, &RPCError{
			Method: rc.method,
			Code:   rpcCode(env.Error.Code),
			HTTP: &confluence.Error{StatusCode: res.StatusCode, Method: res.Method, Path: res.Path,
				Message: strings.TrimSpace(env.Error.Message)},
		})
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("the result of the remote API method %s is not what was expected: %w", rc.method, err)
	}
	return nil
}

// rpcCode reads a JSON-RPC error code, 0 when it is absent or not an integer.
func rpcCode(raw json.RawMessage) int {
	var code int
	if json.Unmarshal(raw, &code) != nil {
		return 0
	}
	return code
}

// RPCError is a remote API method that failed: Confluence answered
// with a JSON-RPC error object, either with an HTTP error status or with
// 200. It unwraps to a *confluence.Error whose StatusCode is the HTTP
// status and whose Message is the JSON-RPC error.message, so IsUnauthorized
// and the like work on it. The error schema beyond message is UNVERIFIED.
type RPCError struct {
	// Method is the JSON-RPC method, such as addPermissionToSpace.
	Method string
	// Code is the JSON-RPC error code of an error answered with a success
	// status; 0 otherwise (the transport keeps only an error's message).
	Code int
	HTTP *confluence.Error
}

func (e *RPCError) Error() string {
	if e.HTTP.Message == "" {
		return fmt.Sprintf("the remote API method %s failed: Confluence answered %d %s",
			e.Method, e.HTTP.StatusCode, http.StatusText(e.HTTP.StatusCode))
	}
	return fmt.Sprintf("the remote API method %s failed (HTTP %d): %s", e.Method, e.HTTP.StatusCode, e.HTTP.Message)
}

func (e *RPCError) Unwrap() error { return e.HTTP }

// Hints for the failures the remote API is known for
// (contributing/confluence-api.md#remote-api-switched-off,
// contributing/confluence-api.md#websudo).
const (
	hintRemoteAPIOff = "the remote API is switched off, or the credentials are wrong: with the remote API off, some versions answer 401 " +
		"and others 404. An administrator enables it under General Configuration → Further Configuration → Remote API; " +
		"otherwise check the provider's user and api_token (or token)"
	hintWebSudo = "secure administrator sessions (WebSudo) blocked the call: " +
		"disable them in General Configuration → Security Configuration"
	hintNoRemoteAPI = "the remote API is switched off (some versions answer 404 then, others 401: an administrator enables it under " +
		"General Configuration → Further Configuration → Remote API), or this server is not Confluence Data Center or Server " +
		"(Confluence Cloud removed the remote API in 2019; set deployment to \"cloud\" for a Cloud site on its own domain), " +
		"or the base URL misses the context path"
)

// explainRPC names the method in a transport failure and adds what to do.
func explainRPC(method string, err error) error {
	var html *transport.HTMLResponseError
	if errors.As(err, &html) {
		return &webSudoError{method: method, page: html}
	}
	var e *confluence.Error
	if errors.As(err, &e) {
		var rpcErr *RPCError
		if !errors.As(err, &rpcErr) {
			err = &RPCError{Method: method, HTTP: e}
		}
		if mentionsWebSudo(e.Message) {
			return withHint(err, hintWebSudo)
		}
	}
	switch {
	case confluence.IsUnauthorized(err):
		return withHint(err, hintRemoteAPIOff)
	case confluence.IsNotFound(err), hasStatus(err, http.StatusMethodNotAllowed):
		// 404, and 405 on some versions, when the remote API is off or
		// absent (gustavebbers/terraform-provider-confluence-dc records both).
		return withHint(err, hintNoRemoteAPI)
	}
	return err
}

func hasStatus(err error, status int) bool {
	var e *confluence.Error
	return errors.As(err, &e) && e.StatusCode == status
}

// mentionsWebSudo recognises WebSudoRequiredException
// (contributing/confluence-api.md#websudo) by its text,
// in any case: the transport strips Java class names from error bodies, so
// on an HTTP error only the exception's message is left.
func mentionsWebSudo(msg string) bool {
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "websudo") || strings.Contains(msg, "secure administrator session")
}

// webSudoError is a remote API call answered with an HTML page, most often
// the secure administrator session prompt, with HTTP 200
// (contributing/confluence-api.md#websudo).
type webSudoError struct {
	method string
	page   *transport.HTMLResponseError
}

func (e *webSudoError) Error() string {
	title := ""
	if e.page.Title != "" {
		title = fmt.Sprintf(" (%q)", e.page.Title)
	}
	return fmt.Sprintf("the remote API method %s was answered with an HTML page%s instead of JSON: %s "+
		"(or a login page or proxy intercepted the call)", e.method, title, hintWebSudo)
}

func (e *webSudoError) Unwrap() error { return e.page }
