package books

import (
	"context"
	"errors"
	"io/fs"
	"runtime"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// Message is a sentence for the user, kept apart from the words that fill
// it so that each front end says it in its own language: the command line
// in English (String), the window through its message files, whose keys
// are these English sentences.
type Message struct {
	// Key is the English sentence; with Args it is a text/template over
	// them ("Shop {{.Shops}} books into it."). A sentence with no Args is
	// said as it is, even if it holds braces.
	Key string
	// Plural is the English sentence for a Count other than one; the
	// message files then hold plural forms under Key.
	Plural string
	Count  int
	Args   map[string]any
	// Parts, when set, are several sentences said one after another (what
	// is wrong with a form); Key is then empty.
	Parts []Message
}

// String says the message in English.
func (m Message) String() string {
	if len(m.Parts) > 0 {
		s := make([]string, len(m.Parts))
		for i, p := range m.Parts {
			s[i] = p.String()
		}
		return strings.Join(s, " ")
	}
	text := m.Key
	if m.Plural != "" && m.Count != 1 {
		text = m.Plural
	}
	if m.Args == nil {
		return text
	}
	t, err := template.New("").Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := t.Execute(&b, m.Args); err != nil {
		return text
	}
	return b.String()
}

// UserMessage turns an error into a sentence a bookkeeper can act on, in
// English. The technical detail stays available through err.Error() for a
// "details" view.
func UserMessage(err error) string { return Explain(err).String() }

// Explain is the one place that turns an error into what the user is told.
// An error it does not know is said by its own text.
func Explain(err error) Message {
	if err == nil {
		return Message{}
	}
	var (
		we  *woo.Error
		ue  *secrets.UnavailableError
		ie  *InputError
		ce  *ConnectionError
		ro  *ReadOnlyKeyError
		iu  *store.InUseError
		dup *store.DuplicateError
		nf  *store.NotFoundError
		pin *woo.PinMismatchError
		ns  *store.NewerSchemaError
		dmg *store.DamagedError
		pe  *fs.PathError
		cl  *store.ClosingError
		nw  *nra.NotWritableError
		nse *nra.SettingsError
	)
	switch {
	case errors.As(err, &nw):
		parts := []Message{{Key: "The NRA audit file of {{.Shop}} cannot be made:", Args: map[string]any{"Shop": quoted([]string{nw.Shop})}}}
		return Message{Parts: append(parts, nraMessages(nw.Problems)...)}
	case errors.As(err, &nse):
		return Message{Parts: nraMessages(nse.Problems)}
	case errors.As(err, &cl):
		return closingMessage(cl)
	case errors.As(err, &ro):
		return Message{Key: readOnlyMessage}
	case errors.As(err, &ce):
		return Message{Key: connectionMessage(ce)}
	case errors.As(err, &ie):
		parts := make([]Message, len(ie.Problems))
		for i, p := range ie.Problems {
			parts[i] = Message{Key: Sentence(p)}
		}
		return Message{Parts: parts}
	case errors.As(err, &ue):
		return Message{Key: keyringMessage()}
	case errors.Is(err, secrets.ErrNotFound):
		return Message{Key: "The shop's API keys are missing from the keyring. Edit the shop and enter them again."}
	case errors.Is(err, store.ErrAlreadyRunning):
		return Message{Key: store.ErrAlreadyRunning.Error()}
	case errors.As(err, &iu):
		return inUseMessage(iu)
	case errors.As(err, &dup):
		return duplicateMessage(dup)
	case errors.As(err, &nf):
		return notFoundMessage(nf)
	case errors.As(err, &pin):
		return Message{Key: "The shop's security certificate has changed since you trusted it. Do not connect unless the shop's host confirms that it renewed the certificate; then remove the shop and add it again to trust the new one."}
	case errors.As(err, &we):
		return Message{Key: wooMessage(we)}
	case errors.Is(err, store.ErrNotDatabase):
		return Message{Key: "This file is not a ShopLedger database. Choose a backup that ShopLedger made (shopledger-….db)."}
	case errors.As(err, &ns):
		return Message{Key: "These books were written by a newer ShopLedger. Update ShopLedger, then open them again."}
	case errors.As(err, &dmg):
		return Message{Key: "This database is damaged and cannot be used. Choose another backup."}
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		return Message{Key: "There is no file “{{.Path}}”.", Args: map[string]any{"Path": pe.Path}}
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		return Message{Key: "ShopLedger may not use the file “{{.Path}}”. Check its permissions.", Args: map[string]any{"Path": pe.Path}}
	case errors.Is(err, context.DeadlineExceeded):
		return Message{Key: "This took too long and was stopped. Try again."}
	}
	return Message{Key: err.Error()}
}

// NeedsUser tells whether a failed sync waits for the bookkeeper rather
// than for the next try: the shop refused the keys, or the keyring lost
// them. The window notifies such failures once.
func NeedsUser(err error) bool {
	var we *woo.Error
	var ce *ConnectionError
	switch {
	case errors.As(err, &we):
		return we.Kind == woo.KindAuth
	case errors.As(err, &ce) && ce.Diagnosis != nil && len(ce.Diagnosis.Problems) > 0:
		c := ce.Diagnosis.Problems[0].Code
		return c == woo.ProblemBadKey || c == woo.ProblemBadSecret
	}
	return errors.Is(err, secrets.ErrNotFound)
}

// Sentence capitalizes and ends a phrase the core writes in lower case to
// fit into a longer error, such as an input problem.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// keyringMessage says what to do when no keyring answers, on this system.
func keyringMessage() string {
	switch runtime.GOOS {
	case "darwin":
		return "The system keychain is not available. Unlock the login keychain in Keychain Access."
	case "windows":
		return "Windows Credential Manager did not answer. Sign in to Windows with your own account."
	case "linux", "freebsd", "openbsd", "netbsd":
		return "The system keyring is not available. Install and unlock a Secret Service keyring (GNOME Keyring or KWallet), e.g. with `sudo apt install gnome-keyring`, then log in again."
	}
	return "This system has no keyring ShopLedger can keep the shop's API keys in."
}

// quoted lists names in typographic quotes: “Alpha”, “Beta”.
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = "“" + s + "”"
	}
	return strings.Join(q, ", ")
}

