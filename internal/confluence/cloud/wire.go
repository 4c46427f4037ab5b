package cloud

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// pageLimit is the largest page the v2 lists accept
// (contributing/confluence-api.md#reading-grants-v2); asking for it keeps a space's
// grants to a request or two.
const pageLimit = 250

// jsonID is an id that the v2 API writes as a string and the v1 API as an
// integer (contributing/confluence-api.md#v1-and-v2-permission-ids); both decode
// to the same decimal string.
type jsonID string

func (id *jsonID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*id = jsonID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s is neither a string nor a number", b)
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
		return fmt.Errorf("id %s is not an integer", b)
	}
	*id = jsonID(n.String())
	return nil
}
