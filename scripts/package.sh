#!/usr/bin/env bash
# Usage: scripts/package.sh linux|windows|darwin|host   (make package-linux, -windows, -darwin, make package)
#
# Builds ShopLedger's release packages into dist/, each named after ./FyneApp.toml's Name and Version, and checks
# what it built (a package that fails its check is an error, so CI catches it). See docs/PACKAGING.md.
#   linux    dist/ShopLedger-VERSION-linux-ARCH.tar.xz: `fyne package -os linux` (binary, .desktop file, icon, and
#            fyne's Makefile with install / user-install). Checks the listing, runs the extracted binary's `help`,
#            and user-installs into a scratch HOME and out again.
#   windows  dist/ShopLedger-VERSION-windows-amd64.exe, the app (-H=windowsgui: no console window), and
#            dist/shopledger-cli-VERSION-windows-amd64.exe, the same program linked as a console executable for the
#            command line; cross-compiled with mingw-w64, icon and version resources made by windres. Checks the PE
#            subsystem and resources of both.
#   darwin   dist/ShopLedger.app with `fyne package -os darwin`: on a Mac with the Xcode command line tools only.
#   host     the one for this machine's OS (linux or darwin).
# Release builds: -tags release,migrated_fynedo (Fyne's release mode; thread checks off), -trimpath, -s -w.
# Packaging never changes ./FyneApp.toml (Build included; see scripts/fyne-toml.sh) and leaves no file in the tree
# outside dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

FYNE_SRC=${FYNE_SRC:-cmd/shopledger}
MINGW=${MINGW:-x86_64-w64-mingw32}

die() {
	printf 'package.sh: %s\n' "$@" >&2
	exit 1
}
say() { printf 'package.sh: %s\n' "$*" >&2; }
toml() { scripts/fyne-toml.sh get "$1"; }

