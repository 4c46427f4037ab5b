package openapicheck

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// openapiDirEnv names a directory holding Atlassian's full documents
// (V1File, V2File), to check the subsets against.
const openapiDirEnv = "CONFLUENCE_OPENAPI_DIR"

// TestSubsetsAreCurrent checks each subset in testdata/ on its own, always,
// and against the document it was cut from when openapiDirEnv is set.
func TestSubsetsAreCurrent(t *testing.T) {
	dir := os.Getenv(openapiDirEnv)
	for _, s := range Sources {
		t.Run(s.File, func(t *testing.T) {
			stored, err := SubsetJSON(s.File)
			if err != nil {
				t.Fatal(err)
			}
			checkSubset(t, s, stored)
			if dir == "" {
				return
			}
			source, err := os.ReadFile(filepath.Join(dir, s.File))
			if err != nil {
				t.Fatalf("%s is set, but: %v", openapiDirEnv, err)
			}
			fresh, err := Trim(source, s)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fresh, stored) {
				t.Errorf("testdata/%s is stale against %s (sha256 %s; the subset records %s): run `make openapi SPECS=%s` and commit the result",
					s.SubsetFile, filepath.Join(dir, s.File), sha256Hex(source), recordedSHA(stored), dir)
			}
		})
	}
	if dir == "" {
		t.Logf("%s is not set: the full documents were not given, so the subsets were checked on their own but not against Atlassian's documents", openapiDirEnv)
	}
}

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// checkSubset checks that a subset records its source, keeps the operations
// listed and no more, resolves every reference, is a valid OpenAPI document
// and holds nothing Trim would remove: trimming it again must change nothing
// but the checksum.
func checkSubset(t *testing.T, s Source, stored []byte) {
	doc := decodeJSON(t, stored)
	info, _ := doc["info"].(map[string]any)
	of, _ := info["x-subset-of"].(map[string]any)
	if title, _ := info["title"].(string); title == "" {
		t.Error("info.title is missing")
	}
	if version, _ := info["version"].(string); version == "" {
		t.Error("info.version is missing")
	}
	if sum, _ := of["sha256"].(string); !sha256Pattern.MatchString(sum) {
		t.Errorf("info.x-subset-of.sha256 is %q", sum)
	}
	if of["url"] != s.URL {
		t.Errorf("info.x-subset-of.url is %v, want %s", of["url"], s.URL)
	}

	want := slices.Sorted(slices.Values(s.Operations))
	var listed []string
	ops, _ := doc["x-subset-operations"].([]any)
	for _, op := range ops {
		name, _ := op.(string)
		listed = append(listed, name)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("x-subset-operations is %q, Sources lists %q", listed, want)
	}
	paths, _ := doc["paths"].(map[string]any)
	count := 0
	for path, item := range paths {
		for method := range item.(map[string]any) {
			if method != "parameters" && method != "servers" {
				count++
				if !slices.Contains(want, strings.ToUpper(method)+" "+path) {
					t.Errorf("%s %s is kept but not listed in Sources", strings.ToUpper(method), path)
				}
			}
		}
	}
	for _, op := range want {
		method, path, _ := strings.Cut(op, " ")
		if _, ok := paths[path].(map[string]any)[strings.ToLower(method)]; !ok {
			t.Errorf("%s is listed in Sources but not in the subset", op)
		}
	}
	if count != len(want) {
		t.Errorf("%d operations kept, %d listed", count, len(want))
	}

	for _, ref := range references(doc) {
		if !resolves(doc, ref) {
			t.Errorf("reference %s does not resolve", ref)
		}
	}
	if loaded, err := openapi3.NewLoader().LoadFromData(stored); err != nil {
		t.Errorf("loading: %v", err)
	} else if err := loaded.Validate(context.Background()); err != nil {
		t.Errorf("not a valid OpenAPI document: %v", err)
	}

	again, err := Trim(stored, s)
	if err != nil {
		t.Fatalf("trimming the subset again: %v", err)
	}
	redo := decodeJSON(t, again)
	redo["info"].(map[string]any)["x-subset-of"].(map[string]any)["sha256"] = of["sha256"]
	if !reflect.DeepEqual(redo, doc) {
		t.Errorf("trimming the subset again changes it: it holds prose or unused components (run `make openapi`)")
	}
}

