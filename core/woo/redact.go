package woo

import (
	"errors"
	"net/url"
)

// credentialParams are the query parameters that carry credentials (query
// mode sends the key and the secret, OAuth the key) or are made from them.
var credentialParams = []string{"consumer_key", "consumer_secret", "oauth_consumer_key", "oauth_signature"}

// redactURLError hides the credentials in the URL of a *url.Error, which is
// what http.Client.Do fails with and which prints the request's URL, query
// string and all: with query-string or OAuth authentication that URL holds
// the consumer key, and in query mode the secret too. Errors end up on
// screen, in the sync state in the database and in logs, where
// docs/ARCHITECTURE.md allows no credentials. err is returned, changed in
// place.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL)
	}
	return err
}

// redactURL replaces the values of credentialParams in raw's query string
// with "REDACTED"; a URL it cannot parse is left out altogether.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(the request's URL)"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		u.RawQuery = ""
		return u.String() + "?(query left out)"
	}
	hit := false
	for _, p := range credentialParams {
		if q.Has(p) {
			q.Set(p, "REDACTED")
			hit = true
		}
	}
	if hit {
		u.RawQuery = q.Encode()
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	return u.String()
}
