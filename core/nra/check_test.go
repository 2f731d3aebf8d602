package nra_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
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

// rule is one child element of the audit file's structure: its name, how
// often it may come, and the pattern of its text (a leaf) or its own
// children.
type rule struct {
	name     string
	min, max int // max -1: unbounded
	pattern  string
	kids     []rule
}

const (
	amount2 = `-?\d{1,13}\.\d{2}`
	date    = `\d{4}-\d{2}-\d{2}`
)

// auditRules is the structure of Приложение № 38 as this package writes
// it: every element in schema order, which may be left out, and the form
// of its text (dates YYYY-MM-DD, amounts with two decimals, codes from
// their lists, the lengths the annex gives).
var auditRules = rule{name: "audit", min: 1, max: 1, kids: []rule{
	{name: "eik", min: 1, max: 1, pattern: `\d{9,13}`},
	{name: "e_shop_n", min: 1, max: 1, pattern: `.{1,10}`},
	{name: "domain_name", min: 1, max: 1, pattern: `.{0,200}`},
	{name: "e_shop_type", min: 1, max: 1, pattern: `[12]`},
	{name: "creation_date", min: 1, max: 1, pattern: date},
	{name: "mon", min: 1, max: 1, pattern: `0[1-9]|1[0-2]`},
	{name: "god", min: 1, max: 1, pattern: `20\d{2}`},
	{name: "order", min: 0, max: 1, kids: []rule{
		{name: "orderenum", min: 1, max: -1, kids: []rule{
			{name: "ord_n", min: 1, max: 1, pattern: `.{1,100}`},
			{name: "ord_d", min: 1, max: 1, pattern: date},
			{name: "doc_n", min: 1, max: 1, pattern: `.{1,100}`},
			{name: "doc_date", min: 1, max: 1, pattern: date},
			{name: "art", min: 1, max: 1, kids: []rule{
				{name: "artenum", min: 1, max: -1, kids: []rule{
					{name: "art_name", min: 1, max: 1, pattern: `(?s).{1,200}`},
					{name: "art_quant", min: 1, max: 1, pattern: `\d{1,10}(\.\d{1,4})?`},
					{name: "art_price", min: 1, max: 1, pattern: amount2},
					{name: "art_vat_rate", min: 1, max: 1, pattern: `\d{1,2}(\.\d{2})?`},
					{name: "art_vat", min: 1, max: 1, pattern: amount2},
					{name: "art_sum", min: 1, max: 1, pattern: amount2},
				}},
			}},
			{name: "ord_total1", min: 1, max: 1, pattern: amount2},
			{name: "ord_disc", min: 1, max: 1, pattern: amount2},
			{name: "ord_vat", min: 1, max: 1, pattern: amount2},
			{name: "ord_total2", min: 1, max: 1, pattern: amount2},
			{name: "paym", min: 1, max: 1, pattern: `[1-6]`},
			{name: "pos_n", min: 0, max: 1, pattern: `.{1,100}`},
			{name: "trans_n", min: 0, max: 1, pattern: `.{1,100}`},
			{name: "proc_id", min: 0, max: 1, pattern: `.{1,100}`},
		}},
	}},
	{name: "r_ord", min: 0, max: 1, kids: []rule{
		{name: "rorderenum", min: 1, max: -1, kids: []rule{
			{name: "r_ord_n", min: 1, max: 1, pattern: `.{1,100}`},
			{name: "r_amount", min: 1, max: 1, pattern: amount2},
			{name: "r_date", min: 1, max: 1, pattern: date},
			{name: "r_paym", min: 1, max: 1, pattern: `[1-4]`},
		}},
	}},
	{name: "r_total", min: 1, max: 1, pattern: amount2},
}}

// checkAudit reports every way the file departs from auditRules.
func checkAudit(root *node) []string {
	if root == nil || root.name != auditRules.name {
		return []string{"the root element is not audit"}
	}
	var problems []string
	checkNode(root, auditRules, "audit", &problems)
	return problems
}

func checkNode(n *node, r rule, path string, problems *[]string) {
	if r.kids == nil {
		if len(n.kids) > 0 {
			*problems = append(*problems, path+" has children")
		}
		if !regexp.MustCompile(`^(?:` + r.pattern + `)$`).MatchString(n.text) {
			*problems = append(*problems, fmt.Sprintf("%s = %q does not match %s", path, n.text, r.pattern))
		}
		return
	}
	if strings.TrimSpace(n.text) != "" {
		*problems = append(*problems, path+" has text")
	}
	i := 0
	for _, kr := range r.kids {
		count := 0
		for i < len(n.kids) && n.kids[i].name == kr.name {
			checkNode(n.kids[i], kr, path+"/"+kr.name, problems)
			count++
			i++
		}
		if count < kr.min || (kr.max >= 0 && count > kr.max) {
			*problems = append(*problems, fmt.Sprintf("%s/%s occurs %d times", path, kr.name, count))
		}
	}
	if i < len(n.kids) {
		*problems = append(*problems, fmt.Sprintf("%s: unexpected %s (out of order or unknown)", path, n.kids[i].name))
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