func inUseMessage(e *store.InUseError) Message {
	args := map[string]any{"What": e.Code, "Shops": quoted(e.Shops)}
	switch e.Kind {
	case store.KindWarehouse:
		return Message{
			Key:    "Warehouse {{.What}} cannot be removed: shop {{.Shops}} books into it. Choose another warehouse for it first.",
			Plural: "Warehouse {{.What}} cannot be removed: shops {{.Shops}} book into it. Choose another warehouse for them first.",
			Count:  len(e.Shops), Args: args,
		}
	case store.KindCostCenter:
		return Message{
			Key:    "Cost center {{.What}} cannot be removed: shop {{.Shops}} books into it. Choose another cost center for it first.",
			Plural: "Cost center {{.What}} cannot be removed: shops {{.Shops}} book into it. Choose another cost center for them first.",
			Count:  len(e.Shops), Args: args,
		}
	}
	return Message{Key: e.Error()}
}

func duplicateMessage(e *store.DuplicateError) Message {
	args := map[string]any{"Value": e.Value, "Other": e.Other}
	switch {
	case e.URL:
		return Message{Key: "Shop “{{.Other}}” already has this address. A shop is added only once, or its orders would be counted twice.", Args: args}
	case e.Kind == store.KindShop:
		return Message{Key: "There is already a shop named “{{.Other}}”. Choose another name.", Args: args}
	case e.Kind == store.KindWarehouse:
		return Message{Key: "Warehouse “{{.Other}}” already has the code {{.Value}}. Choose another code.", Args: args}
	case e.Kind == store.KindCostCenter:
		return Message{Key: "Cost center “{{.Other}}” already has the code {{.Value}}. Choose another code.", Args: args}
	}
	return Message{Key: "That code or name is already used. Choose another one."}
}

func notFoundMessage(e *store.NotFoundError) Message {
	args := map[string]any{"Name": e.Name}
	switch {
	case e.Kind == store.KindShop && e.Name != "":
		return Message{Key: "There is no shop named “{{.Name}}”.", Args: args}
	case e.Kind == store.KindWarehouse && e.Name != "":
		return Message{Key: "There is no warehouse with the code {{.Name}}.", Args: args}
	case e.Kind == store.KindCostCenter && e.Name != "":
		return Message{Key: "There is no cost center with the code {{.Name}}.", Args: args}
	case e.Kind == store.KindShop:
		return Message{Key: "This shop is not in the books any more; it may have been removed meanwhile."}
	case e.Kind == store.KindWarehouse:
		return Message{Key: "This warehouse is not in the books any more; it may have been removed meanwhile."}
	case e.Kind == store.KindCostCenter:
		return Message{Key: "This cost center is not in the books any more; it may have been removed meanwhile."}
	}
	return Message{Key: e.Error()}
}

func wooMessage(e *woo.Error) string {
	switch e.Kind {
	case woo.KindBadConfig:
		if e.Message != "" {
			return "Check the shop's address: " + e.Message + "."
		}
		return "Check the shop's address."
	case woo.KindAuth:
		return "The shop refused the API keys. Check the consumer key and secret in WooCommerce → Settings → Advanced → REST API."
	case woo.KindNotFound:
		return "The shop's REST API was not found at this address. Check the URL and that WordPress permalinks are not set to \"Plain\"."
	case woo.KindNetwork:
		return "The shop could not be reached. Check the address and your internet connection; ShopLedger will try again."
	case woo.KindTimeout:
		return "The shop took too long to answer; ShopLedger will try again."
	case woo.KindTLS:
		return "The shop's security certificate was not accepted. Check the address, or ask the shop's host to renew the certificate."
	case woo.KindServer:
		return "The shop had an internal error; ShopLedger will try again."
	case woo.KindRateLimited:
		return "The shop asked ShopLedger to slow down; it will try again shortly."
	case woo.KindBadPayload:
		if e.Message != "" {
			return "The shop's answer could not be read: " + e.Message + "."
		}
		return "The shop's answer could not be read."
	}
	return e.Error()
}

// nraMessages are the audit file's problems as messages: their keys are
// the English sentences of core/nra.
func nraMessages(ps []nra.Problem) []Message {
	out := make([]Message, len(ps))
	for i, p := range ps {
		out[i] = Message{Key: p.Key, Args: p.Args}
	}
	return out
}

// closingMessage says why the books' closing cannot move as asked.
func closingMessage(e *store.ClosingError) Message {
	args := map[string]any{"Through": e.Through.String()}
	switch {
	case e.Action == sales.ActionReopen && e.Through == 0:
		return Message{Key: "The books are not closed: there is nothing to reopen."}
	case e.Action == sales.ActionReopen:
		return Message{Key: "The books are closed only through {{.Through}}. To close later days, close them instead.", Args: args}
	}
	return Message{Key: "The books are already closed through {{.Through}}. To close through an earlier day, reopen them to that day first.", Args: args}
}
