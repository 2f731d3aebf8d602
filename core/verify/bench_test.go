package verify_test

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

var benchSizes = flag.String("verify.orders", "1000", "comma-separated shop sizes for BenchmarkVerify (e.g. 1000,100000)")

// BenchmarkVerify times a verification pass of a woosim shop over loopback
// HTTP after a full import: "unchanged" (the daily cost: one summary page
// per 100 orders, nothing fetched) and "changed10" (ten orders changed
// silently, spread over the shop, fetched and applied). It reports the
// requests, the summary pages and fetches, and the process's CPU time
// (shop, client and store together: woosim runs in the test process) per
// pass. Import first, so -benchtime 1x costs one import per size:
//
//	go test -run '^$' -bench Verify -benchtime 3x ./core/verify -verify.orders 1000,100000
func BenchmarkVerify(b *testing.B) {
	for _, size := range strings.Split(*benchSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(size))
		if err != nil {
			b.Fatalf("-verify.orders: %v", err)
		}
		for _, d := range dialects {
			b.Run(fmt.Sprintf("orders=%d/%s", n, strings.ReplaceAll(string(d), "/", "-")), func(b *testing.B) {
				f := newFixture(b, d, n)
				start := time.Now()
				f.sync(b)
				b.Logf("import of %d orders: %s", n, time.Since(start).Round(time.Millisecond))
				b.Run("unchanged", func(b *testing.B) { benchPass(b, f, 0) })
				b.Run("changed10", func(b *testing.B) { benchPass(b, f, 10) })
			})
		}
	}
}

func benchPass(b *testing.B, f *fixture, change int) {
	var reqs, pages, fetches int
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		total := f.sim.Count()
		f.round++ // a new completed date each pass, also across b.N runs
		for k := 1; k <= change; k++ {
			id := int64(k * total / (change + 1))
			err := f.sim.SilentlyChange(id, func(o *woosim.Silent) { o.Completed = time.Unix(1_780_000_000+int64(f.round), 0) })
			if err != nil {
				b.Fatal(err)
			}
		}
		c0, _ := cpuTime()
		b.StartTimer()
		rep, err := verify.Run(context.Background(), f.st, f.shop, f.client, verify.Options{})
		b.StopTimer()
		c1, ok := cpuTime()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Updated != change {
			b.Fatalf("pass updated %d orders, want %d: %+v", rep.Updated, change, rep)
		}
		reqs += rep.Requests
		pages += rep.Pages
		fetches += rep.Fetches
		if ok {
			cpu += c1 - c0
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
	b.ReportMetric(float64(pages)/float64(b.N), "pages/op")
	b.ReportMetric(float64(fetches)/float64(b.N), "fetches/op")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
}