// TestSubsetsServeTheChecker proves every listed operation is where the
// checker looks for it.
func TestSubsetsServeTheChecker(t *testing.T) {
	docs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bases := map[string]string{V1File: "", V2File: "/wiki/api/v2"}
	param := regexp.MustCompile(`\{[^}]+\}`)
	for _, s := range Sources {
		for _, name := range s.Operations {
			method, path, _ := strings.Cut(name, " ")
			template := bases[s.File] + path
			op, _, why := docs.find(method, param.ReplaceAllString(template, "p1"))
			if op == nil || op.name() != method+" "+template {
				t.Errorf("%s: found %v (%s)", name, op, why)
			}
		}
	}
}

// tinyDocument has a little of everything Trim keeps and removes.
const tinyDocument = `{
  "openapi": "3.0.1",
  "info": {"title": "Tiny", "version": "9.1", "description": "Prose.", "termsOfService": "https://example.com/terms"},
  "externalDocs": {"url": "https://example.com"},
  "tags": [{"name": "things", "description": "Prose."}],
  "x-atlassian-narrative": {"documents": []},
  "security": [{"basicAuth": []}],
  "servers": [{"url": "https://{site}/api", "variables": {"site": {"default": "x", "description": "Prose."}}}],
  "paths": {
    "/things": {
      "summary": "Prose.",
      "parameters": [{"$ref": "#/components/parameters/Limit"}],
      "get": {
        "operationId": "getThings",
        "summary": "Prose.",
        "description": "Prose.",
        "tags": ["things"],
        "security": [{"basicAuth": []}],
        "x-atlassian-connect-scope": "READ",
        "deprecated": true,
        "parameters": [
          {"name": "ids", "in": "query", "description": "Give them as a Comma-separated list.", "explode": true,
           "schema": {"type": "array", "items": {"type": "integer", "format": "int64"}}},
          {"name": "sort", "in": "query", "description": "Prose.", "schema": {"type": "string", "enum": ["a", "-a"], "default": "a"}}
        ],
        "responses": {
          "200": {"description": "Prose.", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Thing"},
            "example": {"id": 1},
            "examples": {"one": {"value": {"id": 1}}}}}},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "post": {"responses": {"200": {"description": "Prose."}}}
    },
    "/other": {"get": {"responses": {"200": {"description": "Prose."}}}}
  },
  "components": {
    "parameters": {"Limit": {"name": "limit", "in": "query", "description": "Prose.", "schema": {"type": "integer", "maximum": 250}}},
    "responses": {"NotFound": {"description": "Prose.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
    "schemas": {
      "Thing": {"type": "object", "title": "Prose", "description": "Prose.", "example": {"id": 1}, "required": ["id", "description"],
        "properties": {
          "id": {"type": "integer", "format": "int64", "description": "Prose."},
          "description": {"type": "string", "nullable": true, "description": "Prose."},
          "x-raw": {"type": "boolean"},
          "child": {"allOf": [{"$ref": "#/components/schemas/Child"}], "description": "Prose."}
        }},
      "Child": {"type": "object", "additionalProperties": true, "properties": {"parent": {"$ref": "#/components/schemas/Child"}}},
      "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
      "Unused": {"type": "string"}
    },
    "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic", "description": "Prose."}}
  }
}`

