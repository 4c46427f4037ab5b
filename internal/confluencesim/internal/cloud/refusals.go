package cloud

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// How Cloud words the state's refusals on its v1 write paths.

// writeRuleError renders a refusal of the state on a v1 path.
func writeRuleError(w http.ResponseWriter, err error) {
	var re *state.RuleError
	if !errors.As(err, &re) {
		writeV1Error(w, http.StatusBadRequest, badRequestException, err.Error())
		return
	}
	status, exception, text := v1Refusal(re)
	writeV1Error(w, status, exception, text)
}

// v1Refusal gives the status, exception and text Cloud answers a refusal with:
// 404 for what the caller cannot see, 403 for a caller who may not manage
// permissions, 400 for everything else
// (contributing/confluence-api.md#permission-writes-v1,
// contributing/confluence-api.md#removing-a-grant-v1).
func v1Refusal(e *state.RuleError) (int, string, string) {
	switch e.Rule {
	case state.RuleUnknownSpace, state.RuleUnknownGrant:
		return http.StatusNotFound, notFoundException, refusalText(e)
	case state.RuleNotSpaceAdmin, state.RuleFreeEdition:
		return http.StatusForbidden, permissionException, refusalText(e)
	}
	return http.StatusBadRequest, badRequestException, refusalText(e)
}

// refusalText words each refusal.
func refusalText(e *state.RuleError) string {
	switch e.Rule {
	// Real texts, as recorded.
	case state.RuleUnknownSpace:
		return "No space with key : " + e.SpaceKey // contributing/confluence-api.md#cloud-error-bodies
	case state.RuleNotSpaceAdmin:
		return "User isn't authorized to modify permissions." // contributing/confluence-api.md#permission-writes-v1
	case state.RuleInvalidOperation:
		// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1):
		// chose this real text also for keys and targets outside the spec's
		// enums, since Confluence parses both as open-ended strings (custom
		// content types are targets too: POST
		// /wiki/rest/api/space/{spaceKey}/permission/custom-content).
		return fmt.Sprintf("Operation not supported for target OperationCheckResult{operation=%s, targetType=%s}",
			e.Operation.Key, e.Operation.Target) // contributing/confluence-api.md#permission-writes-v1
	case state.RuleRolesOnly:
		// UNVERIFIED (contributing/confluence-api.md#roles-only-sites): the
		// text is the one on record; the exception class is not known, chose
		// BadRequestException.
		return "Space permission updates that are not from RBAC are not supported in roles-only mode"
	case state.RuleFreeEdition:
		// UNVERIFIED (contributing/confluence-api.md#free-edition-sites):
		// gothub97/terraform-provider-atlassian documents a 403 with a text
		// about the Free edition, not its words nor the exception class;
		// chose this sentence and PermissionException.
		return "Space permissions can't be changed on the Free edition of Confluence."

	// UNVERIFIED (contributing/confluence-api.md#permission-writes-v1,
	// contributing/confluence-api.md#removing-a-grant-v1): the record lacks
	// these texts. Chose the wording of the spec's response descriptions for
	// duplicate, missing read/space, unknown group and last admin, and the
	// same style for the rest.
	case state.RuleDuplicateGrant:
		return "Permission already exists for the given user or group."
	case state.RuleReadSpaceFirst:
		return "'read space' permission doesn't exist for the given user or group."
	case state.RuleUnknownGroup:
		return "No group found with the given groupName or groupId: " + e.Principal.ID
	case state.RuleUnknownUser:
		return "No user found with the given accountId: " + e.Principal.ID
	case state.RuleAnonymousAdmin:
		return fmt.Sprintf("Anonymous users cannot be given the %s permission.", permissions.AdministerSpace)
	case state.RuleLastAdmin:
		return "All of the admin permissions cannot be removed from a space."
	case state.RuleUnknownGrant:
		return fmt.Sprintf("No space permission with id : %d", e.GrantID)
	}
	return e.Error()
}
