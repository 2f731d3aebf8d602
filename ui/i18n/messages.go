package i18n

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// UserMessage is books.UserMessage in the window's language: the core's
// sentences are English keys of the message files. Errors whose sentence
// the core builds from parts (an input problem list, a catalog entry in
// use) are said here from their typed fields instead.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	var ie *books.InputError
	var iu *store.InUseError
	switch {
	case errors.As(err, &ie):
		lines := make([]string, len(ie.Problems))
		for i, p := range ie.Problems {
			lines[i] = Sentence(T(Sentence(p)))
		}
		return strings.Join(lines, " ")
	case errors.As(err, &iu):
		return InUseMessage(iu)
	case errors.Is(err, store.ErrDuplicate):
		return lang.L("That code or name is already used. Choose another one.")
	}
	return T(books.UserMessage(err))
}

// InputProblems lists what is wrong with a form, one sentence each.
func InputProblems(err error) []string {
	var ie *books.InputError
	if !errors.As(err, &ie) {
		return []string{UserMessage(err)}
	}
	out := make([]string, len(ie.Problems))
	for i, p := range ie.Problems {
		out[i] = Sentence(T(Sentence(p)))
	}
	return out
}

// InUseMessage says which shops still book into a warehouse or cost center.
func InUseMessage(e *store.InUseError) string {
	quoted := make([]string, len(e.Shops))
	for i, s := range e.Shops {
		quoted[i] = "“" + s + "”"
	}
	// What is `warehouse "MAIN"` or `cost center "WEB"`.
	code := func(prefix string) string {
		c := strings.TrimPrefix(e.What, prefix)
		if u, err := strconv.Unquote(c); err == nil {
			return u
		}
		return c
	}
	data := map[string]any{"Shops": strings.Join(quoted, ", ")}
	switch {
	case strings.HasPrefix(e.What, "warehouse "):
		data["What"] = code("warehouse ")
		return lang.N("Warehouse {{.What}} cannot be removed: shop {{.Shops}} books into it. Choose another warehouse for it first.", len(e.Shops), data)
	case strings.HasPrefix(e.What, "cost center "):
		data["What"] = code("cost center ")
		return lang.N("Cost center {{.What}} cannot be removed: shop {{.Shops}} books into it. Choose another cost center for it first.", len(e.Shops), data)
	}
	return e.Error()
}

// ProblemText says a "Test connection" finding in the window's language.
func ProblemText(p woo.Problem) string { return T(books.ProblemSentence(p)) }

// Sentence capitalizes and ends a message from the core, which writes its
// input problems in lower case to fit into a longer error.
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
