package datacenter

import (
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/route"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// getUser serves GET /rest/api/user?username= or ?key=
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups): one
// user, 404 "if a user with the given username or userkey does not exist".
//
// UNVERIFIED
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups):
// chose 400 when neither or both are given.
func (a *API) getUser(x *route.Exchange) {
	q := x.R.URL.Query()
	username, key := q.Get("username"), q.Get("key")
	var u state.User
	var found bool
	switch {
	case (username == "") == (key == ""):
		writeError(x.W, http.StatusBadRequest, "Give exactly one of the username and key parameters")
		return
	case username != "":
		u, found = a.store.UserByUsername(username)
	default:
		u, found = a.store.UserByKey(key)
	}
	if !found {
		writeError(x.W, http.StatusNotFound, "No user found with username or key: "+username+key)
		return
	}
	route.WriteJSON(x.W, http.StatusOK, toUser(u, a.base(x)))
}

// getGroup serves GET /rest/api/group/{groupName}
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups): the
// group under its stored name, found without case; 404 when there is none.
func (a *API) getGroup(x *route.Exchange) {
	name := x.Param("groupName")
	g, found := a.store.GroupByName(name)
	if !found {
		writeError(x.W, http.StatusNotFound, "No group found with name: "+name)
		return
	}
	route.WriteJSON(x.W, http.StatusOK, toGroup(g, a.base(x)))
}
