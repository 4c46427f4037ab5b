package datacenter

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// serverInformationPath answers the version on Data Center; the Jira-style
// /rest/api/serverInfo does not exist there
// (contributing/confluence-api.md#server-information-since-91).
const serverInformationPath = "/rest/api/server-information"

// Version is a Confluence version, such as 9.2.1.
type Version struct {
	Major, Minor, Patch int
}

// RESTPermissionsSince is the first version with the space-permission REST
// API (javadoc of SpacePermissionResource: "Since: 9.1.0";
// https://jira.atlassian.com/browse/CONFSERVER-100505).
var RESTPermissionsSince = Version{Major: 9, Minor: 1}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	if v.Minor != w.Minor {
		return v.Minor < w.Minor
	}
	return v.Patch < w.Patch
}

// HasRESTPermissions reports whether the version has the space-permission
// REST API.
func (v Version) HasRESTPermissions() bool { return !v.Less(RESTPermissionsSince) }

// ParseVersion reads "major[.minor[.patch[.more]]]" with an optional
// pre-release or build suffix ("9.1.0-m12", "8.5.4+b1"), which is ignored.
// Components past the third do not matter for choosing an API and are
// checked but dropped.
func ParseVersion(s string) (Version, error) {
	core, _, _ := strings.Cut(strings.TrimSpace(s), "-")
	core, _, _ = strings.Cut(core, "+")
	parts := strings.Split(core, ".")
	if core == "" || len(parts) > 4 {
		return Version{}, fmt.Errorf("%q is not a Confluence version such as 9.2.1", s)
	}
	var nums [3]int
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return Version{}, fmt.Errorf("%q is not a Confluence version such as 9.2.1", s)
		}
		if i < len(nums) {
			nums[i] = n
		}
	}
	return Version{Major: nums[0], Minor: nums[1], Patch: nums[2]}, nil
}

// ServerVersion reads the version with `GET /rest/api/server-information`
// (contributing/confluence-api.md#server-information-since-91), whose answer
// carries it as "version".
func ServerVersion(ctx context.Context, api *transport.API) (Version, error) {
	var info struct {
		Version string `json:"version"`
	}
	if err := api.GetJSON(ctx, serverInformationPath, nil, &info); err != nil {
		return Version{}, err
	}
	if info.Version == "" {
		return Version{}, fmt.Errorf("Confluence answered GET %s without a version", serverInformationPath)
	}
	v, err := ParseVersion(info.Version)
	if err != nil {
		return Version{}, fmt.Errorf("Confluence answered GET %s with an unexpected version: %w", serverInformationPath, err)
	}
	return v, nil
}
