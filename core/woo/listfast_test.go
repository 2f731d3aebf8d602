package woo

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestListFastMatchesSlow decodes the same pages both ways: orders and
// their Raw must be identical.
func TestListFastMatchesSlow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		legacy bool
		body   []byte
	}{
		{"wc/v3 sample", false, readSample(t, "wc-v3-orders-list-page2-per_page3.json")},
		{"wc/v3 with notice", false, append([]byte("\xef\xbb\xbf<b>Notice</b>: x\n"), readSample(t, "wc-v3-orders-list-page2-per_page3.json")...)},
		{"legacy sample", true, readSample(t, "legacy-v3-orders-list-page2-limit3.json")},
		{"legacy spaced", true, []byte(` { "orders" : [ ` + string(readSample(t, "legacy-v3-order-single-25.json")[9:len(bytes.TrimSpace(readSample(t, "legacy-v3-order-single-25.json")))-1]) + ` , {"id":"7","status":"x\"y\\"} ] , "x": [1, {"a":"]"}] } `)},
		{"wc/v3 VAT month (taxes, fees, coupons, refunds)", false, readMonth(t, "wc-v3-orders.json")},
		{"legacy VAT month", true, append(append([]byte(`{"orders":`), readMonth(t, "legacy-v3-orders.json")...), '}')},
		{"wc/v3 odd", false, []byte(` [ {"id":1,"number":"a\"]}b","billing":[]}, {"id":2 , "line_items":[{"id":3,"name":"[{"}]} ] `)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &response{body: tc.body, header: http.Header{}}
			var fast []ledger.Order
			var ok bool
			if tc.legacy {
				fast, ok = legacyListFast(tc.body)
			} else {
				fast, ok = wcListFast(tc.body)
			}
			if !ok {
				t.Fatal("the fast path gave up on a good page")
			}
			// The slow path, forced: a body the fast path rejects.
			var slow *OrderPage
			var err error
			if tc.legacy {
				var env struct {
					Orders []json.RawMessage `json:"orders"`
				}
				if err := json.Unmarshal(trimToJSON(tc.body), &env); err != nil {
					t.Fatal(err)
				}
				slow = &OrderPage{}
				for _, raw := range env.Orders {
					o, err := DecodeLegacyOrder(raw)
					if err != nil {
						t.Fatal(err)
					}
					slow.Orders = append(slow.Orders, o)
				}
			} else {
				var raws []json.RawMessage
				if err := json.Unmarshal(trimToJSON(tc.body), &raws); err != nil {
					t.Fatal(err)
				}
				slow = &OrderPage{}
				for _, raw := range raws {
					o, err := DecodeOrder(raw)
					if err != nil {
						t.Fatal(err)
					}
					slow.Orders = append(slow.Orders, o)
				}
			}
			_ = resp
			_ = err
			if len(fast) != len(slow.Orders) || len(fast) == 0 {
				t.Fatalf("fast %d orders, slow %d", len(fast), len(slow.Orders))
			}
			for i := range fast {
				if !reflect.DeepEqual(fast[i], slow.Orders[i]) {
					t.Fatalf("order %d differs:\nfast %+v\nslow %+v\nraw fast %s\nraw slow %s", i, fast[i], slow.Orders[i], fast[i].Raw, slow.Orders[i].Raw)
				}
			}
		})
	}
}

// TestListFastGivesUp leaves to the slow path the pages it must judge.
func TestListFastGivesUp(t *testing.T) {
	for _, body := range []string{
		``, `<html>`, `{"orders":[]}`, `[{"id":0}]`, `[{"id":1},null]`, `[{"id":1}`, `[{"id":"x"}]`,
		`{"orders":[{"id":1}], "orders":[{"id":1},{"id":2}]}`, `{"orders":[{"order":{"id":1},"id":2}]}`,
	} {
		wcOrders, wcOK := wcListFast([]byte(body))
		lOrders, lOK := legacyListFast([]byte(body))
		if body == `{"orders":[{"id":1}], "orders":[{"id":1},{"id":2}]}` {
			if !lOK || len(lOrders) != 2 {
				t.Errorf("%s: legacy %v %d", body, lOK, len(lOrders))
			}
			continue
		}
		if wcOK || lOK {
			t.Errorf("%s: fast path took it (%d, %d orders)", body, len(wcOrders), len(lOrders))
		}
	}
}

