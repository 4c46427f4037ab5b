package confluencesim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// writeJSON writes a JSON body. Links keep their & unescaped, as
// Confluence writes them.
func writeJSON(w http.ResponseWriter, status int, body any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		panic(fmt.Sprintf("confluencesim: encoding a response: %v", err)) // a bug in a wire type
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
