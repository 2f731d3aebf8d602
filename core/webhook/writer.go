package webhook

import (
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// job is one delivery on its way through the writer: verified, then
// stored, then applied.
type job struct {
	d        ledger.Delivery // as received; the writer never changes it once a decoder may read it
	received time.Time       // with the monotonic clock, for WebhookApplied.Latency
	seq      uint64          // once stored

	// decoding is set when a decoder took the job; ready closes when
	// apply is decoded. Otherwise the writer decodes it.
	decoding bool
	ready    chan struct{}
	apply    store.DeliveryApply
	// load marks a delivery found in the store at start: its body is read
	// when it is applied.
	load bool
	// fresh marks a delivery applied by the transaction that stores it.
	fresh bool

	// For the request waiting for its delivery to be stored.
	res  store.AddedDelivery
	err  error
	done chan struct{}
}

// submit queues a verified delivery to be stored and waits until it is.
func (r *Receiver) submit(d ledger.Delivery, received time.Time) (store.AddedDelivery, error) {
	if r.stopping() {
		return store.AddedDelivery{}, errClosed
	}
	j := &job{d: d, received: received, ready: make(chan struct{}), done: make(chan struct{})}
	// Decode while the delivery waits for its commit; when every decoder
	// is busy, the writer decodes it when it applies it.
	select {
	case r.work <- j:
		j.decoding = true
	default:
	}
	r.busy(1)
	r.mu.Lock()
	r.adds = append(r.adds, j)
	r.mu.Unlock()
	r.signal()
	select {
	case <-j.done:
		return j.res, j.err
	case <-r.closed:
		return store.AddedDelivery{}, errClosed
	}
}

func (r *Receiver) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Receiver) decodeLoop() {
	for {
		select {
		case <-r.closed:
			return
		case j := <-r.work:
			j.apply = decide(&j.d)
			r.prepareOrder(&j.apply)
			close(j.ready)
		}
	}
}

// prepareOrder compares the order a delivery carries with the books and
// encodes it (store.Prepare) outside the writer's transaction, which then
// only writes it. If that fails, the transaction applies the order itself
// and records why it fails there.
func (r *Receiver) prepareOrder(a *store.DeliveryApply) {
	if a.Order == nil {
		return
	}
	if p, err := r.st.Prepare(a.Shop, []ledger.Order{*a.Order}); err == nil {
		a.Prepared = p
	}
}

// take removes up to n jobs from the front of q.
func take(q *[]*job, n int) []*job {
	k := min(n, len(*q))
	out := (*q)[:k:k]
	*q = (*q)[k:]
	if len(*q) == 0 {
		*q = nil
	}
	return out
}

// writeLoop is the writer: each transaction applies what the previous ones
// stored and stores what arrived meanwhile.
func (r *Receiver) writeLoop() {
	r.sweep()
	for {
		r.mu.Lock()
		adds := take(&r.adds, r.cfg.MaxBatch)
		applies := take(&r.applies, r.cfg.MaxBatch)
		older := len(r.applies) > 0
		r.mu.Unlock()
		if len(adds)+len(applies) == 0 {
			select {
			case <-r.wake:
				continue
			case <-r.closed:
				return
			}
		}
		kept := applies[:0]
		for _, j := range applies {
			if !r.prepare(j) {
				if r.stopping() {
					return
				}
				r.busy(-1) // gone from the store: nothing to apply
				continue
			}
			kept = append(kept, j)
		}
		if !older {
			r.applyFresh(adds)
		}
		r.write(adds, kept)
	}
}

// applyFresh marks the adds that the transaction storing them can apply as
// well: a delivery then costs one commit instead of two, and is applied
// sooner. Deliveries are applied in the order they were stored, so only
// while nothing older waits (the caller checks that nothing is queued
// beyond this transaction's applies), and only a leading run of adds
// whose body is decoded already; the rest are applied by the next
// transaction as before.
func (r *Receiver) applyFresh(adds []*job) {
	for _, j := range adds {
		if j.decoding {
			select {
			case <-j.ready:
			default:
				return
			}
		} else {
			j.apply = decide(&j.d)
		}
		j.fresh = true
	}
}

// prepare makes sure j.apply is decoded and addressed to the stored
// delivery; false if there is nothing to apply (or the writer stops).
func (r *Receiver) prepare(j *job) bool {
	switch {
	case j.load:
		d, err := r.st.Delivery(j.d.Shop, j.seq)
		if err != nil {
			return false
		}
		j.d = d
		j.apply = decide(&j.d)
	case j.decoding:
		select {
		case <-j.ready:
		case <-r.closed:
			return false
		}
	default:
		j.apply = decide(&j.d)
	}
	j.apply.Shop, j.apply.Seq = j.d.Shop, j.seq
	return true
}

