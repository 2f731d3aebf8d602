package secrets

import (
	"encoding/json"
	"log/slog"
)

// LogValue keeps log/slog from printing the secret: without it, slog's
// JSON handler marshals the struct's fields, Secret included.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes what String shows, so that json.Marshal of anything
// holding Credentials (an error report, a debug dump) never writes the
// secret. Credentials are stored field by field in the keyring, never as
// JSON, so there is no UnmarshalJSON to match.
func (c Credentials) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }
