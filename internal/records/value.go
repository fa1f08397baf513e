package records

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Value is a stored value in an export: a JSON string when it is UTF-8
// text (most records are JSON or times), else {"b64": "..."} (sealed app
// passwords and keys), so a backup stays readable where it can be.
type Value []byte

// MarshalJSON implements json.Marshaler.
func (v Value) MarshalJSON() ([]byte, error) {
	if utf8.Valid(v) {
		return json.Marshal(string(v))
	}
	return json.Marshal(struct {
		B64 []byte `json:"b64"`
	}{v})
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *Value) UnmarshalJSON(raw []byte) error {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		*v = Value(s)
		return nil
	}
	var b struct {
		B64 []byte `json:"b64"`
	}
	if err := json.Unmarshal(raw, &b); err != nil || b.B64 == nil {
		return fmt.Errorf("records: value must be a string or {\"b64\": ...}")
	}
	*v = b.B64
	return nil
}
