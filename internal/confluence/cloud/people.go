package cloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

const (
	userPath        = "/wiki/rest/api/user"
	groupByIDPath   = "/wiki/rest/api/group/by-id"
	groupPickerPath = "/wiki/rest/api/group/picker"
	// groupPickerLimit is the picker's maximum page
	// (contributing/confluence-api.md#cloud-users-and-groups).
	groupPickerLimit = 200
)

// userJSON is the part of v1's User the provider uses (v1 spec, schema
// User). accountStatus is not in the v1 schema, which allows additional
// properties; the v2 User has it (POST /wiki/api/v2/users-bulk), so it is
// read when present.
type userJSON struct {
	AccountID     string `json:"accountId"`
	AccountType   string `json:"accountType"`
	AccountStatus string `json:"accountStatus"`
	Email         string `json:"email"`
	PublicName    string `json:"publicName"`
	DisplayName   string `json:"displayName"`
}

// User looks a user up by accountId
// (contributing/confluence-api.md#cloud-users-and-groups).
func (b *Backend) User(ctx context.Context, accountID string) (confluence.User, error) {
	if accountID == "" {
		return confluence.User{}, errors.New("a Cloud user is looked up by accountId, which is empty")
	}
	var u userJSON
	if err := b.api.GetJSON(ctx, userPath, url.Values{"accountId": {accountID}}, &u); err != nil {
		return confluence.User{}, err
	}
	return confluence.User{
		ID:          firstNonEmpty(u.AccountID, accountID),
		DisplayName: firstNonEmpty(u.DisplayName, u.PublicName), // displayName may be hidden by privacy settings
		Email:       u.Email,
		AccountType: u.AccountType,
		Active:      u.AccountStatus == "" || u.AccountStatus == "active",
	}, nil
}

// groupJSON is v1's Group (contributing/confluence-api.md#cloud-users-and-groups).
type groupJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (g groupJSON) group() confluence.Group { return confluence.Group{ID: g.ID, Name: g.Name} }

// Group looks a group up by groupId, the id grants carry
// (contributing/confluence-api.md#cloud-users-and-groups).
func (b *Backend) Group(ctx context.Context, groupID string) (confluence.Group, error) {
	if groupID == "" {
		return confluence.Group{}, errors.New("a Cloud group is looked up by groupId, which is empty")
	}
	var g groupJSON
	if err := b.api.GetJSON(ctx, groupByIDPath, url.Values{"id": {groupID}}, &g); err != nil {
		return confluence.Group{}, err
	}
	if g.ID == "" {
		g.ID = groupID
	}
	return g.group(), nil
}

// GroupByName finds a group by name with the picker, the only name search
// left in the v1 API (the by-name endpoints are gone,
// contributing/confluence-api.md#cloud-users-and-groups). The picker
// matches partially, so every page is read and the exact name chosen: a
// case-sensitive match first, else a case-insensitive one if it is unique.
func (b *Backend) GroupByName(ctx context.Context, name string) (confluence.Group, error) {
	if name == "" {
		return confluence.Group{}, errors.New("a group name is needed")
	}
	candidates, err := transport.ListOffset[groupJSON](ctx, b.api, groupPickerPath, url.Values{"query": {name}}, groupPickerLimit)
	if err != nil {
		return confluence.Group{}, err
	}
	return pickGroup(name, candidates)
}

func pickGroup(name string, candidates []groupJSON) (confluence.Group, error) {
	var folded []groupJSON
	for _, g := range candidates {
		if g.Name == name {
			return g.group(), nil
		}
		if strings.EqualFold(g.Name, name) {
			folded = append(folded, g)
		}
	}
	switch len(folded) {
	case 0:
		return confluence.Group{}, &confluence.Error{
			StatusCode: http.StatusNotFound,
			Method:     http.MethodGet,
			Path:       groupPickerPath,
			Message:    fmt.Sprintf("no group is named %q", name),
		}
	case 1:
		return folded[0].group(), nil
	}
	names := make([]string, len(folded))
	for i, g := range folded {
		names[i] = fmt.Sprintf("%q (%s)", g.Name, g.ID)
	}
	return confluence.Group{}, fmt.Errorf("no group is named exactly %q, and several differ only in case: %s; use the exact name or the groupId",
		name, strings.Join(names, ", "))
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
