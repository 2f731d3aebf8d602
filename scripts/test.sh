#!/usr/bin/env bash
# Usage: scripts/test.sh [go test flags] [packages]      (make test ARGS='-run Foo ./core/...')
#
# The body of `make test`: installs what the tests need (scripts/setup.sh test), then runs
# `go test -race -count=1` in a throwaway desktop (scripts/with-desktop.sh: private D-Bus session, unlocked
# gnome-keyring, Xvfb; SHOPLEDGER_E2E=1 and SHOPLEDGER_KEYRING_TEST=1 set). Without package arguments
# (./..., ./core/store, codeberg.org/shopledger/shopledger/...) it tests ./... . The output ends with go test's own summary and the exit
# status is go test's.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test

args=("$@")
pkgs=false
for a in "$@"; do
	case $a in ./* | ../* | codeberg.org/shopledger/shopledger | codeberg.org/shopledger/shopledger/*) pkgs=true ;; esac
done
$pkgs || args+=(./...)

exec scripts/with-desktop.sh go test -race -count=1 -timeout 30m "${args[@]}"