// TestFlexFastPaths checks the fast string, integer and date parsing
// against encoding/json and the general paths.
func TestFlexFastPaths(t *testing.T) {
	for _, in := range []string{`""`, `"a"`, `"http:\/\/x\/y"`, `"a\"b\\c\n\t\r\b\f"`, `"\u00e9t\u00e9"`, `"Müller"`,
		"\"\xff\"", `"a\\"`, `"\ud83d\ude00"`, `"tab\u0009"`} {
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(in, err)
		}
		var got flexString
		if err := got.UnmarshalJSON([]byte(in)); err != nil || string(got) != want {
			t.Errorf("flexString(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`0`, `12`, `"12"`, `-3`, `"-"`, `""`, `null`, `"1.5"`, `1e3`, `"9999999999999999999"`, `true`} {
		var fast flexInt
		err := fast.UnmarshalJSON([]byte(in))
		var slow flexInt
		s := strings.Trim(in, `"`)
		slowErr := error(nil)
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			slow = flexInt(v)
		} else if f, err := strconv.ParseFloat(s, 64); err == nil {
			slow = flexInt(f)
		} else if s == "true" {
			slow = 1
		} else if s != "" && s != "null" && s != "-" {
			slowErr = err
		}
		if (err != nil) != (slowErr != nil) && s != "-" || err == nil && fast != slow {
			t.Errorf("flexInt(%s) = %d, %v; want %d, %v", in, fast, err, slow, slowErr)
		}
	}
	for _, in := range []string{`"2026-03-01T09:00:00"`, `"1970-01-01T00:00:00"`, `"2026-03-01T09:00:00Z"`, `"2026-03-01 09:00:00"`, `"2026-13-01T09:00:00"`} {
		var fast flexTime
		err := fast.UnmarshalJSON([]byte(in))
		slow, slowErr := parseWooTime(strings.Trim(in, `"`))
		if (err != nil) != (slowErr != nil) || !time.Time(fast).Equal(slow) {
			t.Errorf("flexTime(%s) = %v, %v; want %v, %v", in, time.Time(fast), err, slow, slowErr)
		}
	}
}

// TestListFastMatchesSlowOnSimulator compares both decodings on the
// simulator's pages, in both dialects.
func TestListFastMatchesSlowOnSimulator(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 400, Seed: 5}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		c, err := New(Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: d})
		if err != nil {
			t.Fatal(err)
		}
		for page := 1; page <= 4; page++ {
			opt := ListOptions{Page: page, PerPage: 100, OrderBy: "modified"}
			q, fast, slow := wcListQuery(opt), decodeWCList, decodeWCListSlow
			if d == ledger.DialectLegacyV3 {
				q, fast, slow = legacyListQuery(opt), decodeLegacyList, decodeLegacyListSlow
			}
			resp, err := c.do(context.Background(), call{op: "list", path: "orders", query: q})
			if err != nil {
				t.Fatal(err)
			}
			f, err := fast("list", resp)
			if err != nil {
				t.Fatal(err)
			}
			s, err := slow("list", resp)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Orders) != 100 || !reflect.DeepEqual(f, s) {
				t.Fatalf("%s page %d: fast and slow decoding differ (%d, %d orders)", d, page, len(f.Orders), len(s.Orders))
			}
			fp, err := c.FetchOrders(context.Background(), opt)
			if err != nil {
				t.Fatal(err)
			}
			if fp.Count != len(f.Orders) || !fp.Newest.Equal(ledger.NewestModified(f.Orders)) || fp.page != nil {
				t.Fatalf("%s page %d: scan found %d orders, newest %v; decoding %d, %v", d, page, fp.Count, fp.Newest, len(f.Orders), ledger.NewestModified(f.Orders))
			}
			dp, err := fp.Decode()
			if err == nil {
				dp.ServerTime = f.ServerTime // decodeWCList leaves it to its caller
			}
			if err != nil || !reflect.DeepEqual(dp, f) {
				t.Fatalf("%s page %d: FetchOrders+Decode differs from ListOrders: %v", d, page, err)
			}
		}
	}
}

