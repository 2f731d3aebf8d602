package i18n

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// UserMessage is books.Explain said in the window's language.
func UserMessage(err error) string { return SayMessage(books.Explain(err)) }

// SayMessage says a message of the core through the message files, whose
// keys are the core's English sentences. A sentence they do not know, such
// as one with a shop's own words in it, is said in English.
func SayMessage(m books.Message) string {
	if len(m.Parts) > 0 {
		return strings.Join(sayParts(m), " ")
	}
	switch {
	case !knownKeys[m.Key]:
		return m.String()
	case m.Plural != "":
		return lang.N(m.Key, m.Count, m.Args)
	case m.Args != nil:
		return lang.L(m.Key, m.Args)
	}
	return lang.L(m.Key)
}

func sayParts(m books.Message) []string {
	out := make([]string, len(m.Parts))
	for i, p := range m.Parts {
		out[i] = SayMessage(p)
	}
	return out
}

// InputProblems lists what is wrong with a form, one sentence each.
func InputProblems(err error) []string {
	m := books.Explain(err)
	if len(m.Parts) == 0 {
		return []string{SayMessage(m)}
	}
	return sayParts(m)
}

// ProblemText says a "Test connection" finding in the window's language.
func ProblemText(p woo.Problem) string { return T(books.ProblemSentence(p)) }

// Sentence capitalizes and ends a message from the core, which writes its
// input problems in lower case to fit into a longer error.
func Sentence(s string) string { return books.Sentence(s) }