// write commits adds and applies in one transaction; if it fails, each
// alone, so that one bad delivery fails by itself.
func (r *Receiver) write(adds, applies []*job) {
	ds := make([]ledger.Delivery, len(adds))
	for i, j := range adds {
		ds[i] = j.d
	}
	items := make([]store.DeliveryApply, len(applies), len(applies)+len(adds))
	for i, j := range applies {
		items[i] = j.apply
	}
	fresh := make([]int, len(adds)) // index in items of each add's apply, or -1
	for i, j := range adds {
		fresh[i] = -1
		if j.fresh {
			a := j.apply
			a.Shop, a.Seq, a.Added = j.d.Shop, 0, i+1
			fresh[i] = len(items)
			items = append(items, a)
		}
	}
	added, outs, err := r.st.CommitDeliveries(ds, items)
	if err != nil && (len(adds)+len(applies) > 1 || len(items) > len(applies)) {
		// Each alone, so that one bad delivery fails by itself; stored
		// first and applied by a transaction of its own.
		for _, j := range applies {
			r.write(nil, []*job{j})
		}
		for _, j := range adds {
			j.fresh = false
			r.write([]*job{j}, nil)
		}
		return
	}
	if err != nil && len(applies) == 1 {
		r.failed(applies[0], err)
	}
	for i, j := range applies {
		if err == nil {
			r.announce(j, outs[i])
		}
		r.busy(-1)
	}
	var stored []*job
	for i, j := range adds {
		switch {
		case err != nil:
			j.err = err
		case added[i].Err != nil:
			j.err = added[i].Err
		default:
			j.res = added[i]
		}
		if j.err == nil && !j.res.Duplicate {
			r.publish(events.WebhookReceived{Base: r.stamp(j.d.Shop), DeliveryID: j.d.DeliveryID, Topic: j.d.Topic})
		}
		switch {
		case j.err == nil && !j.res.Duplicate && fresh[i] >= 0:
			j.seq = j.res.Delivery.Seq
			r.announce(j, outs[fresh[i]])
			r.busy(-1)
		case j.err == nil && !j.res.Duplicate:
			j.seq = j.res.Delivery.Seq
			stored = append(stored, j)
		default:
			r.busy(-1)
		}
		close(j.done)
	}
	if len(stored) > 0 {
		r.mu.Lock()
		r.applies = append(r.applies, stored...)
		r.mu.Unlock()
	}
}

// failed records that a delivery could not be applied at all (the store
// refused the transaction), if the store lets it; otherwise the delivery
// stays "received" for the next start.
func (r *Receiver) failed(j *job, err error) {
	msg := err.Error()
	now := time.Now()
	if r.st.UpdateDelivery(j.d.Shop, j.seq, func(d *ledger.Delivery) {
		d.Status, d.Error, d.Applied = ledger.DeliveryFailed, msg, now
	}) == nil {
		r.publish(events.WebhookFailed{Base: r.stamp(j.d.Shop), DeliveryID: j.d.DeliveryID, Topic: j.d.Topic,
			Seq: j.seq, Err: msg})
	}
}

// announce publishes what became of a delivery.
func (r *Receiver) announce(j *job, o store.DeliveryOutcome) {
	if o.Err != nil || o.Skipped {
		return
	}
	switch o.Delivery.Status {
	case ledger.DeliveryApplied:
		r.publish(events.WebhookApplied{Base: r.stamp(j.d.Shop), DeliveryID: j.d.DeliveryID, Topic: j.d.Topic,
			OrderID: o.Delivery.OrderID, New: o.Result.New > 0, Latency: time.Since(j.received)})
	case ledger.DeliveryFailed:
		r.publish(events.WebhookFailed{Base: r.stamp(j.d.Shop), DeliveryID: j.d.DeliveryID, Topic: j.d.Topic,
			Seq: j.seq, Err: o.Delivery.Error})
	}
}

// sweepPage is how many deliveries the start-up sweep lists at a time.
const sweepPage = 500

// sweep queues, oldest first and ahead of anything new, the deliveries an
// earlier run stored but did not apply. Their bodies are read when they
// are applied.
func (r *Receiver) sweep() {
	defer r.busy(-1)
	shops, err := r.st.Shops()
	if err != nil {
		return
	}
	var found []*job
	for _, sh := range shops {
		var waiting []*job
		for before := uint64(0); ; {
			page, err := r.st.Deliveries(sh.ID, ledger.DeliveryReceived, sweepPage, before)
			if err != nil || len(page) == 0 {
				break
			}
			for _, d := range page {
				waiting = append(waiting, &job{d: d, seq: d.Seq, received: d.Received, load: true})
			}
			before = page[len(page)-1].Seq
		}
		for i := len(waiting) - 1; i >= 0; i-- {
			found = append(found, waiting[i])
		}
	}
	if len(found) == 0 {
		return
	}
	r.busy(len(found))
	r.mu.Lock()
	r.applies = append(found, r.applies...)
	r.mu.Unlock()
}
