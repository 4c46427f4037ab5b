package cloud

import "github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"

// JSON shapes of the roles transition tool
// (contributing/confluence-api.md#the-roles-transition-inventory), named
// after the v2 spec schemas they follow.

// V2CombinationsPage is ListSpacePermissionCombinationsResponse. Unlike the
// other v2 lists it has no _links: the next page's cursor is a member of the
// body, absent on the last page, and so is generatedAt, absent until the
// inventory has been worked out once.
type V2CombinationsPage struct {
	Results     []V2Combination `json:"results"`
	GeneratedAt *string         `json:"generatedAt,omitempty"`
	Cursor      *string         `json:"cursor,omitempty"`
}

// V2Combination is BulkTransitionCombinationEntry.
type V2Combination struct {
	CombinationID  string                `json:"combinationId"`
	SpaceCount     int64                 `json:"spaceCount"`
	PrincipalCount int64                 `json:"principalCount"`
	Permissions    []V2DecodedPermission `json:"permissions"`
	PrincipalTypes []string              `json:"principalTypes"`
}

// V2DecodedPermission is BulkTransitionDecodedPermission.
//
// UNVERIFIED (contributing/confluence-api.md#the-transition-inventorys-permission-ids):
// the document's example id is a platform id, VIEW_CONTENT, and says nothing
// of how it relates to the ids of GET /space-permissions; chose the ids of
// the simulator's own catalogue, so that a combination reads as the
// spacePermissions of the role that would match it.
type V2DecodedPermission struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// V2TransitionTask is BulkTransitionTaskResponse, the 202 of a generation.
type V2TransitionTask struct {
	TaskID    string           `json:"taskId"`
	Status    state.TaskStatus `json:"status"`
	StatusURL string           `json:"statusUrl"`
}

// V2TransitionTaskStatus is BulkTransitionTaskStatusResponse. errorMessage
// is only for FAILED tasks, which the simulator does not have.
type V2TransitionTaskStatus struct {
	TaskID       string           `json:"taskId"`
	Status       state.TaskStatus `json:"status"`
	ErrorMessage *string          `json:"errorMessage,omitempty"`
}

func toV2Combination(c state.Combination) V2Combination {
	out := V2Combination{
		CombinationID: c.ID, SpaceCount: c.SpaceCount, PrincipalCount: c.PrincipalCount,
		Permissions:    make([]V2DecodedPermission, len(c.Permissions)),
		PrincipalTypes: c.PrincipalTypes,
	}
	for i, id := range c.Permissions {
		e, _ := state.CatalogueEntryOf(id)
		out.Permissions[i] = V2DecodedPermission{ID: id.String(), DisplayName: e.DisplayName}
	}
	return out
}
