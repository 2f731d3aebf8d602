package ui

import (
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// usedKey is a message key the sources pass to lang.L, lang.N or lang.X.
type usedKey struct {
	key    string
	plural bool
	at     string
}

// usedKeys parses the sources of ui and its packages (not their tests)
// and returns every key passed to lang as a literal; a call with anything
// else than a literal is reported, since no file could translate it
// (i18n.T and i18n.SayMessage are the exceptions: they pass on sentences
// of the core, checked below).
func usedKeys(t *testing.T) []usedKey {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var keys []usedKey
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			fd, ok := n.(*ast.FuncDecl)
			if ok && (fd.Name.Name == "T" || fd.Name.Name == "SayMessage") && filepath.Dir(name) == "i18n" {
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" {
				return true
			}
			switch sel.Sel.Name {
			case "L", "N", "X":
			default:
				return true
			}
			at := fset.Position(call.Pos()).String()
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: lang.%s with a key that is not a literal", at, sel.Sel.Name)
				return true
			}
			key, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, usedKey{key: key, plural: sel.Sel.Name == "N", at: at})
			return true
		})
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys; is the scan broken?", len(keys))
	}
	return keys
}

// messages reads a translation file as key → raw value.
func messages(t *testing.T, code string) map[string]json.RawMessage {
	t.Helper()
	data, err := os.ReadFile("translations/shopledger." + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

var templateField = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// fields lists a message's template fields, sorted and unique.
func fields(s string) string {
	seen := map[string]bool{}
	var out []string
	for _, m := range templateField.FindAllStringSubmatch(s, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

// TestTranslationFilesCoverEveryKey checks that every key the sources use
// is in both message files, as a plural where lang.N asks for one; that
// the files list the same keys; and that each translation uses the same
// template fields as its key.
func TestTranslationFilesCoverEveryKey(t *testing.T) {
	en, bg := messages(t, "en"), messages(t, "bg")
	for _, k := range usedKeys(t) {
		for code, file := range map[string]map[string]json.RawMessage{"en": en, "bg": bg} {
			raw, ok := file[k.key]
			if !ok {
				t.Errorf("%s: %q is missing from shopledger.%s.json", k.at, k.key, code)
				continue
			}
			var forms map[string]string
			isPlural := json.Unmarshal(raw, &forms) == nil
			if k.plural != isPlural {
				t.Errorf("%s: %q in %s.json: plural %v, but lang.%s is used", k.at, k.key, code, isPlural, map[bool]string{true: "N", false: "L"}[k.plural])
			}
			if isPlural && (forms["one"] == "" || forms["other"] == "") {
				t.Errorf("%q in %s.json lacks the one or the other form", k.key, code)
			}
		}
	}
	for key := range en {
		if _, ok := bg[key]; !ok {
			t.Errorf("%q is in en.json but not in bg.json", key)
		}
	}
	for key, raw := range bg {
		if _, ok := en[key]; !ok {
			t.Errorf("%q is in bg.json but not in en.json", key)
		}
		var texts []string
		var s string
		var forms map[string]string
		if json.Unmarshal(raw, &s) == nil {
			texts = []string{s}
		} else if json.Unmarshal(raw, &forms) == nil {
			for _, v := range forms {
				texts = append(texts, v)
			}
		}
		for _, text := range texts {
			if fields(text) != fields(key) {
				t.Errorf("bg %q uses fields {%s}, its key {%s}", text, fields(text), fields(key))
			}
			if strings.TrimSpace(text) == "" {
				t.Errorf("bg %q is empty", key)
			}
		}
	}
}

// TestCoreSentencesTranslated checks that what the core says to the user
// (books.ProblemSentence, books.UserMessage, the input problems) has a
// Bulgarian translation, and that the window uses it.
func TestCoreSentencesTranslated(t *testing.T) {
	bg := messages(t, "bg")
	var sentences []string
	for _, c := range []woo.ProblemCode{
		woo.ProblemUnreachable, woo.ProblemTLS, woo.ProblemNotWooCommerce, woo.ProblemPermalinks,
		woo.ProblemLegacyDisabled, woo.ProblemBadKey, woo.ProblemBadSecret, woo.ProblemReadOnly,
		woo.ProblemClock, woo.ProblemOldVersion, woo.ProblemAuthStripped, woo.ProblemUnexpectedReply,
	} {
		sentences = append(sentences, books.ProblemSentence(woo.Problem{Code: c}))
	}
	for k := woo.KindNetwork; k <= woo.KindBadConfig; k++ {
		sentences = append(sentences, books.UserMessage(&woo.Error{Kind: k}))
	}
	sentences = append(sentences,
		books.UserMessage(secrets.ErrNotFound),
		books.UserMessage(store.ErrAlreadyRunning),
		books.UserMessage(&books.ConnectionError{Diagnosis: &woo.Diagnosis{}}),
	)
	for _, err := range []error{
		&store.InUseError{Kind: store.KindWarehouse, Code: "W", Shops: []string{"A"}},
		&store.InUseError{Kind: store.KindCostCenter, Code: "C", Shops: []string{"A"}},
		&store.DuplicateError{Kind: store.KindShop}, &store.DuplicateError{Kind: store.KindShop, URL: true},
		&store.DuplicateError{Kind: store.KindWarehouse},
		&store.DuplicateError{Kind: store.KindCostCenter},
		&store.NotFoundError{Kind: store.KindShop, Name: "S"}, &store.NotFoundError{Kind: store.KindWarehouse, Name: "W"},
		&store.NotFoundError{Kind: store.KindCostCenter, Name: "C"}, &store.NotFoundError{Kind: store.KindShop, ID: 1},
		&store.NotFoundError{Kind: store.KindWarehouse, ID: 1}, &store.NotFoundError{Kind: store.KindCostCenter, ID: 1},
		&secrets.UnavailableError{Err: errors.New("no D-Bus")},
		&woo.Error{Kind: woo.KindTLS, Err: &woo.PinMismatchError{}},
		context.DeadlineExceeded,
		store.ErrNotDatabase, &store.NewerSchemaError{}, &store.DamagedError{},
		&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist},
		&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission},
	} {
		m := books.Explain(err)
		sentences = append(sentences, m.Key)
		var forms map[string]string
		if m.Plural != "" && json.Unmarshal(bg[m.Key], &forms) != nil {
			t.Errorf("bg.json has no plural forms for %q", m.Key)
		}
	}
	for _, raw := range []string{"", "ftp://shop.example", "https://"} {
		_, err := woo.ParseShopURL(raw)
		sentences = append(sentences, books.UserMessage(err))
	}
	empty := books.NewShop{}
	var ie *books.InputError
	if !errors.As(empty.Validate(), &ie) {
		t.Fatal("an empty shop should not validate")
	}
	for _, p := range ie.Problems {
		sentences = append(sentences, i18n.Sentence(p))
	}
	for _, s := range sentences {
		if _, ok := bg[s]; !ok {
			t.Errorf("bg.json lacks the core's sentence %q", s)
		}
	}

	test.NewTempApp(t)
	setLanguage("bg")
	t.Cleanup(func() { setLanguage("") })
	if got := i18n.ProblemText(woo.Problem{Code: woo.ProblemBadSecret}); !strings.HasPrefix(got, "Потребителската тайна") {
		t.Errorf("bad-secret in Bulgarian reads %q", got)
	}
	if got := i18n.UserMessage(&books.InputError{Problems: []string{"the shop needs a name", "choose a warehouse"}}); got != "Магазинът трябва да има име. Изберете склад." {
		t.Errorf("input problems in Bulgarian read %q", got)
	}
	iu := &store.InUseError{Kind: store.KindWarehouse, Code: "MAIN", Shops: []string{"A", "B"}}
	if got := i18n.UserMessage(iu); got != "Склад MAIN не може да бъде премахнат: магазините “A”, “B” отнасят поръчките си към него. Първо изберете друг склад за тях." {
		t.Errorf("in use in Bulgarian reads %q", got)
	}
	if got := i18n.UserMessage(&store.DuplicateError{Kind: store.KindShop, Value: "alpha", Other: "Alpha"}); got != "Вече има магазин с име „Alpha“. Изберете друго име." {
		t.Errorf("duplicate name in Bulgarian reads %q", got)
	}
	// A sentence the files do not know stays as the core said it.
	if got := i18n.T("sync Demo: something new"); got != "sync Demo: something new" {
		t.Errorf("tr of an unknown sentence = %q", got)
	}
}

// TestFormats checks dates and amounts in both languages.
func TestFormats(t *testing.T) {
	test.NewTempApp(t)
	t.Cleanup(func() { setLanguage("") })
	at := time.Date(2026, 11, 27, 12, 2, 0, 0, time.UTC) // 14:02 in the tests' zone
	for _, c := range []struct {
		lang                 string
		dateTime, date       string
		big, small, neg, odd string
		qty, frac            string
		bgn                  string
	}{
		{"en", "2026-11-27 14:02", "2026-11-27", "1,234,567.50 USD", "75.60 USD", "-1,234.56 EUR", "7.305 USD", "2", "1.5", "1,234.56 BGN"},
		{"bg", "27.11.2026 14:02", "27.11.2026", "1 234 567,50 USD", "75,60 USD", "-1 234,56 EUR", "7,305 USD", "2", "1,5", "1 234,56 лв."},
	} {
		setLanguage(c.lang)
		for _, x := range []struct{ got, want string }{
			{i18n.DateTime(at), c.dateTime},
			{i18n.DateOnly(at), c.date},
			{i18n.Money(ledger.MustAmount("1234567.5"), "USD"), c.big},
			{i18n.Money(ledger.MustAmount("75.6"), "USD"), c.small},
			{i18n.Money(ledger.MustAmount("-1234.56"), "EUR"), c.neg},
			{i18n.Money(ledger.MustAmount("7.305"), "USD"), c.odd},
			{i18n.Quantity(ledger.MustAmount("2")), c.qty},
			{i18n.Quantity(ledger.MustAmount("1.5")), c.frac},
			{i18n.Money(ledger.MustAmount("1234.56"), "BGN"), c.bgn},
			{i18n.Money(ledger.MustAmount("999"), ""), map[string]string{"en": "999.00", "bg": "999,00"}[c.lang]},
		} {
			if x.got != x.want {
				t.Errorf("%s: got %q, want %q", c.lang, x.got, x.want)
			}
		}
		if d, err := i18n.ParseDate(c.date); err != nil || !d.Equal(time.Date(2026, 11, 27, 0, 0, 0, 0, time.Local)) {
			t.Errorf("%s: i18n.ParseDate(%q) = %v, %v", c.lang, c.date, d, err)
		}
	}
	if i18n.DateTime(time.Time{}) != "" {
		t.Error("a zero time should read empty")
	}
	if got := lang.N("{{.Count}} order", 5, map[string]any{"Count": 5}); got != "5 поръчки" {
		t.Errorf("plural in Bulgarian: %q", got)
	}
	if got := lang.N("{{.Count}} order", 1, map[string]any{"Count": 1}); got != "1 поръчка" {
		t.Errorf("singular in Bulgarian: %q", got)
	}
}

// TestSwitchToBulgarian picks Bulgarian in the settings: the window is
// built again in it (navigation, buttons, headers, dates, amounts, the
// count), the choice is kept in the preferences, and English comes back
// just as well.
func TestSwitchToBulgarian(t *testing.T) {
	b := openBooks(t)
	uitest.SeedOrders(t, b, 3)
	w, j := openWindow(t, b, options{})
	w.reload(nil)
	j.drain(t)
	if w.tabs.Items[tabOrders].Text != "Orders" || cell(w, 0, colDate) != "2025-01-01 11:03" {
		t.Fatalf("English at start: %q, %q", w.tabs.Items[tabOrders].Text, cell(w, 0, colDate))
	}

	w.tabs.SelectIndex(tabSettings)
	w.prefs.Language.SetSelected("Български")
	j.drain(t)
	if got := w.settings.Language(); got != "bg" {
		t.Errorf("the preference holds %q", got)
	}
	if w.tabs.SelectedIndex() != tabSettings {
		t.Error("the settings page should stay open after the switch")
	}
	for _, c := range []struct{ got, want string }{
		{w.tabs.Items[tabOrders].Text, "Поръчки"},
		{w.tabs.Items[tabShops].Text, "Магазини"},
		{w.tabs.Items[tabCatalog].Text, "Складове и разходни центрове"},
		{w.tabs.Items[tabSettings].Text, "Настройки"},
		{w.syncBtn.Text, "Синхронизирай"},
		{w.orders.Search.PlaceHolder, "Търсене по номер, клиент, имейл или SKU"},
		{w.orders.ColumnTitle(colNumber), "Номер"},
		{w.orders.Count(), "3 поръчки"},
		{cell(w, 0, colDate), "01.01.2025 11:03"},
		{cell(w, 0, colTotal), "3,00 EUR"},
		{cell(w, 0, colStatus), "Обработва се"},
		{buttonReading(w.shopsPage.Content(), "Добави магазин"), "Добави магазин"},
		{w.win.Title(), "ShopLedger"},
	} {
		if c.got != c.want {
			t.Errorf("in Bulgarian: got %q, want %q", c.got, c.want)
		}
	}
	if missing := notDrawn(w, "Номер", "Клиент", "3,00 EUR"); missing != nil {
		t.Errorf("the table does not draw %q", missing)
	}

	w.prefs.Language.SetSelected("English")
	j.drain(t)
	if w.tabs.Items[tabOrders].Text != "Orders" || w.syncBtn.Text != "Sync now" || cell(w, 0, colTotal) != "3.00 EUR" {
		t.Errorf("back in English: %q, %q, %q", w.tabs.Items[tabOrders].Text, w.syncBtn.Text, cell(w, 0, colTotal))
	}
	w.prefs.Language.SetSelectedIndex(0) // as the system
	j.drain(t)
	if w.settings.Language() != "" {
		t.Errorf("the preference holds %q after choosing the system's language", w.settings.Language())
	}
}

// TestLogSaysOlderLinesInNewLanguage: the session log on the settings page
// keeps sentences, not their words, so the lines written before a switch
// to Bulgarian read in Bulgarian after it, and in English again after the
// switch back (issue 12, 14: older log lines stayed in English).
func TestLogSaysOlderLinesInNewLanguage(t *testing.T) {
	b := openBooks(t)
	addShopDirectly(t, b, "Demo shop", startShop(t, 3))
	w, j := started(t, b)
	english, bulgarian := "16:02  Synced 3 orders from Demo shop at 16:02", "16:02  Синхронизирани са 3 поръчки от Demo shop в 16:02"
	shows := func(text string) bool {
		return strings.Contains(test.RenderObjectToMarkup(w.prefs.Content()), ">"+text+"</text>")
	}
	w.tabs.SelectIndex(tabSettings)
	if !shows(english) {
		t.Fatalf("the log lacks %q: %q", english, w.logLines())
	}

	w.prefs.Language.SetSelected("Български")
	j.drain(t)
	if !shows(bulgarian) || shows(english) {
		t.Errorf("after the switch to Bulgarian the log reads %q", w.logLines())
	}
	w.prefs.Language.SetSelected("English")
	j.drain(t)
	if !shows(english) {
		t.Errorf("back in English the log reads %q", w.logLines())
	}
}

// buttonReading returns text if a button laid out in o reads it, else "".
func buttonReading(o fyne.CanvasObject, text string) string {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return text
		}
	}
	return ""
}
