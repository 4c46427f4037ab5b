package datacenter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// SpaceGrants reads every grant of the space with
// `GET /rest/api/space/{spaceKey}/permissions`, a bare array of one row per
// (subject, operation)
// (contributing/confluence-api.md#rest-space-permissions). Pairs outside the
// table (contributing/confluence-api.md#operation-names-on-data-center) are
// skipped.
//
// Whether that list includes anonymous grants is UNVERIFIED
// (contributing/confluence-api.md#anonymous-on-data-center). When it shows
// none, the anonymous endpoint is read as well, so that an anonymous grant is
// never missed; when it shows some, it evidently does include them and the
// second request is saved.
func (b *RESTBackend) SpaceGrants(ctx context.Context, s confluence.Space) ([]confluence.StoredGrant, error) {
	if s.Key == "" {
		return nil, errNoSpaceKey
	}
	path := permissionsPath(s.Key)
	var rows []permissionRowJSON
	if err := b.api.GetJSON(ctx, path, nil, &rows); err != nil {
		return nil, b.explainRead(ctx, s.Key, path, err)
	}
	var set grantSet
	for _, row := range rows {
		if row.Subject != nil && row.Subject.Username != "" && row.Subject.UserKey != "" {
			b.remember(userJSON{Username: row.Subject.Username, UserKey: row.Subject.UserKey})
		}
		b.addRESTPair(ctx, &set, s.Key, row.Subject.principal(), row.Operation)
	}
	if !set.hasAnonymous() {
		if err := b.readAnonymous(ctx, s.Key, &set); err != nil {
			return nil, err
		}
	}
	return set.grants, nil
}

func (b *RESTBackend) addRESTPair(ctx context.Context, set *grantSet, spaceKey string, p permissions.Principal, o operationJSON) {
	op, ok := permissions.FromDataCenterREST(o.pair())
	if !ok {
		b.skipUnknown(ctx, spaceKey, o.String())
		return
	}
	set.add(p, op)
}

// readAnonymous reads `GET …/permissions/anonymous`. Its shape is
// UNVERIFIED: a third party reports either a list of {operation:{…}} rows or
// an {operations:[…]} object depending on the patch version
// (contributing/confluence-api.md#anonymous-on-data-center), so both
// are accepted, and so is a list of bare OperationDescriptions. The bulk
// list has just been read, so the space and the API exist: a 404 here can
// only mean that this version has no separate anonymous endpoint, and is
// read as "no anonymous grants".
func (b *RESTBackend) readAnonymous(ctx context.Context, spaceKey string, set *grantSet) error {
	path := permissionsPath(spaceKey) + "/anonymous"
	res, err := b.api.Do(ctx, transport.Request{Method: http.MethodGet, Path: path})
	if confluence.IsNotFound(err) {
		b.log.Debug(ctx, "No anonymous permission endpoint on this Data Center", map[string]any{"space_key": spaceKey})
		return nil
	}
	if err != nil {
		return b.explainRead(ctx, spaceKey, path, err)
	}
	var raw json.RawMessage
	if err := res.DecodeJSON(&raw); err != nil {
		return err
	}
	ops, err := decodeAnonymous(raw)
	if err != nil {
		return fmt.Errorf("Confluence's answer to GET %s is not the JSON expected: %w", path, err)
	}
	for _, o := range ops {
		b.addRESTPair(ctx, set, spaceKey, permissions.AnonymousPrincipal, o)
	}
	return nil
}

// anonymousItemJSON is an item of the anonymous list: a row with an
// operation, or an OperationDescription itself.
type anonymousItemJSON struct {
	Operation *operationJSON `json:"operation"`
	operationJSON
}

func decodeAnonymous(raw json.RawMessage) ([]operationJSON, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '{' {
		var env struct {
			Operations []operationJSON `json:"operations"`
		}
		err := json.Unmarshal(raw, &env)
		return env.Operations, err
	}
	var items []anonymousItemJSON
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	ops := make([]operationJSON, 0, len(items))
	for _, item := range items {
		if item.Operation != nil {
			ops = append(ops, *item.Operation)
		} else {
			ops = append(ops, item.operationJSON)
		}
	}
	return ops, nil
}

// explainRead adds what to do to the failures of the permission reads that
// Data Center words badly
// (contributing/confluence-api.md#data-center-error-statuses):
//   - 500 is what a caller without admin rights gets instead of 403
//     (CONFSERVER-99908);
//   - 404 on a space that exists means the server predates the API.
func (b *RESTBackend) explainRead(ctx context.Context, spaceKey, path string, err error) error {
	var e *confluence.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.StatusCode {
	case http.StatusInternalServerError:
		return withHint(err, fmt.Sprintf("Data Center answers 500 instead of 403 when the account may not read space permissions (CONFSERVER-99908): "+
			"give the provider's account the Admin permission of space %s, or Confluence administrator rights", spaceKey))
	case http.StatusNotFound:
		if b.spaceExists(ctx, spaceKey) {
			return &RESTUnavailableError{SpaceKey: spaceKey, Path: path}
		}
	}
	return err
}

// spaceExists asks `GET /rest/api/space/{spaceKey}`
// (contributing/confluence-api.md#data-center-spaces-and-paging).
func (b *RESTBackend) spaceExists(ctx context.Context, spaceKey string) bool {
	var s spaceJSON
	return b.api.GetJSON(ctx, spacePath(spaceKey), nil, &s) == nil && s.Key != ""
}

// AddGrant grants one operation with `PUT …/permissions/{subject}/grant` and a
// bare array body (contributing/confluence-api.md#rest-space-permissions).
// Granting what is already granted is not an error. Data Center grants have no
// id.
func (b *RESTBackend) AddGrant(ctx context.Context, s confluence.Space, g permissions.Grant) (confluence.StoredGrant, error) {
	if err := b.change(ctx, s, g, "grant"); err != nil {
		return confluence.StoredGrant{}, err
	}
	return confluence.StoredGrant{Principal: g.Principal, Operation: g.Operation}, nil
}

// RemoveGrant revokes one operation with `PUT …/permissions/{subject}/revoke`
// (contributing/confluence-api.md#rest-space-permissions). Revoking what is
// not granted is silently skipped.
func (b *RESTBackend) RemoveGrant(ctx context.Context, s confluence.Space, g confluence.StoredGrant) error {
	return b.change(ctx, s, g.Domain(), "revoke")
}

func (b *RESTBackend) change(ctx context.Context, s confluence.Space, g permissions.Grant, verb string) error {
	info, err := dataCenterInfo(g.Operation)
	if err != nil {
		return err
	}
	subject, err := subjectPath(g.Principal)
	if err != nil {
		return err
	}
	if s.Key == "" {
		return errNoSpaceKey
	}
	path := permissionsPath(s.Key) + "/" + subject + "/" + verb
	return b.api.SendJSON(ctx, http.MethodPut, path, []operationJSON{restOperation(info)}, nil)
}
