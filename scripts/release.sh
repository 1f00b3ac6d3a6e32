#!/usr/bin/env bash
# Builds the release binary with the Swift standard library linked statically, then reports its size and the
# shared libraries (and the Debian packages that provide them) it still needs at run time.
# Output: .build/release/replytensor (copy it to the server; see README "Deploying").
set -euo pipefail
cd "$(dirname "$0")/.."
REPLYTENSOR_SKIP_PYTHON=1 scripts/setup.sh >/dev/null
swift build -c release --static-swift-stdlib --product replytensor
binary="$(swift build -c release --show-bin-path)/replytensor"
strip -o .build/replytensor-stripped "$binary" 2>/dev/null || cp "$binary" .build/replytensor-stripped
echo "binary: $binary"
echo "size: $(stat -c %s "$binary") bytes ($(du -h "$binary" | cut -f1)); stripped: $(stat -c %s .build/replytensor-stripped) bytes"
echo "version: $("$binary" --version)"
echo "runtime libraries (ldd) and their Debian packages:"
ldd "$binary" | awk '/=>/ {print $3}' | sort -u | while read -r lib; do
  package=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1 || true)
  [ -n "$package" ] || package=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
  echo "  $lib  ${package:-?}"
done
echo "direct packages to install on the server: libcurl4 libsqlite3-0 libsodium23 ca-certificates"
