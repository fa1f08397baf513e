package upstream

import "testing"

// {user} and {claim:NAME} become path-escaped values; a missing claim or a
// value that could leave its folder is "not set up", never another path.
func TestExpandURL(t *testing.T) {
	cred := Credential{Username: "anna schmidt", Claims: map[string]string{"opendesk_objectid": "a1b2/..", "oid": "7f3c-ü", "dots": ".."}}
	got, err := ExpandURL("files", "https://c.example/dav/files/{claim:oid}/{user}/", cred)
	if err != nil || got != "https://c.example/dav/files/7f3c-%C3%BC/anna%20schmidt/" {
		t.Errorf("expanded %q, %v", got, err)
	}
	for _, tmpl := range []string{"https://c.example/{claim:opendesk_objectid}/", "https://c.example/{claim:missing}/", "https://c.example/{claim:dots}/"} {
		if got, err := ExpandURL("files", tmpl, cred); KindOf(err) != KindNotSetUp {
			t.Errorf("%s: %q, %v; want not_set_up", tmpl, got, err)
		}
	}
	if got := ProbeURL("https://c.example/{claim:oid}/{user}/"); got != "https://c.example/user/user/" {
		t.Errorf("ProbeURL = %q", got)
	}
}
