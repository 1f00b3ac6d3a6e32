#!/usr/bin/env bash
# Installs what ReplyTensor needs to build and test: the C libraries (Debian packages) and the Python test oracles
# (bittensor 10.5.0, bittensor-wallet, py-sr25519-bindings, cyscale, oauthlib, twitter-text-parser,
# prometheus-client, python-telegram-bot — also the peer bot of `replytensor-bench telegram --peer`) in .venv, and
# PostgreSQL's server programs (the tests start a private cluster with initdb/pg_ctl; no system service is used).
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcurl4-openssl-dev libsqlite3-dev libsodium-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# PostgreSQL (Debian's `postgresql`, 15 on bookworm) when no initdb is on PATH or under /usr/lib/postgresql.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${REPLYTENSOR_SKIP_PYTHON:-0}" != "1" ]; then
  stamp=.venv/.requirements.sha256
  wanted=$(sha256sum scripts/python-requirements.txt | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "setup: creating .venv with the test oracles (scripts/python-requirements.txt)"
    rm -rf .venv
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r scripts/python-requirements.txt
    echo "$wanted" > "$stamp"
  fi
fi
echo "setup: ok"
