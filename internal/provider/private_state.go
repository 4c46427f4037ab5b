package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

// privateIdentitiesKey is where a resource keeps the client's identities
// of its principals (see confluence.IdentityStore): on Data Center the user
// key each username resolved to, so that reads need no user lookups and a
// user renamed in Confluence is still recognised.
const privateIdentitiesKey = "principals"

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// privateIdentities is a resource's private state as the client's
// IdentityStore: it reads from the request's private state (none on
// create) and writes to the response's.
type privateIdentities struct {
	ctx   context.Context
	from  privateGetter
	to    privateSetter
	diags *diag.Diagnostics
}

// identities returns the store every CRUD method hands the client: the one
// piece of identity handling a resource has.
func identities(ctx context.Context, from privateGetter, to privateSetter, diags *diag.Diagnostics) confluence.IdentityStore {
	return privateIdentities{ctx: ctx, from: from, to: to, diags: diags}
}

func (p privateIdentities) Identities() []byte {
	if p.from == nil {
		return nil
	}
	data, diags := p.from.GetKey(p.ctx, privateIdentitiesKey)
	p.diags.Append(diags...)
	return data
}

func (p privateIdentities) KeepIdentities(data []byte) {
	p.diags.Append(p.to.SetKey(p.ctx, privateIdentitiesKey, data)...)
}

// getPrivateList reads a list of strings a resource keeps in private state;
// nil when there is none.
func getPrivateList(ctx context.Context, private privateGetter, key string) ([]string, diag.Diagnostics) {
	data, diags := private.GetKey(ctx, key)
	if diags.HasError() || len(data) == 0 {
		return nil, diags
	}
	var list []string
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, diags // unreadable: as if nothing had been kept
	}
	return list, diags
}

// setPrivateList keeps a list of strings in private state; an empty list
// removes the key.
func setPrivateList(ctx context.Context, private privateSetter, key string, list []string) diag.Diagnostics {
	if len(list) == 0 {
		return private.SetKey(ctx, key, nil)
	}
	data, err := json.Marshal(list)
	if err != nil {
		return nil
	}
	return private.SetKey(ctx, key, data)
}