name=$(toml Name)
version=$(toml Version)
build=$(toml Build)
icon=$(toml Icon)
[[ $version =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] || die "FyneApp.toml: Version \"$version\" is not x, x.y or x.y.z"
[[ $build =~ ^[1-9][0-9]*$ ]] || die "FyneApp.toml: Build \"$build\" is not a number from 1"
mkdir -p dist

scratch=$(mktemp -d)
cleanup=("$scratch")
trap 'rm -rf "${cleanup[@]}"' EXIT
trap 'exit 130' INT # so that the EXIT trap also cleans up after Ctrl-C or kill
trap 'exit 143' TERM

size() { du -h "$1" | cut -f1; }

linux() {
	[[ $(go env GOOS) == linux ]] || die "the Linux package is built on Linux"
	local arch out start
	arch=$(go env GOARCH)
	out=dist/$name-$version-linux-$arch.tar.xz
	rm -f "dist/$name.tar.xz" "$out"
	start=$SECONDS
	# fyne packs with tar -J; xz on one core is the slowest step of a warm build, so let it use all of them.
	XZ_OPT=${XZ_OPT:--T0} scripts/fyne-toml.sh package -os linux
	mv "dist/$name.tar.xz" "$out"
	say "built $out ($(size "$out")) in $((SECONDS - start)) s"
	check_linux "$out"
}

check_linux() {
	local tarball=$1 id exe top listing want
	id=$(toml ID)
	exe=$(basename "$FYNE_SRC")
	listing=$(tar -tJf "$tarball")
	# fyne puts the tree under usr/local/ when the building machine has /usr/local, else under usr/.
	top=$(sed -n 's|^\([^/]*\)/Makefile$|\1|p' <<<"$listing")
	[[ -n $top ]] || die "$tarball: no Makefile at the top"
	for want in "bin/$exe" "share/applications/$id.desktop" "share/pixmaps/$id.png"; do
		grep -Eqx "$top/usr/(local/)?$want" <<<"$listing" || die "$tarball: no usr/…/$want"
	done
	tar -xJf "$tarball" -C "$scratch"
	local root=$scratch/$top prefix
	prefix=$(dirname "$(dirname "$(find "$root/usr" -path "*/bin/$exe")")")
	"$prefix/bin/$exe" help >/dev/null || die "$tarball: the binary's \`$exe help\` failed"
	local desktop=$prefix/share/applications/$id.desktop
	local categories line
	categories=$(sed -n 's/^[[:space:]]*Categories[[:space:]]*=[[:space:]]*\[\(.*\)\]/\1/p' FyneApp.toml | tr -d '" ' | tr , ';')
	for line in "Name=$name" "Exec=$exe" "Icon=$id" "Categories=$categories;"; do
		grep -qxF "$line" "$desktop" || die "$tarball: $id.desktop has no line $line:" "$(cat "$desktop")"
	done
	if command -v desktop-file-validate >/dev/null; then
		desktop-file-validate "$desktop" || die "$tarball: desktop-file-validate rejects $id.desktop"
	fi
	# fyne's Makefile: `make user-install` puts the three files under ~/.local, user-uninstall takes them away.
	local home=$scratch/home
	make -s -C "$root" user-install HOME="$home" >/dev/null
	[[ -x $home/.local/bin/$exe && -f $home/.local/share/icons/$id.png ]] || die "$tarball: user-install is incomplete"
	grep -qx "Exec=$home/.local/bin/$exe" "$home/.local/share/applications/$id.desktop" ||
		die "$tarball: user-install did not point Exec at ~/.local/bin/$exe"
	make -s -C "$root" user-uninstall HOME="$home" >/dev/null
	[[ -z $(find "$home" -type f) ]] || die "$tarball: user-uninstall left files behind"
	say "checked $tarball: $(wc -l <<<"$listing") entries, \`$exe help\` runs, user-install and user-uninstall work"
}

windows() {
	scripts/setup.sh package-windows
	local gui=dist/$name-$version-windows-amd64.exe
	local cli=dist/shopledger-cli-$version-windows-amd64.exe
	# Go links every *.syso in the main package's folder; the _windows_amd64 suffix keeps it out of other builds.
	syso=$FYNE_SRC/zz_resources_windows_amd64.syso
	cleanup+=("$syso")
	local start=$SECONDS
	go run ./scripts/pngico -o "$scratch/app.ico" "$icon"
	# The app, with -H=windowsgui: Explorer starts it without a console window.
	windows_exe "$gui" -H=windowsgui "$name" "$name.exe"
	# The same program as a console executable: a shell waits for it and shows its output (docs/PACKAGING.md).
	# Everything but the main package comes from the build cache, so this costs a link.
	windows_exe "$cli" "" "$name (command line)" "shopledger-cli.exe"
	check_windows "$gui" "Windows GUI" "$name.exe"
	check_windows "$cli" "Windows CUI" "shopledger-cli.exe"
	say "built and checked $gui ($(size "$gui")) and $cli ($(size "$cli")) in $((SECONDS - start)) s"
}

windows_exe() { # OUT EXTRA_LDFLAGS FILE_DESCRIPTION ORIGINAL_FILENAME
	local major minor patch start=$SECONDS
	IFS=. read -r major minor patch <<<"$version"
	local fixed="$major,${minor:-0},${patch:-0},$build" dotted="$major.${minor:-0}.${patch:-0}.$build"
	# VS_VERSIONINFO: FILEOS 0x40004 = VOS_NT_WINDOWS32, FILETYPE 1 = VFT_APP, 0x409/1200 = US English, UTF-16.
	# The icon is named GLFW_ICON: Explorer shows the first icon group, and GLFW uses this one for its window class.
	cat >"$scratch/resources.rc" <<-EOF
		GLFW_ICON ICON "$scratch/app.ico"
		1 VERSIONINFO
		FILEVERSION $fixed
		PRODUCTVERSION $fixed
		FILEFLAGSMASK 0x3f
		FILEFLAGS 0x0
		FILEOS 0x40004
		FILETYPE 0x1
		FILESUBTYPE 0x0
		BEGIN
		  BLOCK "StringFileInfo"
		  BEGIN
		    BLOCK "040904b0"
		    BEGIN
		      VALUE "CompanyName", "$name"
		      VALUE "FileDescription", "$3"
		      VALUE "FileVersion", "$dotted"
		      VALUE "InternalName", "shopledger"
		      VALUE "OriginalFilename", "$4"
		      VALUE "ProductName", "$name"
		      VALUE "ProductVersion", "$version"
		    END
		  END
		  BLOCK "VarFileInfo"
		  BEGIN
		    VALUE "Translation", 0x409, 1200
		  END
		END
	EOF
	"$MINGW-windres" -O coff -i "$scratch/resources.rc" -o "$syso"
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC="$MINGW-gcc" \
		go build -tags release,migrated_fynedo -trimpath -ldflags "-s -w $2" -o "$1" "./$FYNE_SRC"
	say "built $1 in $((SECONDS - start)) s"
}

check_windows() { # EXE SUBSYSTEM ORIGINAL_FILENAME
	local exe=$1 headers strs dotted
	headers=$("$MINGW-objdump" -p "$exe")
	grep -q "^Magic.*(PE32+)" <<<"$headers" || die "$exe: not a PE32+ executable"
	grep -Eq "^Subsystem[[:space:]]+[0-9a-f]+[[:space:]]+\($2\)" <<<"$headers" ||
		die "$exe: subsystem is not $2:" "$(grep ^Subsystem <<<"$headers")"
	# objdump lists the resource types by number, at the top level of the .rsrc directory (three spaces in):
	# RT_ICON 3 (one per size), RT_GROUP_ICON 14 (0xe) and RT_VERSION 16 (0x10).
	for type in 000003:ICON 00000e:GROUP_ICON 000010:VERSION; do
		grep -Eq "^[0-9a-f]+   Entry: ID: 0x${type%%:*}," <<<"$headers" || die "$exe: no ${type#*:} resource"
	done
	grep -q "Entry: name: .*: GLFW_ICON," <<<"$headers" || die "$exe: the icon group is not named GLFW_ICON"
	# Self-contained: only DLLs that come with Windows, none of mingw's own (libgcc_s_seh-1, libwinpthread-1).
	if grep -i "DLL Name: lib" <<<"$headers"; then die "$exe: needs one of mingw-w64's DLLs (above)"; fi
	# The version strings are UTF-16: each key is followed by its value.
	strs=$(strings -el "$exe")
	IFS=. read -r major minor patch <<<"$version"
	dotted="$major.${minor:-0}.${patch:-0}.$build"
	for kv in "ProductName=$name" "ProductVersion=$version" "FileVersion=$dotted" "OriginalFilename=$3"; do
		grep -A1 -x "${kv%%=*}" <<<"$strs" | tail -n 1 | grep -qx "${kv#*=}" ||
			die "$exe: no ${kv%%=*} \"${kv#*=}\" in the version resource"
	done
}

darwin() {
	[[ $(uname -s) == Darwin ]] || die "the macOS package is built on a Mac with the Xcode command line tools" \
		"(fyne package -os darwin needs Apple's SDK and tools); see docs/PACKAGING.md"
	rm -rf "dist/$name.app"
	local start=$SECONDS
	scripts/fyne-toml.sh package -os darwin
	[[ -x dist/$name.app/Contents/MacOS/$(basename "$FYNE_SRC") ]] || die "dist/$name.app has no executable"
	plutil -p "dist/$name.app/Contents/Info.plist" | grep -q "\"CFBundleShortVersionString\" => \"$version\"" ||
		die "dist/$name.app: Info.plist does not say version $version"
	say "built dist/$name.app ($(du -sh "dist/$name.app" | cut -f1)) in $((SECONDS - start)) s"
}

case ${1-} in
linux | windows | darwin) "$1" ;;
host)
	case $(go env GOOS) in
	linux) linux ;;
	darwin) darwin ;;
	*) die "no package for $(go env GOOS) hosts: build the Windows package on Linux with make package-windows" ;;
	esac
	;;
*)
	echo "usage: scripts/package.sh linux|windows|darwin|host" >&2
	exit 2
	;;
esac
