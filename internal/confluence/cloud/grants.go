package cloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// permissionRowJSON is v2's SpacePermissionAssignment
// (contributing/confluence-api.md#reading-grants-v2). Note
// operation.targetType here against operation.target in v1 writes.
type permissionRowJSON struct {
	ID        jsonID `json:"id"`
	Principal struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"principal"`
	Operation struct {
		Key        string `json:"key"`
		TargetType string `json:"targetType"`
	} `json:"operation"`
}

func (r permissionRowJSON) grant() confluence.StoredGrant {
	return confluence.StoredGrant{
		ID:        string(r.ID),
		Principal: principalFromV2(r.Principal.Type, r.Principal.ID),
		Operation: permissions.Operation{Key: r.Operation.Key, Target: r.Operation.TargetType},
	}
}

// SpaceGrants reads every grant of the space with the v2 list, the only list
// Cloud offers (v1 has none, contributing/confluence-api.md#reading-grants-v2). It
// needs the numeric space id.
func (b *Backend) SpaceGrants(ctx context.Context, s confluence.Space) ([]confluence.StoredGrant, error) {
	if s.ID == "" {
		return nil, fmt.Errorf("space %q has no id: look it up with SpacesByKey first", s.Key)
	}
	path := spacesPath + "/" + url.PathEscape(s.ID) + "/permissions"
	rows, err := transport.ListCursor[permissionRowJSON](ctx, b.api, path, url.Values{"limit": {strconv.Itoa(pageLimit)}})
	if err != nil {
		return nil, err
	}
	return grantsFromRows(rows), nil
}

// grantsFromRows maps the rows and drops repeated (principal, operation)
// pairs, keeping the first id: duplicates are not reported
// (contributing/confluence-api.md#duplicate-rows-and-read-after-write), but a
// repeated row must not look like two grants to the diff.
func grantsFromRows(rows []permissionRowJSON) []confluence.StoredGrant {
	grants := make([]confluence.StoredGrant, 0, len(rows))
	seen := make(map[permissions.Grant]bool, len(rows))
	for _, row := range rows {
		g := row.grant()
		if seen[g.Domain()] {
			continue
		}
		seen[g.Domain()] = true
		grants = append(grants, g)
	}
	return grants
}

// addPermissionJSON is v1's SpacePermissionRequest
// (contributing/confluence-api.md#permission-writes-v1).
type addPermissionJSON struct {
	Subject   subjectJSON `json:"subject"`
	Operation struct {
		Key    string `json:"key"`
		Target string `json:"target"`
	} `json:"operation"`
}

// AddGrant creates one grant with v1 `POST /space/{key}/permission`
// (contributing/confluence-api.md#permission-writes-v1), which answers 200 with the
// new grant and its integer id. The POST is sent
// once: the transport retries it only on 429, and on any other failure the
// caller re-reads the space and adopts a grant that did land (Confluence
// answers a duplicate with 400).
func (b *Backend) AddGrant(ctx context.Context, s confluence.Space, g permissions.Grant) (confluence.StoredGrant, error) {
	subject, err := subjectFor(g.Principal)
	if err != nil {
		return confluence.StoredGrant{}, err
	}
	path, err := permissionPath(s)
	if err != nil {
		return confluence.StoredGrant{}, err
	}
	body := addPermissionJSON{Subject: subject}
	body.Operation.Key, body.Operation.Target = g.Operation.Key, g.Operation.Target

	var created struct {
		ID jsonID `json:"id"`
	}
	if err := b.api.SendJSON(ctx, http.MethodPost, path, body, &created); err != nil {
		return confluence.StoredGrant{}, err
	}
	if created.ID == "" {
		return confluence.StoredGrant{}, fmt.Errorf("Confluence created %s in space %s but did not return its id", g, s.Key)
	}
	return confluence.StoredGrant{ID: string(created.ID), Principal: g.Principal, Operation: g.Operation}, nil
}

// RemoveGrant deletes one grant by id with v1 `DELETE
// /space/{key}/permission/{id}`. A 404 is returned as it is: it may mean
// that the grant is already gone (Cloud removes all of a principal's grants
// when its read/space goes), but nothing documents that the id of the v2
// list is the id this DELETE takes, so only a re-read can tell; the client
// does that (contributing/confluence-api.md#v1-and-v2-permission-ids).
func (b *Backend) RemoveGrant(ctx context.Context, s confluence.Space, g confluence.StoredGrant) error {
	if _, err := strconv.ParseInt(g.ID, 10, 64); err != nil {
		return fmt.Errorf("cannot remove %s from space %s: its Cloud permission id %q is not a number", g.Domain(), s.Key, g.ID)
	}
	path, err := permissionPath(s)
	if err != nil {
		return err
	}
	return b.api.SendJSON(ctx, http.MethodDelete, path+"/"+g.ID, nil, nil)
}

func permissionPath(s confluence.Space) (string, error) {
	if s.Key == "" {
		return "", errors.New("the space has no key")
	}
	return "/wiki/rest/api/space/" + url.PathEscape(s.Key) + "/permission", nil
}
