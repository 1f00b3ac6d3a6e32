#!/usr/bin/env bash
# The test command: set-up (idempotent), then every test. Fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export REPLYTENSOR_PYTHON="$PWD/.venv/bin/python"
swift build --build-tests
swift test --skip-build 2>&1 | tee .build/test-output.txt
