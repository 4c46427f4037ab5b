package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// spaceKeyValidator refuses, at plan time, a value that cannot be a
// Confluence space key, so that a typo is named before any request.
type spaceKeyValidator struct{}

var _ validator.String = spaceKeyValidator{}

func (spaceKeyValidator) Description(context.Context) string {
	return "a Confluence space key: letters and digits, or ~ and a username or accountId for a personal space"
}

func (v spaceKeyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (spaceKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if err := permissions.ValidateSpaceKey(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid space key",
			fmt.Sprintf("%s. Check the key in the space's address: .../spaces/KEY/... on Cloud, .../display/KEY/... on Data Center.", upperFirst(err.Error())))
	}
}

// upperFirst capitalises the first letter of a message taken from an
// error, which starts in lower case by Go convention.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
