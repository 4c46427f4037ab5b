package confluencesim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// dcStatus is the error body of Data Center REST resources:
// <status><status-code>N</status-code><message>text</message></status>.
//
// UNVERIFIED (dc §1.7, §8 q1): the notes do not say whether the permission
// resource answers errors in JSON or XML; the only Data Center error body
// they quote is this XML one (CONFSERVER-98582), so chose it for every REST
// error, with its content type, so that clients cannot assume JSON.
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

// unauthorized: 401 with the text of CONFSERVER-98582 (dc §6).
func (a *dcAPI) unauthorized(w http.ResponseWriter, _ string) {
	writeDCStatus(w, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
}

// notFound answers paths no resource serves, which include the permission
// paths below 9.1 (dc §1.7).
//
// UNVERIFIED (dc §7): clients report Jersey's "null for uri" text on
// unknown DC paths; chose it with the request path.
func (a *dcAPI) notFound(w http.ResponseWriter, path string) {
	writeDCStatus(w, http.StatusNotFound, "null for uri: "+path)
}

// UNVERIFIED (dc §1.7): the notes show no 405; chose the status body with
// the HTTP reason.
func (a *dcAPI) methodNotAllowed(w http.ResponseWriter, _ string, _ string) {
	writeDCStatus(w, http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
}

// failure renders an injected fault's status.
//
// UNVERIFIED (dc §5): the notes give no body for 429 or 5xx; chose the
// status body with the HTTP reason, on REST and remote API paths alike.
func (a *dcAPI) failure(w http.ResponseWriter, _ string, status int) {
	writeDCStatus(w, status, http.StatusText(status))
}

// writeDCRefusal renders a refusal of the core on a REST permission path.
func writeDCRefusal(w http.ResponseWriter, err error) {
	var re *RuleError
	if !errors.As(err, &re) {
		writeDCStatus(w, http.StatusBadRequest, err.Error())
		return
	}
	writeDCStatus(w, dcRefusalStatus(re.Rule), dcRefusalText(re))
}

// dcRefusalStatus follows the documented statuses (dc §1.7): 404 for a user,
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
// UNVERIFIED (dc §1.7, §2.4): the notes quote only the UI text for
// anonymous admin; chose plain sentences naming what was refused for the
// rest. The Cloud-only rules (read/space first, last admin, roles-only) do
// not occur on Data Center.
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
		return "This permission can't be granted to anonymous users" // dc §4.3, the product's own text
	}
	return e.Error()
}

// dcOperationName names an operation as the REST API spells it, or in the
// provider's spelling when Data Center has no such permission.
func dcOperationName(op permissions.Operation) string {
	if info, ok := permissions.Lookup(op); ok && info.OnDataCenter() {
		return toDCOperation(op).String()
	}
	return op.String()
}
