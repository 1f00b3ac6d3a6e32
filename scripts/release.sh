#!/usr/bin/env bash
# Builds the release binary with the Swift standard library linked statically, then reports its size and the
# shared libraries (and the Debian packages that provide them) it still needs at run time.
# Output: .build/replytensor, stripped (copy it to the server; see README "Deploying").
set -euo pipefail
cd "$(dirname "$0")/.."
REPLYTENSOR_SKIP_PYTHON=1 scripts/setup.sh >/dev/null
swift build -c release --static-swift-stdlib --product replytensor
binary="$(swift build -c release --show-bin-path)/replytensor"
strip -o .build/replytensor "$binary"
echo "binary: .build/replytensor (stripped copy of $binary)"
echo "size: $(stat -c %s .build/replytensor) bytes stripped ($(du -h .build/replytensor | cut -f1)); $(stat -c %s "$binary") bytes with symbols"
echo "version: $(.build/replytensor --version)"
echo "runtime libraries (ldd) and their Debian packages:"
ldd .build/replytensor | awk '/=>/ {print $3}' | sort -u | while read -r lib; do
  package=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1 || true)
  [ -n "$package" ] || package=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
  echo "  $lib  ${package:-?}"
done
echo "direct packages to install on the server: libcurl4 libsqlite3-0 libsodium23 ca-certificates"
