package datacenter

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Data Center answers errors in two bodies
// (contributing/confluence-api.md#data-center-error-bodies):
//
//   - its REST resources (permissions, spaces, users, groups, server
//     information) answer a JSON envelope, as recorded on a real server:
//     {"statusCode":404,"data":{"authorized":false,"valid":true,"errors":[],
//     "successful":false},"message":"...","reason":"Not Found"};
//   - what no resource answers, Jersey and the REST framework answer in
//     XML: <status><status-code>N</status-code><message>text</message></status>,
//     such as the "null for uri" 404 of an unknown path
//     (atlassian-python-api issue 882) and the 401 of a request without
//     credentials (CONFSERVER-98582).

// ErrorBody is the JSON error envelope of the REST resources.
type ErrorBody struct {
	StatusCode int       `json:"statusCode"`
	Data       ErrorData `json:"data"`
	Message    string    `json:"message"`
	Reason     string    `json:"reason"`
}

// ErrorData is the data block of ErrorBody.
type ErrorData struct {
	Authorized bool  `json:"authorized"`
	Valid      bool  `json:"valid"`
	Errors     []any `json:"errors"`
	Successful bool  `json:"successful"`
}

// writeError writes the JSON envelope of a REST resource's error.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-bodies): the
// one recorded envelope is a 404; chose its data block for every status,
// and the HTTP reason phrase as reason.
func writeError(w http.ResponseWriter, status int, message string) {
	route.WriteJSON(w, status, ErrorBody{
		StatusCode: status,
		Data:       ErrorData{Authorized: false, Valid: true, Errors: []any{}, Successful: false},
		Message:    message,
		Reason:     http.StatusText(status),
	})
}

// StatusBody is the XML error body of what no resource answers.
type StatusBody struct {
	XMLName    xml.Name `xml:"status"`
	StatusCode int      `xml:"status-code"`
	Message    string   `xml:"message"`
}

func writeStatus(w http.ResponseWriter, status int, message string) {
	body, err := xml.Marshal(StatusBody{StatusCode: status, Message: message})
	if err != nil {
		panic(fmt.Sprintf("confluencesim: encoding a status: %v", err)) // two plain fields: cannot fail
	}
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// Unauthorized: 401 with the text of CONFSERVER-98582
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
func (a *API) Unauthorized(w http.ResponseWriter, _ string) {
	writeStatus(w, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
}

// NotFound answers paths no resource serves, which include the permission
// paths and server information below 9.1
// (contributing/confluence-api.md#data-center-error-statuses): Jersey's XML
// "null for uri" 404, recorded on unknown paths
// (contributing/confluence-api.md#data-center-error-bodies), with the
// request path.
func (a *API) NotFound(w http.ResponseWriter, path string) {
	writeStatus(w, http.StatusNotFound, "null for uri: "+path)
}

// MethodNotAllowed answers a served path with a method it does not serve.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-statuses): the
// record shows no 405; chose the body of the path: the JSON envelope on a
// REST resource's path, the XML status body on the remote API's, each with
// the HTTP reason.
func (a *API) MethodNotAllowed(w http.ResponseWriter, path string, _ string) {
	a.pathError(w, path, true, http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
}

// Failure renders an injected fault's status.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-rate-limiting): the
// record gives no body for 429 or 5xx; chose the HTTP reason in the JSON
// envelope on REST resources' paths, in the XML status body on the remote
// API's paths and on unknown ones.
func (a *API) Failure(w http.ResponseWriter, path string, known bool, status int) {
	a.pathError(w, path, known, status, http.StatusText(status))
}

// pathError answers an error in the body of the path: the JSON envelope
// when a REST resource serves the path, else the XML status body.
func (a *API) pathError(w http.ResponseWriter, path string, known bool, status int, message string) {
	if known && strings.HasPrefix(path, RESTPrefix+"/") {
		writeError(w, status, message)
		return
	}
	writeStatus(w, status, message)
}

// writeRefusal renders a refusal of the state on a REST permission path.
func writeRefusal(w http.ResponseWriter, err error) {
	var re *state.RuleError
	if !errors.As(err, &re) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeError(w, refusalStatus(re.Rule), refusalText(re))
}

// refusalStatus follows the documented statuses
// (contributing/confluence-api.md#data-center-error-statuses): 404 for a user,
// group or space that is not there, 403 for a caller without the right, 400
// for incorrect permissions.
func refusalStatus(r state.Rule) int {
	switch r {
	case state.RuleUnknownSpace, state.RuleUnknownUser, state.RuleUnknownGroup:
		return http.StatusNotFound
	case state.RuleNotSpaceAdmin:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// refusalText words a refusal, in the REST and the remote API alike.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-statuses,
// contributing/confluence-api.md#websudo): the record quotes only the UI text
// for anonymous admin; chose plain sentences naming what was refused for the
// rest. The Cloud-only rules (read/space first, last admin, roles-only) do not
// occur on Data Center.
func refusalText(e *state.RuleError) string {
	switch e.Rule {
	case state.RuleUnknownSpace:
		return "No space with key : " + e.SpaceKey
	case state.RuleNotSpaceAdmin:
		return "User is not permitted to view or edit the permissions of space " + e.SpaceKey
	case state.RuleUnknownUser, state.RuleUnknownGroup:
		// The state speaks in accountIds and group ids, which Data Center
		// never shows; the REST and RPC layers name the subject themselves.
		return "The user or group does not exist"
	case state.RuleInvalidOperation:
		return fmt.Sprintf("%s is not a space permission", restName(e.Operation))
	case state.RuleAnonymousAdmin:
		return "This permission can't be granted to anonymous users" // the product's own text (contributing/confluence-api.md#operation-names-on-data-center)
	}
	return e.Error()
}
