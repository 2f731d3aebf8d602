package syncer

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// A pass is a pipeline of three errgroup stages joined by bounded
// channels, as restic's archiver is:
//
//	fetch ──pages (in order)──────────────────────▶ commit
//	      └─work──▶ prepare × Concurrency (steps) ──┘ (job.done)
//
// fetch reads page after page on one goroutine: the next request depends
// only on the page just read (its count and newest order, from a scan),
// never on its decoding or its commit, so the network, the CPUs and the
// disk work side by side. Each page becomes a job, handed to the workers
// and, in the order read, to commit. The workers run the pass's steps on
// each job and close its done. commit waits for each job in order, so the
// cursor never passes an uncommitted page, and commits the pages that are
// ready together in one transaction.
//
// Errors travel in the jobs: a failed request is the last job fetch sends,
// a failed step is kept in its job, and commit commits every page before
// the first failed one and returns that page's error. Only commit returns
// an error to the group, which then stops fetch and has the workers skip
// what is left. Cancelling the pass's context stops fetch; the pages
// already fetched are still prepared and committed, then the pass returns
// the context's error.

// job is a fetched page on its way to the books.
type job struct {
	f    fetched
	prep *store.Prepared // set by the prepare step, with a Preparer
	err  error           // from the first step that failed
	done chan struct{}   // closed when the steps have run
}

// step is one piece of per-page work, run by the workers in the order of
// pipeline.steps before the page commits. A step that fails stops the pass
// at its page; its error is what the pass returns.
type step func(ctx context.Context, j *job) error

// pipeline is one pass's stages.
type pipeline struct {
	st   Store
	prep Preparer // nil: pages commit with ApplyOrders
	shop ledger.Shop
	src  Source
	pg   pager
	opt  Options

	// steps are run on every page by the workers, in this order. A new
	// per-page step (reading more of each order from the shop, say) is one
	// more function in newPipeline's list, before prepareStep, which
	// encodes the orders as they are then; it may use the network through
	// p.src and ctx, which ends when the pass is cancelled.
	steps []step

	// slots bounds the pages fetched and not yet committed: fetch takes
	// one per page, commit gives it back once the page is committed.
	slots chan struct{}
	work  chan *job // to the workers
	pages chan *job // to commit, in the order read

	res  *Result
	prog Progress
}

func newPipeline(st Store, shop ledger.Shop, src Source, pg pager, opt Options, res *Result) *pipeline {
	p := &pipeline{st: st, shop: shop, src: src, pg: pg, opt: opt, res: res, prog: Progress{Shop: shop.ID}}
	p.prep, _ = st.(Preparer)
	p.steps = []step{decodeStep, p.filterStep}
	if p.prep != nil {
		p.steps = append(p.steps, p.prepareStep)
	}
	ahead := readAhead * opt.Concurrency
	p.slots = make(chan struct{}, ahead)
	// Room for every page holding a slot, and in pages for the failed
	// request's job, which holds none: sends never wait for a worker or
	// for commit.
	p.work = make(chan *job, ahead)
	p.pages = make(chan *job, ahead+1)
	return p
}

// run runs the stages until the list ends, a page fails or ctx is
// cancelled, and returns the error that stopped commit, if any.
func (p *pipeline) run(ctx context.Context) error {
	// The stages outlive a cancelled ctx, to commit what was fetched;
	// stages stops them when commit fails.
	g, stages := errgroup.WithContext(context.WithoutCancel(ctx))
	fctx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	context.AfterFunc(stages, stopFetch)

	g.Go(func() error {
		p.fetch(fctx)
		return nil
	})
	for range p.opt.Concurrency {
		g.Go(func() error {
			p.prepare(fctx, stages)
			return nil
		})
	}
	g.Go(p.commit)
	return g.Wait()
}

// fetch is the fetch stage: it hands every page read, then the error that
// ended the list if any, to the workers and to commit.
func (p *pipeline) fetch(ctx context.Context) {
	defer close(p.pages)
	defer close(p.work)
	fetchPages(ctx, p.src, p.pg, true, func(f fetched) bool {
		j := &job{f: f, done: make(chan struct{})}
		if f.err != nil { // the last one: it takes no slot, and always gets through
			close(j.done)
			p.pages <- j
			return false
		}
		select {
		case p.slots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		p.work <- j // never blocks: slots bound the jobs in flight
		p.pages <- j
		return true
	})
}

// prepare is one worker of the prepare stage: it runs the steps on each
// job, or skips them once stages ended (commit failed and waits no more).
func (p *pipeline) prepare(ctx, stages context.Context) {
	for j := range p.work {
		for _, s := range p.steps {
			if stages.Err() != nil {
				break
			}
			if j.err = s(ctx, j); j.err != nil {
				break
			}
		}
		close(j.done)
	}
}

// decodeStep decodes a page fetched undecoded (see fetched.decode).
func decodeStep(_ context.Context, j *job) error { return j.f.decode() }

// filterStep stops the pass at a page the shop should have filtered out:
// the caller marks the shop and syncs it by scanning.
func (p *pipeline) filterStep(_ context.Context, j *job) error {
	if j.f.page.FilterIgnored && !p.shop.ModifiedAfterIgnored {
		return ErrFilterIgnored
	}
	return nil
}

// prepareStep compares the page's orders with the books, encodes and
// compresses them (store.Prepare) outside the write transaction.
func (p *pipeline) prepareStep(_ context.Context, j *job) error {
	var err error
	if j.prep, err = p.prep.Prepare(p.shop.ID, j.f.page.Orders); err != nil {
		// Every page before it is committed by then: it is the pass's
		// page j.f.requests.
		return fmt.Errorf("commit page %d of shop %d: %w", j.f.requests, p.shop.ID, err)
	}
	return nil
}

// commit is the commit stage: it takes the jobs in the order read and
// commits them batch by batch, until the list ends or a page fails.
func (p *pipeline) commit() error {
	var next *job // taken from pages, not ready when the batch before it went
	for {
		j := next
		if j == nil {
			var ok bool
			if j, ok = <-p.pages; !ok {
				return nil
			}
		}
		<-j.done
		var batch []*job
		batch, next = p.gather(j)
		if err := commitBatch(p.st, p.prep, p.shop, batch, p.res, &p.prog, p.opt); err != nil {
			return err // the stages stop: no slot is waited for any more
		}
		for range batch {
			<-p.slots
		}
	}
}

// gather returns first, which is ready, and the pages after it that are
// ready within batchWindow, up to maxBatch: they commit together, which
// saves a commit (two fsyncs and the rewrite of the pages every commit
// touches) per page while pages come quickly, and delays a slow shop's
// pages by no more. next is a page taken that was not ready in time.
func (p *pipeline) gather(first *job) (batch []*job, next *job) {
	batch = []*job{first}
	if first.f.err != nil {
		return batch, nil
	}
	window := time.NewTimer(batchWindow)
	defer window.Stop()
	for len(batch) < maxBatch {
		var j *job
		var ok bool
		select {
		case j, ok = <-p.pages:
			if !ok { // the list ended
				return batch, nil
			}
		case <-window.C:
			return batch, nil
		}
		select {
		case <-j.done:
			batch = append(batch, j)
		case <-window.C:
			return batch, j
		}
	}
	return batch, nil
}
