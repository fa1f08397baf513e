package exchange

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// RFC 8693 names.
const (
	grantType       = "urn:ietf:params:oauth:grant-type:token-exchange"
	accessTokenType = "urn:ietf:params:oauth:token-type:access_token" // #nosec G101 -- a token type name, not a credential
)

// defaultLifetime is assumed when the provider sends no expires_in.
const defaultLifetime = 5 * time.Minute

// Refused is the provider's refusal of an exchange: its OAuth error and
// description (RFC 6749 section 5.2), never a token.
type Refused struct {
	Client, Audience  string
	Status            int
	Code, Description string
}

func (r *Refused) Error() string {
	return fmt.Sprintf("exchange: audience %s refused: HTTP %d %s: %s", r.Audience, r.Status, r.Code, r.Description)
}

// Reason says what an admin must change, for the source's block.
func (r *Refused) Reason() string {
	what := r.Code
	if r.Description != "" {
		what += " (" + r.Description + ")"
	}
	return fmt.Sprintf("The sign-in provider refused token exchange for audience %s: %s. "+
		"Allow client %s to exchange tokens for %s at the provider (Keycloak: the client's standard token exchange "+
		"and the audience %s; see docs/opendesk.md).", r.Audience, what, r.Client, r.Audience, r.Audience)
}

// request asks the token endpoint for a token of audience, authenticating
// as Pforte's client with HTTP Basic (client_secret_basic).
func (x *Exchanger) request(ctx context.Context, userToken, audience string) (string, time.Duration, error) {
	endpoint, err := x.o.Endpoint(ctx)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	form := url.Values{
		"grant_type":           {grantType},
		"subject_token":        {userToken},
		"subject_token_type":   {accessTokenType},
		"requested_token_type": {accessTokenType},
		"audience":             {audience},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	req.SetBasicAuth(url.QueryEscape(x.o.ClientID), url.QueryEscape(x.o.ClientSecret))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := x.o.HTTP.Do(req) // #nosec G704 -- the tenant's configured provider
	if err != nil {
		// The url.Error names the endpoint only; the form is in the body.
		return "", 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	decodeErr := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body)
	switch {
	case res.StatusCode >= 400 && res.StatusCode < 500 && body.Error != "":
		return "", 0, &Refused{Client: x.o.ClientID, Audience: audience, Status: res.StatusCode,
			Code: body.Error, Description: body.Description}
	case res.StatusCode != http.StatusOK || decodeErr != nil || body.AccessToken == "":
		return "", 0, fmt.Errorf("%w: token endpoint answered HTTP %d", ErrUnavailable, res.StatusCode)
	}
	life := time.Duration(body.ExpiresIn) * time.Second
	if life <= 0 {
		life = defaultLifetime
	}
	return body.AccessToken, life, nil
}
