#!/usr/bin/env bash
# make deps: install what the build and the tests need on Debian 12, and unpack
# the arm64 builds of the prebuilt libraries into build/sysroot/aarch64.
# Idempotent: when everything is present it only checks (a second or so).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}

# Build-host packages (amd64).  qemu-system-data carries qboot.rom.
host_pkgs=(
	make gcc binutils gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	qemu-system-x86 qemu-system-arm qemu-system-data
	picolibc-aarch64-linux-gnu
	libcmocka-dev libfdt-dev libmbedtls-dev libtpms-dev zlib1g-dev libssl-dev
	clang lld llvm libclang-rt-14-dev
)
# Debian packages whose arm64 build is downloaded and unpacked, never installed.
arm64_pkgs=(libfdt-dev libmbedtls-dev libtpms-dev zlib1g-dev)

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${host_pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	as_root apt-get update -q >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# The arm64 sysroot: lib/*.a and include/ from the arm64 .debs.
sysroot=$build/sysroot/aarch64
stamp=$sysroot/.complete
want="${arm64_pkgs[*]}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	echo "deps: unpacking arm64 ${arm64_pkgs[*]} into $sysroot"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		as_root dpkg --add-architecture arm64
		as_root apt-get update -q >/dev/null
	fi
	dl=$(mktemp -d)
	trap 'rm -rf "$dl"' EXIT
	pkgs=()
	for p in "${arm64_pkgs[@]}"; do pkgs+=("$p:arm64"); done
	if ! (cd "$dl" && apt-get download -q "${pkgs[@]}" >/dev/null 2>&1); then
		as_root apt-get update -q >/dev/null
		(cd "$dl" && apt-get download -q "${pkgs[@]}" >/dev/null 2>&1)
	fi
	rm -rf "$sysroot" "$dl/root"
	for deb in "$dl"/*.deb; do dpkg -x "$deb" "$dl/root"; done
	mkdir -p "$sysroot/lib" "$sysroot/include"
	cp "$dl"/root/usr/lib/aarch64-linux-gnu/*.a "$sysroot/lib/"
	cp -r "$dl"/root/usr/include/. "$sysroot/include/"
	echo "$want" >"$stamp"
fi

# The x86_64 sysroot: only the libraries' own headers and archives, so the
# image never sees the build host's glibc headers.
x86=$build/sysroot/x86_64
if [ ! -f "$x86/.complete" ]; then
	mkdir -p "$x86/lib" "$x86/include"
	for h in libfdt.h libfdt_env.h fdt.h zlib.h zconf.h mbedtls psa libtpms; do
		ln -sfn "/usr/include/$h" "$x86/include/$h"
	done
	for a in libfdt.a libmbedcrypto.a libz.a libtpms.a; do
		ln -sfn "/usr/lib/x86_64-linux-gnu/$a" "$x86/lib/$a"
	done
	touch "$x86/.complete"
fi

# Print the versions found, one line.
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
echo "deps: gcc $(ver gcc) qemu $(ver qemu-system-x86) picolibc $(ver picolibc-aarch64-linux-gnu)" \
	"libfdt $(ver libfdt-dev) mbedtls $(ver libmbedtls-dev) libtpms $(ver libtpms-dev)" \
	"zlib $(ver zlib1g-dev) cmocka $(ver libcmocka-dev)"
