package confluencesim

import (
	"net/http"
)

// getUser serves GET /rest/api/user?username= or ?key=
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups): one
// user, 404 "if a user with the given username or userkey does not exist".
//
// UNVERIFIED
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups):
// chose 400 when neither or both are given.
func (a *dcAPI) getUser(x *exchange) {
	q := x.r.URL.Query()
	username, key := q.Get("username"), q.Get("key")
	var u User
	var found bool
	switch {
	case (username == "") == (key == ""):
		writeDCError(x.w, http.StatusBadRequest, "Give exactly one of the username and key parameters")
		return
	case username != "":
		u, found = a.site.lookupUser(func() *User { return a.site.userByUsernameLocked(username) })
	default:
		u, found = a.site.lookupUser(func() *User { return a.site.userByKeyLocked(key) })
	}
	if !found {
		writeDCError(x.w, http.StatusNotFound, "No user found with username or key: "+username+key)
		return
	}
	writeJSON(x.w, http.StatusOK, toDCUser(u, a.base(x)))
}

// getGroup serves GET /rest/api/group/{groupName}
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups): the
// group under its stored name, found without case; 404 when there is none.
func (a *dcAPI) getGroup(x *exchange) {
	name := x.param("groupName")
	g, found := a.site.lookupGroup(name)
	if !found {
		writeDCError(x.w, http.StatusNotFound, "No group found with name: "+name)
		return
	}
	writeJSON(x.w, http.StatusOK, toDCGroup(g, a.base(x)))
}
