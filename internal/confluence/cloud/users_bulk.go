package cloud

import (
	"context"
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

const (
	usersBulkPath = "/wiki/api/v2/users-bulk"
	// usersBulkLimit is the most accountIds one request may carry (v2
	// OpenAPI document, operation createBulkUserLookup: BulkUsersRequest's
	// accountIds has maxItems 250).
	usersBulkLimit = 250
)

// UsersBulk looks users up by accountId with POST /wiki/api/v2/users-bulk
// (v2 OpenAPI document, createBulkUserLookup), up to 250 ids a request, so
// that naming the principals of a report costs one request per 250 users
// instead of one each. Ids Confluence does not know, or does not show the
// caller, are absent from the result, which is in no promised order.
// Repeated and empty ids are sent once and never, respectively.
func (b *Backend) UsersBulk(ctx context.Context, accountIDs []string) ([]confluence.User, error) {
	ids := make([]string, 0, len(accountIDs))
	seen := map[string]bool{}
	for _, id := range accountIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var users []confluence.User
	for start := 0; start < len(ids); start += usersBulkLimit {
		chunk := ids[start:min(start+usersBulkLimit, len(ids))]
		var page struct {
			Results []userJSON `json:"results"`
		}
		// The POST only reads: it may be retried like a GET.
		req := transport.Request{Method: http.MethodPost, Path: usersBulkPath, Body: map[string][]string{"accountIds": chunk}, Idempotent: true}
		if err := b.api.DoJSON(ctx, req, &page); err != nil {
			return nil, err
		}
		for _, u := range page.Results {
			if u.AccountID != "" {
				users = append(users, u.user())
			}
		}
	}
	return users, nil
}

// user maps v2's User, which has the fields of userJSON under the same
// names.
func (u userJSON) user() confluence.User {
	return confluence.User{
		ID:          u.AccountID,
		DisplayName: firstNonEmpty(u.DisplayName, u.PublicName), // displayName may be hidden by privacy settings
		Email:       u.Email,
		AccountType: u.AccountType,
		Active:      u.AccountStatus == "" || u.AccountStatus == "active",
	}
}
