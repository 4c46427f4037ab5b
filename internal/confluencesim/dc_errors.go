package confluencesim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
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

// dcErrorBody is the JSON error envelope of the REST resources.
type dcErrorBody struct {
	StatusCode int         `json:"statusCode"`
	Data       dcErrorData `json:"data"`
	Message    string      `json:"message"`
	Reason     string      `json:"reason"`
}

type dcErrorData struct {
	Authorized bool  `json:"authorized"`
	Valid      bool  `json:"valid"`
	Errors     []any `json:"errors"`
	Successful bool  `json:"successful"`
}

// writeDCError writes the JSON envelope of a REST resource's error.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-bodies): the
// one recorded envelope is a 404; chose its data block for every status,
// and the HTTP reason phrase as reason.
func writeDCError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, dcErrorBody{
		StatusCode: status,
		Data:       dcErrorData{Authorized: false, Valid: true, Errors: []any{}, Successful: false},
		Message:    message,
		Reason:     http.StatusText(status),
	})
}

// dcStatus is the XML error body of what no resource answers.
type dcStatus struct {
	XMLName    xml.Name `xml:"status"`
	StatusCode int      `xml:"status-code"`
	Message    string   `xml:"message"`
}

func writeDCStatus(w http.ResponseWriter, status int, message string) {
	body, err := xml.Marshal(dcStatus{StatusCode: status, Message: message})
	if err != nil {
		panic(fmt.Sprintf("confluencesim: encoding a status: %v", err)) // two plain fields: cannot fail
	}
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// unauthorized: 401 with the text of CONFSERVER-98582
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups).
func (a *dcAPI) unauthorized(w http.ResponseWriter, _ string) {
	writeDCStatus(w, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
}

// notFound answers paths no resource serves, which include the permission
// paths and server information below 9.1
// (contributing/confluence-api.md#data-center-error-statuses): Jersey's XML
// "null for uri" 404, recorded on unknown paths
// (contributing/confluence-api.md#data-center-error-bodies), with the
// request path.
func (a *dcAPI) notFound(w http.ResponseWriter, path string) {
	writeDCStatus(w, http.StatusNotFound, "null for uri: "+path)
}

// UNVERIFIED (contributing/confluence-api.md#data-center-error-statuses): the
// record shows no 405; chose the body of the path: the JSON envelope on a
// REST resource's path, the XML status body on the remote API's, each with
// the HTTP reason.
func (a *dcAPI) methodNotAllowed(w http.ResponseWriter, path string, _ string) {
	a.pathError(w, path, true, http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
}

// failure renders an injected fault's status.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-rate-limiting): the
// record gives no body for 429 or 5xx; chose the HTTP reason in the JSON
// envelope on REST resources' paths, in the XML status body on the remote
// API's paths and on unknown ones.
func (a *dcAPI) failure(w http.ResponseWriter, path string, known bool, status int) {
	a.pathError(w, path, known, status, http.StatusText(status))
}

// pathError answers an error in the body of the path: the JSON envelope
// when a REST resource serves the path, else the XML status body.
func (a *dcAPI) pathError(w http.ResponseWriter, path string, known bool, status int, message string) {
	if known && strings.HasPrefix(path, dcREST+"/") {
		writeDCError(w, status, message)
		return
	}
	writeDCStatus(w, status, message)
}

// writeDCRefusal renders a refusal of the core on a REST permission path.
func writeDCRefusal(w http.ResponseWriter, err error) {
	var re *RuleError
	if !errors.As(err, &re) {
		writeDCError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeDCError(w, dcRefusalStatus(re.Rule), dcRefusalText(re))
}

// dcRefusalStatus follows the documented statuses
// (contributing/confluence-api.md#data-center-error-statuses): 404 for a user,
// group or space that is not there, 403 for a caller without the right, 400
// for incorrect permissions.
func dcRefusalStatus(r Rule) int {
	switch r {
	case RuleUnknownSpace, RuleUnknownUser, RuleUnknownGroup:
		return http.StatusNotFound
	case RuleNotSpaceAdmin:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// dcRefusalText words a refusal, in the REST and the remote API alike.
//
// UNVERIFIED (contributing/confluence-api.md#data-center-error-statuses,
// contributing/confluence-api.md#websudo): the record quotes only the UI text
// for anonymous admin; chose plain sentences naming what was refused for the
// rest. The Cloud-only rules (read/space first, last admin, roles-only) do not
// occur on Data Center.
func dcRefusalText(e *RuleError) string {
	switch e.Rule {
	case RuleUnknownSpace:
		return "No space with key : " + e.SpaceKey
	case RuleNotSpaceAdmin:
		return "User is not permitted to view or edit the permissions of space " + e.SpaceKey
	case RuleUnknownUser, RuleUnknownGroup:
		// The core speaks in accountIds and group ids, which Data Center
		// never shows; the REST and RPC layers name the subject themselves.
		return "The user or group does not exist"
	case RuleInvalidOperation:
		return fmt.Sprintf("%s is not a space permission", dcOperationName(e.Operation))
	case RuleAnonymousAdmin:
		return "This permission can't be granted to anonymous users" // the product's own text (contributing/confluence-api.md#operation-names-on-data-center)
	}
	return e.Error()
}

// dcOperationName names an operation as the REST API spells it, or in the
// provider's spelling when Data Center has no such permission.
func dcOperationName(op permissions.Operation) string {
	if p, ok := lookupPermission(op); ok && p.onDataCenter() {
		return toDCOperation(op).String()
	}
	return op.String()
}
