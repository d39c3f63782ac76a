#!/usr/bin/env bash
# `npm run test:clock`: the whole test suite with the machine's clock shifted a year ahead, then a
# year back (Debian's faketime shifts every process of the run: node, the CLI children, Chromium;
# FerretDB is a Go binary that reads the clock without libc, so it keeps the real time, which no
# test depends on). Passing both shows that no test depends on the day it runs.
# `npm run test:clock -- +30d` runs other offsets. Not part of `npm test` (it runs the suite twice); run it after touching anything with a clock.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-clock: installing faketime with apt-get (once)" >&2
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq faketime >/dev/null
  else
    echo "test-clock: needs faketime; run once as root: apt-get update && apt-get install -y faketime" >&2
    exit 1
  fi
fi

bash scripts/ensure-test-env.sh
# Monotonic clocks stay real: timers and timeouts keep their length, only the date moves.
export FAKETIME_DONT_FAKE_MONOTONIC=1
offsets=("$@")
[ "${#offsets[@]}" -gt 0 ] || offsets=(+365d -365d)
failed=()
for offset in "${offsets[@]}"; do
  echo "test-clock: the whole suite with the clock at ${offset} ($(faketime -f "$offset" date -u +%FT%TZ))" >&2
  faketime -f "$offset" node_modules/.bin/mocha || failed+=("$offset")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "test-clock: the suite failed with the clock at ${failed[*]}" >&2
  exit 1
fi
echo "test-clock: the suite passed at every offset (${offsets[*]})" >&2
