package cloud

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

var _ confluence.TransitionInventory = (*Backend)(nil)

// The roles transition tool's inventory: which combinations of legacy
// permissions the site's principals hold that no role matches yet
// (contributing/confluence-api.md#the-roles-transition-inventory). The
// endpoints are marked experimental in the v2 document and open to admins
// only.
const (
	combinationsPath    = "/wiki/api/v2/space-permissions/transition/combinations"
	transitionTasksPath = "/wiki/api/v2/space-permissions/transition/tasks/"
)

// combinationsPageJSON is ListSpacePermissionCombinationsResponse: unlike
// the other v2 lists it carries the next page's cursor in the body.
type combinationsPageJSON struct {
	Results []struct {
		CombinationID string `json:"combinationId"`
		Permissions   []struct {
			ID          string `json:"id"`
			DisplayName string `json:"displayName"`
		} `json:"permissions"`
		PrincipalCount int64    `json:"principalCount"`
		SpaceCount     int64    `json:"spaceCount"`
		PrincipalTypes []string `json:"principalTypes"`
	} `json:"results"`
	Cursor      *string `json:"cursor"`
	GeneratedAt *string `json:"generatedAt"`
}

// maxCombinationPages bounds the pages read, so that a cursor that never
// ends cannot keep a plan waiting.
const maxCombinationPages = 1000

// PermissionCombinations reads every page of the inventory.
func (b *Backend) PermissionCombinations(ctx context.Context) (confluence.CombinationInventory, error) {
	var inv confluence.CombinationInventory
	query := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	for range maxCombinationPages {
		var page combinationsPageJSON
		if err := b.api.GetJSON(ctx, combinationsPath, query, &page); err != nil {
			return confluence.CombinationInventory{}, err
		}
		if page.GeneratedAt != nil {
			inv.GeneratedAt = *page.GeneratedAt
		}
		for _, r := range page.Results {
			c := confluence.PermissionCombination{ID: r.CombinationID, PrincipalCount: r.PrincipalCount, SpaceCount: r.SpaceCount, PrincipalTypes: r.PrincipalTypes}
			for _, p := range r.Permissions {
				c.Permissions = append(c.Permissions, confluence.RolePermission{ID: p.ID, DisplayName: p.DisplayName})
			}
			inv.Combinations = append(inv.Combinations, c)
		}
		if page.Cursor == nil || *page.Cursor == "" || len(page.Results) == 0 {
			return inv, nil
		}
		query.Set("cursor", *page.Cursor)
	}
	return inv, nil
}

// taskJSON is BulkTransitionTaskResponse and BulkTransitionTaskStatusResponse.
type taskJSON struct {
	TaskID       string `json:"taskId"`
	Status       string `json:"status"`
	ErrorMessage string `json:"errorMessage"`
}

// GenerateCombinations sends POST .../transition/combinations, which answers
// 202 with the task that works the inventory out again, and follows the
// task with GET .../transition/tasks/{taskId} until it has finished. Asking
// twice only starts the work again, so the POST is retried like a PUT.
func (b *Backend) GenerateCombinations(ctx context.Context) error {
	var t taskJSON
	if err := b.api.DoJSON(ctx, transport.Request{Method: http.MethodPost, Path: combinationsPath, Idempotent: true}, &t); err != nil {
		return err
	}
	done, err := b.rolePoll.until(ctx, func(ctx context.Context) (bool, error) {
		if t.Status != "IN_PROGRESS" && t.Status != "" {
			return true, nil
		}
		return false, b.api.GetJSON(ctx, transitionTasksPath+url.PathEscape(t.TaskID), nil, &t)
	})
	switch {
	case err != nil:
		return fmt.Errorf("waiting for Confluence to work out the transition inventory (task %s): %w", t.TaskID, err)
	case !done:
		return fmt.Errorf("Confluence had not worked out the transition inventory after %s (task %s): try again later", b.rolePoll.total().Round(time.Second), t.TaskID)
	case t.Status == "FAILED":
		return fmt.Errorf("Confluence could not work out the transition inventory (task %s): %s", t.TaskID, t.ErrorMessage)
	}
	return nil
}
