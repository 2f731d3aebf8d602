package nra_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// node is an element of a parsed file.
type node struct {
	name string
	text string
	kids []*node
}

// parse reads a file as an XML parser would, in the encoding its
// declaration names.
func parse(t *testing.T, data []byte) *node {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="WINDOWS-1251"?>`)) {
		t.Fatalf("the declaration: %q", data[:min(len(data), 60)])
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if !strings.EqualFold(label, "windows-1251") {
			return nil, fmt.Errorf("charset %q", label)
		}
		return charmap.Windows1251.NewDecoder().Reader(r), nil
	}
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	return root
}

// schemaFile is НАП's published schema, kept as published (see
// testdata/README.md); schemaSHA256 keeps it so.
const (
	schemaFile   = "testdata/dec_audit.xsd"
	schemaSHA256 = "bf3298cf489f63ad6067ff84b702a244d50439df2c80c2bb97e6ee4e2005a295"
)

// TestSchemaUnedited: the tests validate against the schema as published,
// never a copy someone edited to make a file pass.
func TestSchemaUnedited(t *testing.T) {
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != schemaSHA256 {
		t.Fatalf("%s is not the schema as published (sha256 %x)", schemaFile, sum)
	}
}

// validate runs xmllint (Debian's libxml2-utils, which scripts/setup.sh
// test installs) on data against the published schema: nil when the file
// is valid, else xmllint's complaints.
func validate(t testing.TB, data []byte) error {
	t.Helper()
	xsd, err := filepath.Abs(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	return validateWith(t, xsd, data)
}

// validateWith is validate for a schema at path (other packages' tests
// pass this package's testdata).
func validateWith(t testing.TB, xsd string, data []byte) error {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is not installed: run scripts/setup.sh test (Debian package libxml2-utils)")
	}
	cmd := exec.Command("xmllint", "--noout", "--schema", xsd, "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	return nil
}

// mustValidate fails the test unless data is valid against the schema.
func mustValidate(t testing.TB, data []byte) {
	t.Helper()
	if err := validate(t, data); err != nil {
		t.Fatalf("the file is not valid against dec_audit.xsd: %v", err)
	}
}

// find returns the descendants of n named name, in document order.
func find(n *node, name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
		out = append(out, find(k, name)...)
	}
	return out
}

// child is n's first child named name ("" when there is none).
func child(n *node, name string) string {
	for _, k := range n.kids {
		if k.name == name {
			return k.text
		}
	}
	return ""
}