// TestFetchOrdersScan reads count and newest from odd bodies, and leaves
// what it cannot read to the decoder.
func TestFetchOrdersScan(t *testing.T) {
	c := &Client{dialect: ledger.DialectWCV3}
	for _, tc := range []struct {
		body   string
		ok     bool
		count  int
		newest string
	}{
		{`[]`, true, 0, ""},
		{` [ {"id":1,"date_modified_gmt":"2026-01-02T03:04:05","x":"]"} , {"id":2,"date_modified_gmt":null,"date_created_gmt":"2026-01-03T00:00:00"} ] `, true, 2, "2026-01-03T00:00:00Z"},
		{`[{"id":1,"date_modified_gmt":"yesterday"}]`, false, 0, ""},
		{`[{"id":1},7]`, false, 0, ""},
		{`[{"id":1}`, false, 0, ""},
		{`{"orders":[]}`, false, 0, ""},
	} {
		p := &FetchedPage{c: c, resp: &response{body: []byte(tc.body)}}
		ok := p.scan()
		if ok != tc.ok || ok && (p.Count != tc.count || tc.newest != "" && p.Newest.Format(time.RFC3339) != tc.newest) {
			t.Errorf("%s: scan %v, %d, %v", tc.body, ok, p.Count, p.Newest)
		}
	}
}

// FuzzListFast: whatever the body, the one-pass list decoding either gives
// up or agrees with the order-by-order one, and a scan that reads the body
// agrees with what decoding it gives.
func FuzzListFast(f *testing.F) {
	f.Add([]byte(readSampleF(f, "wc-v3-orders-list-page2-per_page3.json")), false)
	f.Add([]byte(readSampleF(f, "legacy-v3-orders-list-page2-limit3.json")), true)
	f.Add([]byte(`[{"id":1,"date_modified_gmt":"2026-01-02T03:04:05","billing":{"First_Name":"x","city":"a\/b"}}]`), false)
	f.Add([]byte(`{"orders":[{"id":"2","updated_at":"2026-01-02T03:04:05Z","payment_details":{"paid":"yes"}}]}`), true)
	f.Fuzz(func(t *testing.T, body []byte, legacy bool) {
		resp := &response{body: body, header: http.Header{}}
		c := &Client{dialect: ledger.DialectWCV3}
		fast, slow := wcListFast, decodeWCListSlow
		if legacy {
			c.dialect = ledger.DialectLegacyV3
			fast, slow = legacyListFast, decodeLegacyListSlow
		}
		orders, ok := fast(body)
		page, err := slow("list", resp)
		if ok {
			if err != nil {
				t.Fatalf("fast path accepted what the slow path rejects: %v", err)
			}
			if len(orders) != len(page.Orders) || len(orders) > 0 && !reflect.DeepEqual(orders, page.Orders) {
				t.Fatalf("fast and slow decoding differ")
			}
		}
		p := &FetchedPage{c: c, resp: resp}
		if p.scan() && err == nil && (p.Count != len(page.Orders) || !p.Newest.Equal(ledger.NewestModified(page.Orders))) {
			t.Fatalf("scan found %d orders, newest %v; decoding %d, %v", p.Count, p.Newest, len(page.Orders), ledger.NewestModified(page.Orders))
		}
	})
}

func readSampleF(f *testing.F, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	if err != nil {
		f.Fatal(err)
	}
	return string(b)
}

func readMonth(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "books-2026-10", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
