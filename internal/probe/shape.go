package probe

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// A body's shape is what the report shows of it: for JSON the field names
// and the JSON types of their values, merged over the elements of arrays;
// for XML the element names; for HTML the page title. Values are left out
// because bodies hold user data (account ids, group names, emails).

const (
	// maxShapeDepth bounds how deep a JSON shape is written.
	maxShapeDepth = 6
	// maxShapeLen bounds the written shape of one body.
	maxShapeLen = 1200
)

// bodyShape describes a body by its media type and content.
func bodyShape(contentType string, body []byte) string {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\ufeff")))
	if len(body) == 0 {
		return "empty"
	}
	media, _, _ := mime.ParseMediaType(contentType)
	switch {
	case isHTML(media, body):
		if t := transport.HTMLTitle(body); t != "" {
			return fmt.Sprintf("HTML page titled %q", t)
		}
		return "HTML page"
	case body[0] == '{' || body[0] == '[':
		var v any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return fmt.Sprintf("invalid JSON (%d bytes)", len(body))
		}
		return clip(jsonShape(v), maxShapeLen)
	case body[0] == '<':
		return clip(xmlShape(body), maxShapeLen)
	}
	if media == "" {
		media = "no content type"
	}
	return fmt.Sprintf("%s, %d bytes", media, len(body))
}

func isHTML(media string, body []byte) bool {
	if media == "text/html" || media == "application/xhtml+xml" {
		return true
	}
	lower := strings.ToLower(string(body[:min(len(body), 64)]))
	return strings.HasPrefix(lower, "<!doctype html") || strings.HasPrefix(lower, "<html")
}

// shapeNode merges the JSON values seen at one place of a document.
type shapeNode struct {
	kinds   []string // in the order first seen: object, array, string, ...
	objects int      // how many objects were merged
	fields  map[string]*shapeNode
	seen    map[string]int // objects that had the field
	order   []string
	elem    *shapeNode // merged array elements
	empty   bool       // an empty array was seen
}

func jsonShape(v any) string {
	n := &shapeNode{}
	n.add(v)
	var b strings.Builder
	n.write(&b, 0)
	return b.String()
}

func (n *shapeNode) addKind(k string) {
	if !slices.Contains(n.kinds, k) {
		n.kinds = append(n.kinds, k)
	}
}

func (n *shapeNode) add(v any) {
	switch t := v.(type) {
	case map[string]any:
		n.addKind("object")
		n.objects++
		if n.fields == nil {
			n.fields, n.seen = map[string]*shapeNode{}, map[string]int{}
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := n.fields[k]
			if !ok {
				f = &shapeNode{}
				n.fields[k] = f
				n.order = append(n.order, k)
			}
			n.seen[k]++
			f.add(t[k])
		}
	case []any:
		n.addKind("array")
		if len(t) == 0 {
			n.empty = true
		}
		for _, e := range t {
			if n.elem == nil {
				n.elem = &shapeNode{}
			}
			n.elem.add(e)
		}
	case string:
		n.addKind("string")
	case json.Number:
		n.addKind("number")
	case bool:
		n.addKind("boolean")
	case nil:
		n.addKind("null")
	}
}

// write renders the node: {a: string, b?: number} for objects (b? when
// some of the merged objects lack b), [T] for arrays, A|B when the values
// differ in type.
func (n *shapeNode) write(b *strings.Builder, depth int) {
	for i, k := range n.kinds {
		if i > 0 {
			b.WriteString("|")
		}
		switch k {
		case "object":
			n.writeObject(b, depth)
		case "array":
			switch {
			case n.elem == nil:
				b.WriteString("[]")
			case depth >= maxShapeDepth:
				b.WriteString("[…]")
			default:
				b.WriteString("[")
				n.elem.write(b, depth+1)
				b.WriteString("]")
			}
		default:
			b.WriteString(k)
		}
	}
}

func (n *shapeNode) writeObject(b *strings.Builder, depth int) {
	if len(n.order) == 0 {
		b.WriteString("{}")
		return
	}
	if depth >= maxShapeDepth {
		b.WriteString("{…}")
		return
	}
	keys := slices.Clone(n.order)
	slices.Sort(keys)
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		if n.seen[k] < n.objects {
			b.WriteString("?")
		}
		b.WriteString(": ")
		n.fields[k].write(b, depth+1)
	}
	b.WriteString("}")
}

// xmlShape names the root element and its children: "XML <status> with
// <status-code>, <message>".
func xmlShape(body []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	var root string
	var children []string
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return fmt.Sprintf("text starting with '<' that is not XML (%d bytes)", len(body))
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				root = t.Name.Local
			case 2:
				if name := "<" + t.Name.Local + ">"; !slices.Contains(children, name) {
					children = append(children, name)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if root == "" {
		return "XML without elements"
	}
	if len(children) == 0 {
		return "XML <" + root + ">"
	}
	return "XML <" + root + "> with " + strings.Join(children, ", ")
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
