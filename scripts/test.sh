#!/usr/bin/env bash
# The test command: set-up (idempotent), then every test. Fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export REPLYTENSOR_PYTHON="$PWD/.venv/bin/python"
swift build --build-tests

# The systemd unit, checked against the built binary when systemd is installed.
if command -v systemd-analyze >/dev/null 2>&1; then
  unit_dir=$(mktemp -d)
  sed "s#/usr/local/bin/replytensor#$PWD/.build/debug/replytensor#g" config/replytensor.service \
    > "$unit_dir/replytensor.service"
  systemd-analyze verify "$unit_dir/replytensor.service"
  rm -rf "$unit_dir"
  echo "systemd-analyze verify config/replytensor.service: ok"
fi

# Swift Testing runs every test at once by default; on a 2-core machine the end-to-end tests (each a real bot process
# against emulators) then starve the timing-sensitive ones. Four at a time keeps the run short and the timings honest.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-4}"
swift test --skip-build 2>&1 | tee .build/test-output.txt
