# ShopLedger developer tasks. Pass extra arguments with ARGS, e.g. make test ARGS='-run Foo ./core/...'
#
# Release builds use -tags migrated_fynedo, which turns Fyne's thread checks off (as Jacalz/rymdport does);
# `run` and `debug` build without it, so a widget touched outside fyne.Do is reported while developing.

GO      ?= go
ARGS    ?=
RELEASE := -tags migrated_fynedo -trimpath -ldflags='-s -w'

.DEFAULT_GOAL := build
.PHONY: build debug run test bench bench-import woosim screenshot screenshots package package-linux package-windows package-darwin bump-build icon clean

build: # release binaries in bin/
	scripts/setup.sh run
	$(GO) build $(RELEASE) -o bin/shopledger ./cmd/shopledger
	$(GO) build -trimpath -o bin/woosim ./cmd/woosim

debug: # the same binaries with Fyne's thread checks on
	scripts/setup.sh run
	$(GO) build -o bin/shopledger ./cmd/shopledger
	$(GO) build -o bin/woosim ./cmd/woosim

run:
	scripts/setup.sh run
	$(GO) run ./cmd/shopledger $(ARGS)

test: # go test -race under Xvfb with a real gnome-keyring, see scripts/test.sh
	scripts/test.sh $(ARGS)

bench: # every figure of docs/PERFORMANCE.md with its target, MET/MISSED (BENCH_ORDERS=10000 for a quick run); not in make test
	scripts/bench.sh

bench-import: # import speed against raw fetch+decode, both dialects, see docs/PERFORMANCE.md (ORDERS=, RUNS=, CPU=)
	scripts/bench-import.sh

woosim: # the WooCommerce simulator with a demo shop
	$(GO) run ./cmd/woosim -orders 1000 $(ARGS)

screenshot:
	scripts/screenshot.sh docs/screenshot.png

# Every main screen in English and Bulgarian, from the real binary under Xvfb, into docs/screenshots/.
screenshots:
	scripts/screenshot.sh --all docs/screenshots

# Release packages into dist/, metadata from ./FyneApp.toml; each is checked after it is built. docs/PACKAGING.md
package: # the package for this OS (Linux or macOS)
	scripts/package.sh host

package-linux: # dist/ShopLedger-VERSION-linux-ARCH.tar.xz (fyne package: binary, .desktop, icon, Makefile)
	scripts/package.sh linux

package-windows: # dist/ShopLedger-VERSION-windows-amd64.exe + shopledger-cli-…exe, cross-built with mingw-w64
	scripts/package.sh windows

package-darwin: # dist/ShopLedger.app, on a Mac with the Xcode command line tools
	scripts/package.sh darwin

bump-build: # FyneApp.toml Build + 1: once per release, before packaging (packaging never bumps it)
	scripts/fyne-toml.sh bump

icon: # redraw assets/icon.png
	$(GO) generate ./assets

clean:
	rm -rf bin dist
