package transport

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxMessageRunes bounds a message taken from a body: it ends up in a
// Terraform diagnostic, not in a log archive.
const maxMessageRunes = 1000

// htmlInsteadOfJSON is the message of any answer that is an HTML page: a
// login page, Data Center's secure administrator session (WebSudo) page, or
// a proxy's error page.
const htmlInsteadOfJSON = "Confluence answered with an HTML page instead of JSON"

// decodeErrorBody extracts the code and message of a failed answer from the
// envelopes Confluence uses (contributing/confluence-api.md#cloud-error-bodies,
// contributing/confluence-api.md#data-center-error-bodies and
// contributing/confluence-api.md#websudo):
//
//	v1       {"statusCode":400,"data":{...},"message":"com.atlassian...BadRequestException: text"}
//	v2       {"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}
//	gateway  {"timestamp":...,"status":404,"error":"Not Found","message":"...","path":...}
//	DC XML   <status><status-code>404</status-code><message>text</message></status>
//	HTML     a login, WebSudo or proxy page
//
// Any other body yields no message. It is deliberately not shown: some
// proxies answer by echoing the request, credentials included.
func decodeErrorBody(contentType string, body []byte) (code, message string) {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\ufeff")))
	switch {
	case len(body) == 0:
		return "", ""
	case looksLikeHTML(contentType, body):
		return "", htmlMessage(body)
	case body[0] == '{':
		code, message = decodeJSONError(body)
	case body[0] == '<':
		message = decodeXMLError(body)
	}
	return tidyMessage(code), stripJavaClass(tidyMessage(message))
}

func decodeJSONError(body []byte) (code, message string) {
	var env map[string]json.RawMessage
	if json.Unmarshal(body, &env) != nil {
		return "", ""
	}
	code = jsonString(env["code"])
	itemsCode, itemsMessage := decodeErrorItems(env["errors"]) // v2
	if code == "" {
		code = itemsCode
	}
	message = firstNonEmpty(
		meaningful(jsonString(env["message"])), // v1, gateway, Data Center JSON
		itemsMessage,
		nestedMessage(env["error"]),     // gateway ("Not Found") or JSON-RPC ({"message":...})
		decodeV1DataErrors(env["data"]), // v1 details when the top message is empty
	)
	return code, message
}

// decodeErrorItems reads an array of error items: v2 objects
// {code,title,detail}, v1 objects {message:{translation,key}}, or strings.
func decodeErrorItems(raw json.RawMessage) (code, message string) {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return "", ""
	}
	var messages []string
	for _, item := range items {
		if s := jsonString(item); s != "" {
			messages = appendUnique(messages, s)
			continue
		}
		var fields map[string]json.RawMessage
		if json.Unmarshal(item, &fields) != nil {
			continue
		}
		if code == "" {
			code = jsonString(fields["code"])
		}
		m := firstNonEmpty(jsonString(fields["detail"]), nestedMessage(fields["message"]), jsonString(fields["title"]))
		if m != "" {
			messages = appendUnique(messages, m)
		}
	}
	return code, strings.Join(messages, "; ")
}

func decodeV1DataErrors(raw json.RawMessage) string {
	var data map[string]json.RawMessage
	if json.Unmarshal(raw, &data) != nil {
		return ""
	}
	_, message := decodeErrorItems(data["errors"])
	return message
}

// nestedMessage reads a string, or an object's message, translation or key.
func nestedMessage(raw json.RawMessage) string {
	if s := jsonString(raw); s != "" {
		return s
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	return firstNonEmpty(jsonString(fields["message"]), jsonString(fields["translation"]), jsonString(fields["key"]))
}

func decodeXMLError(body []byte) string {
	var status struct {
		XMLName xml.Name `xml:"status"`
		Message string   `xml:"message"`
	}
	if xml.Unmarshal(body, &status) != nil {
		return ""
	}
	return status.Message
}

// jsonString returns raw's value if it is a JSON string, else "".
func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// meaningful drops Spring Boot's placeholder for "no message".
func meaningful(s string) string {
	if s == "No message available" {
		return ""
	}
	return s
}

func looksLikeHTML(contentType string, body []byte) bool {
	if mediaType, _, err := mime.ParseMediaType(contentType); err == nil &&
		(mediaType == "text/html" || mediaType == "application/xhtml+xml") {
		return true
	}
	return hasPrefixFold(body, "<!doctype html") || hasPrefixFold(body, "<html")
}

func htmlMessage(body []byte) string {
	if title := HTMLTitle(body); title != "" {
		return htmlInsteadOfJSON + ` (page title "` + title + `")`
	}
	return htmlInsteadOfJSON
}

// HTMLTitle returns the text of the page's <title>, if any, which usually
// says which page it is ("Log in - Confluence"), tidied to one line; "" when
// there is none or it is longer than 120 characters. The probe names HTML
// answers by it too, so that its reports and the provider's errors agree.
func HTMLTitle(body []byte) string {
	lower := bytes.ToLower(body) // ASCII tags: byte offsets stay valid
	open := bytes.Index(lower, []byte("<title"))
	if open < 0 {
		return ""
	}
	start := bytes.IndexByte(lower[open:], '>')
	if start < 0 {
		return ""
	}
	start += open + 1
	end := bytes.Index(lower[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	title := tidyMessage(html.UnescapeString(string(body[start : start+end])))
	if utf8.RuneCountInString(title) > 120 {
		return ""
	}
	return title
}

// javaClassPrefix matches "com.atlassian.confluence.api.service.exceptions.BadRequestException: ".
var javaClassPrefix = regexp.MustCompile(`^(?:[a-z_][a-z0-9_]*\.)+[A-Z][A-Za-z0-9_$]*:\s*`)

// stripJavaClass removes leading Java exception class names, which say
// nothing to a Terraform user; a message that is nothing but a class name is
// kept as is.
func stripJavaClass(s string) string {
	for {
		rest := javaClassPrefix.ReplaceAllString(s, "")
		if rest == s || rest == "" {
			return s
		}
		s = rest
	}
}

// tidyMessage makes server text fit for a one-line diagnostic: valid UTF-8,
// single spaces, bounded length.
func tidyMessage(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if utf8.RuneCountInString(s) <= maxMessageRunes {
		return s
	}
	return string([]rune(s)[:maxMessageRunes]) + "…"
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func appendUnique(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}
