package route

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// MaxBodyBytes bounds request bodies; real ones are a few hundred bytes.
const MaxBodyBytes = 1 << 20

// WriteJSON writes a JSON body. Links keep their & unescaped, as
// Confluence writes them.
func WriteJSON(w http.ResponseWriter, status int, body any) {
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
