package cloud

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
)

// Cloud answers errors in two envelopes
// (contributing/confluence-api.md#cloud-error-bodies): v1 paths with
// {statusCode, data, message}, where message is "<Java exception>: <text>",
// and v2 paths with {errors: [{status, code, title, detail}]}.

const (
	badRequestException = "com.atlassian.confluence.api.service.exceptions.BadRequestException"
	permissionException = "com.atlassian.confluence.api.service.exceptions.PermissionException"
	// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): the 404
	// example gives only the text "No space with key : NOPE"; chose the
	// NotFoundException class of the same package for the prefix.
	notFoundException = "com.atlassian.confluence.api.service.exceptions.NotFoundException"
)

// V1ErrorBody is the v1 error envelope.
type V1ErrorBody struct {
	StatusCode int         `json:"statusCode"`
	Data       V1ErrorData `json:"data"`
	Message    string      `json:"message"`
}

// V1ErrorData is the data block of the v1 envelope.
type V1ErrorData struct {
	Authorized bool  `json:"authorized"`
	Valid      bool  `json:"valid"`
	Errors     []any `json:"errors"`
	Successful bool  `json:"successful"`
}

// V2ErrorBody is the v2 error envelope.
type V2ErrorBody struct {
	Errors []V2Error `json:"errors"`
}

// V2Error is one error of the v2 envelope.
type V2Error struct {
	Status int     `json:"status"`
	Code   string  `json:"code"`
	Title  string  `json:"title"`
	Detail *string `json:"detail"`
}

// writeV1Error writes the v1 envelope.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): the only
// real v1 error body on record (the 400 of
// contributing/confluence-api.md#permission-writes-v1) has data
// {authorized:true, valid:true, errors:[], successful:true}; chose to send
// that same data block with every status rather than invent other values.
func writeV1Error(w http.ResponseWriter, status int, exception, text string) {
	message := text
	if exception != "" {
		message = exception + ": " + text
	}
	route.WriteJSON(w, status, V1ErrorBody{
		StatusCode: status,
		Data:       V1ErrorData{Authorized: true, Valid: true, Errors: []any{}, Successful: true},
		Message:    message,
	})
}

// writeV2Error writes the v2 envelope; an empty detail is sent as null, as in
// the 404 example of contributing/confluence-api.md#cloud-error-bodies.
func writeV2Error(w http.ResponseWriter, status int, code, title, detail string) {
	e := V2Error{Status: status, Code: code, Title: title}
	if detail != "" {
		e.Detail = &detail
	}
	route.WriteJSON(w, status, V2ErrorBody{Errors: []V2Error{e}})
}

// v2Codes are the v2 error codes by status. NOT_FOUND, METHOD_NOT_ALLOWED and
// INTERNAL_SERVER_ERROR are in contributing/confluence-api.md#cloud-error-bodies.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): chose
// INVALID_REQUEST_PARAMETER for 400 (the code of a real invalid-cursor answer
// quoted in PipedreamHQ/pipedream#15776), and UNAUTHORIZED, TOO_MANY_REQUESTS,
// BAD_GATEWAY, SERVICE_UNAVAILABLE and GATEWAY_TIMEOUT (the HTTP reason in the
// same style) for the others.
var v2Codes = map[int]string{
	http.StatusBadRequest:          "INVALID_REQUEST_PARAMETER",
	http.StatusUnauthorized:        "UNAUTHORIZED",
	http.StatusForbidden:           "FORBIDDEN",
	http.StatusNotFound:            "NOT_FOUND",
	http.StatusMethodNotAllowed:    "METHOD_NOT_ALLOWED",
	http.StatusTooManyRequests:     "TOO_MANY_REQUESTS",
	http.StatusInternalServerError: "INTERNAL_SERVER_ERROR",
	http.StatusBadGateway:          "BAD_GATEWAY",
	http.StatusServiceUnavailable:  "SERVICE_UNAVAILABLE",
	http.StatusGatewayTimeout:      "GATEWAY_TIMEOUT",
}

func v2Code(status int) string {
	if c, ok := v2Codes[status]; ok {
		return c
	}
	return strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
}

// writeV2Status writes the v2 envelope with the status's own title.
func writeV2Status(w http.ResponseWriter, status int) {
	writeV2Error(w, status, v2Code(status), http.StatusText(status), "")
}

// isV2 tells which envelope a path answers with.
func isV2(path string) bool { return strings.HasPrefix(path, v2Prefix+"/") }

// writeStatus answers a status with the envelope of the path's API.
func writeStatus(w http.ResponseWriter, path string, status int, v1Text string) {
	if isV2(path) {
		writeV2Status(w, status)
		return
	}
	writeV1Error(w, status, "", v1Text)
}

// Unauthorized: 401 on both APIs
// (contributing/confluence-api.md#cloud-error-bodies).
//
// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): the record
// quotes no 401 body; chose the path's envelope with Atlassian's usual
// sentence for missing credentials.
func (a *API) Unauthorized(w http.ResponseWriter, path string) {
	writeStatus(w, path, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
}

// NotFound answers paths the simulator does not serve.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): chose the
// path's envelope; a v1 text is not known.
func (a *API) NotFound(w http.ResponseWriter, path string) {
	writeStatus(w, path, http.StatusNotFound, "No resource at "+path)
}

// MethodNotAllowed: a wrong method answers 405 with the v2-style list even on
// v1 paths, and no Allow header
// (contributing/confluence-api.md#cloud-error-bodies; brekkylab/backlot#233).
//
// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): the title is
// "Spring exception text"; chose Spring's
// HttpRequestMethodNotSupportedException message.
func (a *API) MethodNotAllowed(w http.ResponseWriter, _ string, method string) {
	title := fmt.Sprintf("org.springframework.web.HttpRequestMethodNotSupportedException: Request method '%s' is not supported", method)
	writeV2Error(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", title, "")
}

// Failure renders an injected fault's status.
//
// UNVERIFIED (contributing/confluence-api.md#cloud-error-bodies): the record
// gives no 429/503 body; chose the path's envelope with the status's reason.
func (a *API) Failure(w http.ResponseWriter, path string, _ bool, status int) {
	writeStatus(w, path, status, http.StatusText(status))
}