// tinySubset is what Trim makes of tinyDocument, less the checksum.
const tinySubset = `{
  "openapi": "3.0.1",
  "info": {"title": "Tiny", "version": "9.1", "x-generated-by": "make openapi (internal/openapicheck/cmd/trimspec)",
           "x-subset-of": {"url": "https://example.com/tiny.json", "sha256": "SUM"}},
  "servers": [{"url": "https://{site}/api", "variables": {"site": {"default": "x"}}}],
  "x-subset-operations": ["GET /things"],
  "paths": {
    "/things": {
      "parameters": [{"$ref": "#/components/parameters/Limit"}],
      "get": {
        "operationId": "getThings",
        "deprecated": true,
        "parameters": [
          {"name": "ids", "in": "query", "explode": true, "x-comma-separated": true,
           "schema": {"type": "array", "items": {"type": "integer", "format": "int64"}}},
          {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["a", "-a"], "default": "a"}}
        ],
        "responses": {
          "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    }
  },
  "components": {
    "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 250}}},
    "responses": {"NotFound": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
    "schemas": {
      "Thing": {"type": "object", "required": ["id", "description"],
        "properties": {
          "id": {"type": "integer", "format": "int64"},
          "description": {"type": "string", "nullable": true},
          "x-raw": {"type": "boolean"},
          "child": {"allOf": [{"$ref": "#/components/schemas/Child"}]}
        }},
      "Child": {"type": "object", "additionalProperties": true, "properties": {"parent": {"$ref": "#/components/schemas/Child"}}},
      "Error": {"type": "object", "properties": {"message": {"type": "string"}}}
    }
  }
}`

func TestTrim(t *testing.T) {
	tiny := Source{File: "tiny.json", URL: "https://example.com/tiny.json", Operations: []string{"GET /things"}}
	got, err := Trim([]byte(tinyDocument), tiny)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(tinySubset, "SUM", sha256Hex([]byte(tinyDocument)), 1)
	if !reflect.DeepEqual(decodeJSON(t, got), decodeJSON(t, []byte(want))) {
		t.Errorf("Trim gave\n%s", got)
	}
	// Stable bytes: sorted keys, two-space indents, a final newline.
	var canonical bytes.Buffer
	if err := json.Indent(&canonical, got, "", "  "); err != nil || !bytes.Equal(canonical.Bytes(), got) {
		t.Errorf("not indented JSON: %v", err)
	}
	if !bytes.HasSuffix(got, []byte("}\n")) || !bytes.HasPrefix(got, []byte("{\n  \"components\": {")) {
		t.Errorf("keys are not sorted, or no final newline:\n%s", got)
	}
	if again, _ := Trim([]byte(tinyDocument), tiny); !bytes.Equal(again, got) {
		t.Error("two runs differ")
	}

	for _, tt := range []struct {
		name, from, to, want string
		ops                  []string
	}{
		{name: "operation missing", ops: []string{"DELETE /things"}, want: "has no operation DELETE /things"},
		{name: "path missing", ops: []string{"GET /nowhere"}, want: "has no operation GET /nowhere"},
		{name: "dangling reference", from: `"#/components/schemas/Error"`, to: `"#/components/schemas/Gone"`, want: `"#/components/schemas/Gone" does not resolve`},
		{name: "reference outside the components", from: `"#/components/schemas/Error"`, to: `"#/paths/~1other"`, want: "is not to a component"},
		{name: "no servers", from: `"servers": [{"url": "https://{site}/api", "variables": {"site": {"default": "x", "description": "Prose."}}}],`, want: "declares no servers"},
		{name: "no version", from: `"version": "9.1",`, want: "info.version"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tiny
			if tt.ops != nil {
				s.Operations = tt.ops
			}
			doc := tinyDocument
			if tt.from != "" {
				if !strings.Contains(doc, tt.from) {
					t.Fatalf("%q is not in the document", tt.from)
				}
				doc = strings.Replace(doc, tt.from, tt.to, 1)
			}
			_, err := Trim([]byte(doc), s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// references lists every $ref of a document.
func references(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if ref, ok := x.(string); ok && k == "$ref" {
				out = append(out, ref)
			}
			out = append(out, references(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, references(x)...)
		}
	}
	return out
}

// resolves follows a local JSON pointer reference.
func resolves(doc map[string]any, ref string) bool {
	pointer, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	var at any = doc
	for _, token := range strings.Split(pointer, "/") {
		m, ok := at.(map[string]any)
		if !ok {
			return false
		}
		if at, ok = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(token)]; !ok {
			return false
		}
	}
	return true
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func recordedSHA(subset []byte) string {
	var doc struct {
		Info struct {
			Of struct {
				SHA256 string `json:"sha256"`
			} `json:"x-subset-of"`
		} `json:"info"`
	}
	_ = json.Unmarshal(subset, &doc)
	return doc.Info.Of.SHA256
}
