# ShopLedger developer tasks. Pass extra arguments with ARGS, e.g. make test ARGS='-run Foo ./core/...'
#
# Release builds use -tags migrated_fynedo, which turns Fyne's thread checks off (as Jacalz/rymdport does);
# `run` and `debug` build without it, so a widget touched outside fyne.Do is reported while developing.

GO      ?= go
ARGS    ?=
RELEASE := -tags migrated_fynedo -trimpath -ldflags='-s -w'

.DEFAULT_GOAL := build
.PHONY: build debug run test woosim screenshot package icon clean

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

woosim: # the WooCommerce simulator with a demo shop
	$(GO) run ./cmd/woosim -orders 1000 $(ARGS)

screenshot:
	scripts/screenshot.sh docs/screenshot.png

package: # fyne package for this OS into dist/, metadata from ./FyneApp.toml, see scripts/fyne-toml.sh
	scripts/fyne-toml.sh package $(ARGS)

icon: # redraw assets/icon.png
	$(GO) generate ./assets

clean:
	rm -rf bin dist
