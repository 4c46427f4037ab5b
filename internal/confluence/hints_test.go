package confluence

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestGeneralHint(t *testing.T) {
	reset := time.Now().Add(42*time.Minute + 30*time.Second).UTC().Truncate(time.Minute)
	tests := []struct {
		name string
		err  error
		want []string // "" alone: no hint
	}{
		{"scope of a v1 write", &Error{StatusCode: 401, Method: "POST", Path: "/wiki/rest/api/space/DOCS/permission",
			Message: "Unauthorized; scope does not match", FailureCategory: "FAILURE_CLIENT_SCOPE_CHECK"},
			[]string{"write:space.permission:confluence", "POST /wiki/rest/api/space/DOCS/permission", "classic API token"}},
		{"scope of the role mode, by its header only", &Error{StatusCode: 401, Method: "GET", Path: "/wiki/api/v2/space-role-mode",
			FailureCategory: "FAILURE_CLIENT_SCOPE_CHECK"}, []string{"read:configuration:confluence"}},
		{"scope of a space read, by its message only", &Error{StatusCode: 401, Method: "GET", Path: "/wiki/api/v2/spaces/98306/permissions",
			Message: "Unauthorized; scope does not match"}, []string{"read:space:confluence"}},
		{"scope of a role write", &Error{StatusCode: 401, Method: "PUT", Path: "/wiki/api/v2/space-roles/r1",
			FailureCategory: "FAILURE_CLIENT_SCOPE_CHECK"}, []string{"write:configuration:confluence"}},
		{"wrong credentials", &Error{StatusCode: 401, Method: "GET", Path: "/wiki/api/v2/spaces"},
			[]string{"did not accept the provider's credentials", "user and api_token", "token"}},
		{"wrapped", fmt.Errorf("reading: %w", &Error{StatusCode: 401}), []string{"credentials"}},
		{"quota used up", &Error{StatusCode: 429, QuotaExhausted: "confluence-quota-tenant-based", QuotaResetsAt: reset},
			[]string{"hourly API quota is used up", "confluence-quota-tenant-based", reset.Format("15:04"), "in 42 minutes", "run Terraform again"}},
		{"quota without a reset time", &Error{StatusCode: 429, QuotaExhausted: "confluence-quota-global-based"},
			[]string{"when the hour resets"}},
		{"burst", &Error{StatusCode: 429}, []string{"max_concurrency", "max_retries"}},
		{"free edition", &Error{StatusCode: 403, Message: "Space permissions can't be changed on the Free edition of Confluence"},
			[]string{"Free edition", "does not change that"}},
		{"other 403", &Error{StatusCode: 403, Message: "User isn't authorized to modify permissions."}, []string{""}},
		{"404", &Error{StatusCode: 404}, []string{""}},
		{"not an API error", errors.New("boom"), []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GeneralHint(tt.err)
			if len(tt.want) == 1 && tt.want[0] == "" {
				if got != "" {
					t.Errorf("hint %q, want none", got)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("hint %q does not mention %q", got, w)
				}
			}
		})
	}
}
