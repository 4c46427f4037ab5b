// Command trimspec writes the subsets of Atlassian's Confluence Cloud
// OpenAPI documents that internal/openapicheck checks traffic against: the
// operations listed in openapicheck.Sources and the components they use,
// facts only (see openapicheck.Trim). The full documents are not kept in the
// repository; download them from Atlassian first:
//
//	curl -fsSL -o DIR/confluence-v1.json https://dac-static.atlassian.com/cloud/confluence/swagger.v3.json
//	curl -fsSL -o DIR/confluence-v2.json https://dac-static.atlassian.com/cloud/confluence/openapi-v2.v3.json
//	go run ./internal/openapicheck/cmd/trimspec -v1 DIR/confluence-v1.json -v2 DIR/confluence-v2.json -out internal/openapicheck/testdata
//
// `make openapi SPECS=DIR` does the last step.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spacekeeper/terraform-provider-confluence/internal/openapicheck"
)

func main() {
	in := map[string]*string{
		openapicheck.V1File: flag.String("v1", "", "Atlassian's v1 document (swagger.v3.json)"),
		openapicheck.V2File: flag.String("v2", "", "Atlassian's v2 document (openapi-v2.v3.json)"),
	}
	out := flag.String("out", "", "directory to write the subsets to (internal/openapicheck/testdata)")
	flag.Parse()
	if *in[openapicheck.V1File] == "" || *in[openapicheck.V2File] == "" || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, s := range openapicheck.Sources {
		if err := write(*in[s.File], filepath.Join(*out, s.SubsetFile), s); err != nil {
			fmt.Fprintln(os.Stderr, "trimspec:", err)
			os.Exit(1)
		}
	}
}

func write(from, to string, s openapicheck.Source) error {
	source, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	subset, err := openapicheck.Trim(source, s)
	if err != nil {
		return err
	}
	if err := os.WriteFile(to, subset, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d operations, %d bytes (from %d)\n", to, len(s.Operations), len(subset), len(source))
	return nil
}
