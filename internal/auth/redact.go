package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"

	"golang.org/x/oauth2"
)

// redactErr keeps what helps an operator (status, OAuth error code) and
// drops response bodies, which are not ours to log.
func redactErr(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		return fmt.Sprintf("status %d, error %q", status, re.ErrorCode)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Sprintf("%s %s: %T", ue.Op, ue.URL, ue.Err)
	}
	// goth's own errors carry no response data.
	return err.Error()
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
