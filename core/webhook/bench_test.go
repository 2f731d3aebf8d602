package webhook

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

const (
	benchDeliveries  = 10_000
	benchConcurrency = 50
)

// BenchmarkDeliveries sends 10,000 signed order.created deliveries, 50 at
// a time, over loopback HTTP to a receiver backed by a bbolt file, checks
// that every order arrived, and reports the latency from receipt to
// applied (p50, p99, from WebhookApplied.Latency) and the throughput.
//
// The writer stores and applies in one transaction as many deliveries as
// are waiting (MaxBatch at most): MaxBatch=1 is one commit per delivery.
// "saturated" sends as fast as 50 senders get answers (the default
// MaxBatch, or one commit per delivery); "paced" sends 300
// deliveries a second (at most 50 at a time), which is more than a shop
// sends but leaves the disk room.
//
//	go test -run '^$' -bench Deliveries -benchtime 1x ./core/webhook
func BenchmarkDeliveries(b *testing.B) {
	b.Run("saturated/MaxBatch=1", func(b *testing.B) { runDeliveryBench(b, Config{MaxBatch: 1}, 0) })
	b.Run("saturated/default", func(b *testing.B) { runDeliveryBench(b, Config{}, 0) })
	b.Run("paced-300/s", func(b *testing.B) { runDeliveryBench(b, Config{}, 300) })
}

// runDeliveryBench sends benchDeliveries deliveries, perSecond a second
// (0: as fast as they are answered).
func runDeliveryBench(b *testing.B, cfg Config, perSecond int) {
	f := newFixture(b, cfg)
	url := f.r.URL(f.shop)
	template := sampleBody(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchConcurrency}}
	defer client.CloseIdleConnections()

	round := 0
	for b.Loop() {
		b.StopTimer()
		first := int64(1_000_000 + round*benchDeliveries)
		round++
		bodies := make([][]byte, benchDeliveries)
		mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
		for i := range bodies {
			id := first + int64(i)
			bodies[i] = bytes.Replace(template, []byte(`{"id":395,`), fmt.Appendf(nil, `{"id":%d,`, id), 1)
			bodies[i] = bytes.Replace(bodies[i], []byte(`"date_modified_gmt":"2026-11-27T11:18:31"`),
				fmt.Appendf(nil, `"date_modified_gmt":%q`, mod.Add(time.Duration(i)*time.Second).Format("2006-01-02T15:04:05")), 1)
		}
		sub := f.bus.Subscribe()
		var latencies []time.Duration
		collected := make(chan struct{})
		go func() {
			defer close(collected)
			for e := range sub.C {
				if a, ok := e.(events.WebhookApplied); ok {
					latencies = append(latencies, a.Latency)
				}
			}
		}()
		b.StartTimer()

		start := time.Now()
		next := make(chan int)
		var wg sync.WaitGroup
		var failMu sync.Mutex
		var failures []string
		for range benchConcurrency {
			wg.Go(func() {
				for i := range next {
					req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i]))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set(HeaderTopic, "order.created")
					req.Header.Set(HeaderSignature, sign(realSecret, bodies[i]))
					// wp_hash(webhook id . time()): shared by the deliveries of a second.
					req.Header.Set(HeaderDeliveryID, fmt.Sprintf("%032x", i/100))
					req.Header.Set(HeaderID, "3")
					resp, err := client.Do(req)
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							err = fmt.Errorf("status %s", resp.Status)
						}
					}
					if err != nil {
						failMu.Lock()
						failures = append(failures, err.Error())
						failMu.Unlock()
					}
				}
			})
		}
		for i := range bodies {
			if perSecond > 0 {
				time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(perSecond))))
			}
			next <- i
		}
		close(next)
		wg.Wait()
		answered := time.Since(start)
		f.wait()
		elapsed := time.Since(start)
		b.StopTimer()

		sub.Close()
		<-collected
		if len(failures) > 0 {
			b.Fatalf("%d deliveries failed, first: %s", len(failures), failures[0])
		}
		n, err := f.st.CountOrders(store.OrderFilter{Shop: f.shop.ID})
		if err != nil {
			b.Fatal(err)
		}
		if n != round*benchDeliveries {
			b.Fatalf("%d orders in the store, want %d: deliveries lost", n, round*benchDeliveries)
		}
		for i := range bodies {
			if _, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: first + int64(i)}); err != nil {
				b.Fatalf("order %d lost: %v", first+int64(i), err)
			}
		}
		if missed := sub.Missed(); missed > 0 || len(latencies) != benchDeliveries {
			b.Fatalf("latencies of %d deliveries (%d events missed)", len(latencies), missed)
		}
		slices.Sort(latencies)
		p50, p99 := latencies[len(latencies)/2], latencies[len(latencies)*99/100]
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(latencies[len(latencies)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(benchDeliveries/elapsed.Seconds(), "deliveries/s")
		b.Logf("%d deliveries at concurrency %d: all answered in %v, all applied in %v; p50 %v p99 %v max %v",
			benchDeliveries, benchConcurrency, answered.Round(time.Millisecond), elapsed.Round(time.Millisecond),
			p50, p99, latencies[len(latencies)-1])
		b.StartTimer()
	}
}
