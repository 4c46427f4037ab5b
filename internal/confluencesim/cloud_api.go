package confluencesim

import (
	"cmp"
	"fmt"
	"net/http"
	"time"
)

// Path prefixes of the two Cloud REST APIs (reference, "Base URLs").
const (
	cloudV1 = "/wiki/rest/api"
	cloudV2 = "/wiki/api/v2"
)

// cloudAPI serves Confluence Cloud: v2 for reads (spaces, permission
// assignments, users, role mode) and space roles, v1 for permission writes,
// users and groups.
type cloudAPI struct {
	site *site
	// roleTaskDelay is how long accepted role changes take to apply.
	roleTaskDelay time.Duration
}

func newCloudAPI(s *site, opts Options) (flavourAPI, error) {
	if opts.DCVersion != "" || opts.RemoteAPI || opts.WebSudo {
		return nil, fmt.Errorf("options DCVersion, RemoteAPI and WebSudo are for the %s flavour only", DataCenter)
	}
	return &cloudAPI{site: s, roleTaskDelay: cmp.Or(opts.RoleTaskDelay, defaultRoleTaskDelay)}, nil
}

// routes lists every operation served, with its OpenAPI path. Nothing else
// answers: a wrong method on a listed path is 405, any other path 404.
func (a *cloudAPI) routes() []route {
	return append([]route{
		{http.MethodGet, cloudV2 + "/spaces", a.getSpaces},
		{http.MethodGet, cloudV2 + "/spaces/{id}", a.getSpace},
		{http.MethodGet, cloudV2 + "/spaces/{id}/permissions", a.getSpacePermissions},
		{http.MethodGet, cloudV2 + "/space-role-mode", a.getSpaceRoleMode},
		{http.MethodPost, cloudV2 + "/users-bulk", a.getUsersBulk},
		{http.MethodPost, cloudV1 + "/space/{spaceKey}/permission", a.addPermission},
		{http.MethodDelete, cloudV1 + "/space/{spaceKey}/permission/{id}", a.removePermission},
		{http.MethodGet, cloudV1 + "/user", a.getUser},
		{http.MethodGet, cloudV1 + "/group/by-id", a.getGroup},
		{http.MethodGet, cloudV1 + "/group/picker", a.searchGroups},
	}, a.roleRoutes()...)
}
