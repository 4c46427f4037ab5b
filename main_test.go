package main

import (
	"context"
	"testing"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/spacekeeper/terraform-provider-confluence/internal/provider"
)

// The version the release build writes into main.version (.goreleaser.yml)
// is the one the provider reports to Terraform.
func TestProviderReportsTheBuildVersion(t *testing.T) {
	for _, v := range []string{version, "1.2.3"} {
		var resp fwprovider.MetadataResponse
		provider.New(v)().Metadata(context.Background(), fwprovider.MetadataRequest{}, &resp)
		if resp.Version != v || resp.TypeName != "confluence" {
			t.Errorf("New(%q) reports version %q and type name %q", v, resp.Version, resp.TypeName)
		}
	}
}
