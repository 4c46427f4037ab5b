package cloud

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// pageLimit is the largest page the v2 lists accept (§2.1, §3.1); asking for
// it keeps a space's grants to a request or two.
const pageLimit = 250

// jsonID is an id that the v2 API writes as a string and the v1 API as an
// integer (§1.4); both decode to the same decimal string.
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
