package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// On Data Center, configuration names users by username while grants carry
// the immutable userKey. Resources keep the pairs they resolved in their
// private state: reads then need no user lookups, and a user renamed in
// Confluence is still recognised by the key.

const privatePrincipalsKey = "principals"

type principalPair struct {
	Type       string `json:"type"`
	Configured string `json:"configured"`
	Resolved   string `json:"resolved"`
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// restorePrincipals hands the pairs a resource saved to the client.
func restorePrincipals(ctx context.Context, c *confluence.Client, private privateGetter) diag.Diagnostics {
	if private == nil {
		return nil
	}
	data, diags := private.GetKey(ctx, privatePrincipalsKey)
	if diags.HasError() || len(data) == 0 {
		return diags
	}
	var pairs []principalPair
	if err := json.Unmarshal(data, &pairs); err != nil {
		return diags // an unreadable cache only costs lookups
	}
	for _, pair := range pairs {
		t := permissions.PrincipalType(pair.Type)
		c.RememberPrincipal(permissions.Principal{Type: t, ID: pair.Configured}, permissions.Principal{Type: t, ID: pair.Resolved})
	}
	return diags
}

// savePrincipals records, for the principals given as configured, how the
// client resolved them. Principals that resolve to themselves (all of them
// on Cloud) need no record.
func savePrincipals(ctx context.Context, c *confluence.Client, private privateSetter, configured []permissions.Principal) diag.Diagnostics {
	pairs := []principalPair{}
	for _, p := range configured {
		resolved, err := c.ResolvePrincipal(ctx, p)
		if err != nil || resolved == p {
			continue
		}
		pairs = append(pairs, principalPair{Type: string(p.Type), Configured: p.ID, Resolved: resolved.ID})
	}
	if len(pairs) == 0 {
		return private.SetKey(ctx, privatePrincipalsKey, nil)
	}
	data, err := json.Marshal(pairs)
	if err != nil {
		return nil
	}
	return private.SetKey(ctx, privatePrincipalsKey, data)
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
