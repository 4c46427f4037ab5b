// Command terraform-provider-confluence serves the Confluence provider to
// Terraform over the plugin protocol.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/spacekeeper/terraform-provider-confluence/internal/provider"
)

// version and commit are set by the release build (.goreleaser.yml:
// -ldflags "-X main.version=... -X main.commit=..."). The provider reports
// version to Terraform and sends it in its User-Agent.
var (
	version = "dev"
	commit  = ""
)

func main() {
	var debug bool
	var showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider's version and exit")
	flag.Parse()

	if showVersion {
		if commit != "" {
			fmt.Printf("terraform-provider-confluence %s (commit %s)\n", version, commit)
		} else {
			fmt.Printf("terraform-provider-confluence %s\n", version)
		}
		return
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/spacekeeper/confluence",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}
