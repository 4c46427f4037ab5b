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
	// opts are the answers chosen where the public record is silent.
	opts cloudOptions
}

func newCloudAPI(s *site, opts Options) (flavourAPI, error) {
	if usesDataCenterOptions(opts) {
		return nil, fmt.Errorf("options DCVersion, RemoteAPI, WebSudo and RemoteAPIOffStatus are for the %s flavour only", DataCenter)
	}
	c, err := resolveCloudOptions(opts)
	if err != nil {
		return nil, err
	}
	s.freeEdition = opts.FreeEdition
	s.requiredPolicy = c.required
	return &cloudAPI{site: s, roleTaskDelay: cmp.Or(opts.RoleTaskDelay, defaultRoleTaskDelay), opts: c}, nil
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
