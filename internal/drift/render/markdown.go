package render

import (
	"io"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
)

// MarkdownMarker is the first line of every Markdown report, so that a
// workflow can find the issue or comment it wrote before and update it
// instead of adding another.
const MarkdownMarker = "<!-- confluence-drift report -->"

// Markdown writes the report for a pull request comment or an issue
// (GitHub and GitLab flavoured Markdown).
func Markdown(w io.Writer, r *drift.Report) error {
	var out strings.Builder
	out.WriteString(MarkdownMarker + "\n")
	out.WriteString("### " + title(r) + "\n\n")
	out.WriteString(summary(r) + "\n")

	if spaces := r.Spaces(); len(spaces) > 0 {
		out.WriteString("\n| Space | Principal | Change | Permission | Action on apply | Resource |\n")
		out.WriteString("| --- | --- | --- | --- | --- | --- |\n")
		for _, s := range spaces {
			space := "**" + escape(s.Key) + "**"
			for _, p := range s.Principals {
				principal := markdownPrincipal(p)
				for _, c := range p.Changes {
					change, permission, action, _ := cells(c)
					if c.Kind != drift.RoleChanged {
						permission = code(permission)
					} else {
						permission = escape(permission)
					}
					if c.Action == drift.UndoDrift || c.Action == drift.RecordDrift {
						action = "**" + escape(action) + "**"
					} else {
						action = escape(action)
					}
					var addrs []string
					for _, a := range c.Resources {
						addrs = append(addrs, code(a))
					}
					resources := strings.Join(addrs, "<br>")
					out.WriteString("| " + strings.Join([]string{space, principal, change, permission, action, resources}, " | ") + " |\n")
					space, principal = "", ""
				}
			}
		}
	}
	if len(r.Notes) > 0 {
		out.WriteString("\nNotes:\n\n")
		for _, n := range r.Notes {
			text := escape(n.Text)
			if n.Address != "" {
				text = code(n.Address) + " " + text
			}
			out.WriteString("- " + text + "\n")
		}
	}
	out.WriteString("\n<sub>" + escape(footer(r)) + "</sub>\n")
	_, err := io.WriteString(w, out.String())
	return err
}

func markdownPrincipal(p drift.PrincipalChanges) string {
	key := code(p.Principal.Key())
	switch {
	case p.Name == "":
		return key
	case p.Principal.Type == "anonymous":
		return escape(p.Name)
	}
	return escape(p.Name) + " " + key
}

// escape keeps text that comes from the plan or from Confluence (names,
// keys) from being read as Markdown or HTML, or from breaking the table.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~':
			b.WriteRune('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// code writes s as a code span, which Markdown does not interpret; only
// pipes (which end a table cell even there) and line breaks need care.
func code(s string) string {
	s = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
