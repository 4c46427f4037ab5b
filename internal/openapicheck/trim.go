package openapicheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Trim cuts one of Atlassian's documents down to the operations s keeps and
// the facts the checks use: paths, methods, parameters, request bodies,
// responses, schemas with their types, formats, enums and required lists,
// and the components they reference, transitively. All prose goes
// (descriptions, summaries, titles, examples, external docs, tags): the
// project keeps none of Atlassian's text beyond the document's title and
// version, which say what the subset was cut from. So do security
// requirements (the checks leave credentials to the server) and vendor
// extensions (no check reads them).
//
// Two facts survive in another form. A response keeps an empty description,
// which OpenAPI requires of every response. A query parameter whose
// description says it takes a comma-separated list is marked
// x-comma-separated (see quirks.go).
//
// The output is indented JSON with sorted keys and numbers as written in
// the source, so the same source always gives the same bytes.
func Trim(source []byte, s Source) ([]byte, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(source))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", s.File, err)
	}
	t := &trimmer{doc: doc, components: map[string]map[string]any{}}

	info, _ := doc["info"].(map[string]any)
	title, _ := info["title"].(string)
	version, _ := info["version"].(string)
	if title == "" || version == "" {
		return nil, fmt.Errorf("%s: info.title or info.version is missing", s.File)
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) == 0 {
		return nil, fmt.Errorf("%s declares no servers, so its paths cannot be placed on the site", s.File)
	}

	paths, _ := doc["paths"].(map[string]any)
	kept := map[string]any{}
	for _, name := range s.Operations {
		method, path, _ := strings.Cut(name, " ")
		item, _ := paths[path].(map[string]any)
		op, ok := item[strings.ToLower(method)]
		if !ok {
			return nil, fmt.Errorf("%s has no operation %s", s.File, name)
		}
		out, _ := kept[path].(map[string]any)
		if out == nil {
			out = map[string]any{}
			// What a path item declares for all its operations.
			for _, k := range []string{"parameters", "servers"} {
				if v, ok := item[k]; ok {
					out[k] = t.clean(v, roleOf(k))
				}
			}
			kept[path] = out
		}
		out[strings.ToLower(method)] = t.clean(op, plain)
	}
	if err := t.resolve(); err != nil {
		return nil, fmt.Errorf("%s: %w", s.File, err)
	}

	sum := sha256.Sum256(source)
	ops := slices.Clone(s.Operations)
	slices.Sort(ops)
	out := map[string]any{
		"openapi": doc["openapi"],
		"info": map[string]any{
			"title":   title,
			"version": version,
			"x-subset-of": map[string]any{
				"url":    s.URL,
				"sha256": hex.EncodeToString(sum[:]),
			},
			"x-generated-by": "make openapi (internal/openapicheck/cmd/trimspec)",
		},
		"servers":             t.clean(servers, plain),
		"paths":               kept,
		"x-subset-operations": ops,
	}
	if len(t.components) > 0 {
		out["components"] = t.components
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// role is what kind of object clean is looking at, where that changes what
// it keeps.
type role int

const (
	plain role = iota
	parameter
	response
)

// commaSeparated marks the query parameters documented as taking "a,b".
// Trim keeps it where it finds it, so that trimming a subset again changes
// nothing.
const commaSeparated = "x-comma-separated"

// dropped are the members that carry prose or nothing the checks use.
var dropped = map[string]bool{
	"description": true, "summary": true, "title": true,
	"example": true, "examples": true, "externalDocs": true,
	"tags": true, "security": true,
}

// literal members hold values, not objects to clean: an enum's or a
// default's values are kept whatever their shape.
var literal = map[string]bool{"enum": true, "default": true, "required": true, "const": true}

// named members map names of the API's own (properties, status codes, media
// types...) to objects: their keys are kept whatever they are, even
// "description".
var named = map[string]bool{
	"properties": true, "patternProperties": true, "responses": true, "content": true,
	"headers": true, "encoding": true, "variables": true, "links": true,
	"callbacks": true, "mapping": true,
}

func roleOf(member string) role {
	switch member {
	case "parameters":
		return parameter
	case "responses":
		return response
	}
	return plain
}

type trimmer struct {
	doc        map[string]any
	components map[string]map[string]any // kind → name → cleaned component
	pending    []string                  // references not resolved yet
}

// clean copies v without its prose, noting the references it makes.
func (t *trimmer) clean(v any, r role) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = t.clean(x, r)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			m, isMap := x.(map[string]any)
			switch {
			case dropped[k] || strings.HasPrefix(k, "x-") && k != commaSeparated:
			case literal[k]:
				out[k] = x
			case named[k] && isMap:
				names := map[string]any{}
				for name, y := range m {
					if ref, ok := y.(string); ok && k == "mapping" {
						// A discriminator names schemas by reference or by name.
						if !strings.HasPrefix(ref, "#/") {
							ref = "#/components/schemas/" + ref
						}
						t.refer(ref)
					}
					names[name] = t.clean(y, roleOf(k))
				}
				out[k] = names
			case k == "$ref":
				ref, _ := x.(string)
				t.refer(ref)
				out[k] = x
			default:
				out[k] = t.clean(x, roleOf(k))
			}
		}
		_, isRef := v["$ref"]
		if r == response && !isRef {
			out["description"] = ""
		}
		if d, _ := v["description"].(string); r == parameter && strings.Contains(strings.ToLower(d), "comma-separated") {
			out[commaSeparated] = true
		}
		return out
	}
	return v
}

func (t *trimmer) refer(ref string) {
	if strings.HasPrefix(ref, "#/") {
		t.pending = append(t.pending, ref)
	}
}

// resolve copies every component referenced so far, and those they
// reference, into t.components.
func (t *trimmer) resolve() error {
	for len(t.pending) > 0 {
		ref := t.pending[len(t.pending)-1]
		t.pending = t.pending[:len(t.pending)-1]
		kind, name, ok := splitRef(ref)
		if !ok {
			return fmt.Errorf("reference %q is not to a component", ref)
		}
		if _, done := t.components[kind][name]; done {
			continue
		}
		all, _ := t.doc["components"].(map[string]any)
		ofKind, _ := all[kind].(map[string]any)
		c, ok := ofKind[name]
		if !ok {
			return fmt.Errorf("reference %q does not resolve", ref)
		}
		if t.components[kind] == nil {
			t.components[kind] = map[string]any{}
		}
		// Marked as copied before cleaning, so that a schema referring to
		// itself is not copied forever.
		t.components[kind][name] = nil
		var r role
		switch kind {
		case "parameters":
			r = parameter
		case "responses":
			r = response
		}
		t.components[kind][name] = t.clean(c, r)
	}
	return nil
}

// splitRef splits "#/components/KIND/NAME" (NAME escaped as a JSON pointer).
func splitRef(ref string) (kind, name string, ok bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return "", "", false
	}
	kind, name, ok = strings.Cut(rest, "/")
	if !ok || kind == "" || name == "" || strings.Contains(name, "/") {
		return "", "", false
	}
	return kind, strings.NewReplacer("~1", "/", "~0", "~").Replace(name), true
}
