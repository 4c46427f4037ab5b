package provider

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// tfplugindocs renders identity schemas and list resource pages only from
// the schemas of Terraform 1.12 and 1.14 and later, and `make docs` runs
// the Terraform on PATH (1.5.7 where there is none), so the templates
// describe both by hand. This test keeps those descriptions what the code
// says: the sections between the markers are rendered from the identity
// kinds and the list schema, and `go test ./internal/provider -run
// TestDocsFollowSchemas -update-templates` rewrites them (then `make docs`).

var updateTemplates = flag.Bool("update-templates", false, "rewrite the generated sections of templates/ from the schemas")

const (
	generatedBegin = "<!-- generated from the provider's code: go test ./internal/provider -run TestDocsFollowSchemas -update-templates -->\n"
	generatedEnd   = "<!-- end of generated section -->\n"
)

func TestDocsFollowSchemas(t *testing.T) {
	templates := filepath.Join("..", "..", "templates")
	sections := map[string]string{}
	for _, k := range []identityKind{grantIdentity, principalIdentity, spacePermissionsIdentity, roleAssignmentIdentity, roleAssignmentsIdentity, roleIdentity} {
		sections[filepath.Join(templates, "resources", strings.TrimPrefix(k.resource, "confluence_")+".md.tmpl")] = identityMarkdown(k)
	}
	for _, newList := range listResources() {
		r := newList()
		var meta resource.MetadataResponse
		r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "confluence"}, &meta)
		var schema list.ListResourceSchemaResponse
		r.ListResourceConfigSchema(context.Background(), list.ListResourceSchemaRequest{}, &schema)
		sections[filepath.Join(templates, "list-resources", strings.TrimPrefix(meta.TypeName, "confluence_")+".md.tmpl")] = listSchemaMarkdown(schema.Schema)
	}
	for _, path := range sortedKeys(sections) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v: every resource and list resource needs a template", err)
			continue
		}
		text := string(data)
		i, j := strings.Index(text, generatedBegin), strings.Index(text, generatedEnd)
		if i < 0 || j < i {
			t.Errorf("%s has no generated section: add the two marker lines where it goes", path)
			continue
		}
		updated := text[:i+len(generatedBegin)] + sections[path] + text[j:]
		switch {
		case updated == text:
		case *updateTemplates:
			if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
				t.Fatal(err)
			}
		default:
			t.Errorf("%s does not describe what the code does; run go test ./internal/provider -run TestDocsFollowSchemas -update-templates, then make docs", path)
		}
	}
}

// identityMarkdown lists an identity's attributes in the order of the
// import id's parts.
func identityMarkdown(k identityKind) string {
	var b strings.Builder
	for _, p := range k.parts {
		need := "required for import"
		if p.optional {
			need = "optional for import"
		}
		fmt.Fprintf(&b, "- `%s` (String, %s) %s\n", p.name, need, p.description)
	}
	return b.String()
}

// listSchemaMarkdown lists the attributes of a list block's config, as
// tfplugindocs lists a schema's.
func listSchemaMarkdown(s listschema.Schema) string {
	names := make([]string, 0, len(s.Attributes))
	for name := range s.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("### Optional\n\n")
	for _, name := range names {
		a := s.Attributes[name]
		typ := "String"
		if _, ok := a.(listschema.ListAttribute); ok {
			typ = "List of String"
		}
		fmt.Fprintf(&b, "- `%s` (%s) %s\n", name, typ, a.GetMarkdownDescription())
	}
	return b.String()
}
