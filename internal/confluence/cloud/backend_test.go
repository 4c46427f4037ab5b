package cloud

import (
	"context"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

func TestDeploymentFacts(t *testing.T) {
	b := newBackend(t)
	if b.Deployment() != permissions.Cloud || !b.RemovingReadCascades() {
		t.Errorf("Deployment = %s, RemovingReadCascades = %v", b.Deployment(), b.RemovingReadCascades())
	}
}

func TestRoleMode(t *testing.T) {
	for _, mode := range []confluence.RoleMode{confluence.PreRoles, confluence.RolesTransition, confluence.RolesOnly} {
		b := newBackend(t, exchange{Method: "GET", Path: "/wiki/api/v2/space-role-mode", Answer: `{"mode":"` + string(mode) + `"}`})
		if got, err := b.RoleMode(context.Background()); err != nil || got != mode {
			t.Errorf("RoleMode = %q, %v; want %q", got, err, mode)
		}
	}
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/api/v2/space-role-mode", Answer: `{}`},
		exchange{Method: "GET", Path: "/wiki/api/v2/space-role-mode", Status: 404, Answer: `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found"}]}`},
	)
	if _, err := b.RoleMode(context.Background()); err == nil {
		t.Error("an answer without a mode was accepted")
	}
	if _, err := b.RoleMode(context.Background()); !confluence.IsNotFound(err) {
		t.Errorf("err = %v", err)
	}
}
