package cloud

import (
	"context"
	"errors"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

const roleModePath = "/wiki/api/v2/space-role-mode"

// RoleMode reads the site's space permission model
// (contributing/confluence-api.md#space-roles): PRE_ROLES,
// ROLES_TRANSITION or ROLES. Errors are returned as they are; a 404 means
// the caller may not read the mode, and the client decides what that implies.
func (b *Backend) RoleMode(ctx context.Context) (confluence.RoleMode, error) {
	var res struct {
		Mode string `json:"mode"`
	}
	if err := b.api.GetJSON(ctx, roleModePath, nil, &res); err != nil {
		return "", err
	}
	if res.Mode == "" {
		return "", errors.New("Confluence answered the space role mode request without a mode")
	}
	return confluence.RoleMode(res.Mode), nil
}
