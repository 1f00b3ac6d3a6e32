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

swift test --skip-build 2>&1 | tee .build/test-output.txt
