#!/usr/bin/env bash
# Part of `npm test`: makes sure what the tests need outside node_modules is on this machine, so
# `npm install && npm test` passes on a new one. Quick when everything is there (no network).
#  - Debian's Chromium and Noto CJK fonts for the browser tests (playwright-core drives the system
#    Chromium; it downloads no browser of its own). Installed with apt-get when run as root.
#  - The embedded FerretDB, built once from the Go module proxy into ~/.cache/sagak (needs Go).
# Set CHROMIUM_PATH to use another Chromium; TEST_MONGODB_URI skips the FerretDB build.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium_path" ] || missing+=(chromium)
# fc-list with a family pattern prints only the matching fonts: no pipeline, so no SIGPIPE under
# pipefail (`fc-list | grep -q` failed whenever grep quit first) and the same answer every run.
if [ -z "$(fc-list 'Noto Sans CJK KR' family 2>/dev/null || true)" ]; then missing+=(fonts-noto-cjk); fi

if [ "${#missing[@]}" -gt 0 ]; then
  if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$chromium_path" ]; then
    echo "ensure-test-env: CHROMIUM_PATH=$chromium_path is not an executable; fix it or unset it to use Debian's chromium" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-env: installing ${missing[*]} with apt-get (once; the browser tests need them)" >&2
    if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null; }; then
      echo "ensure-test-env: apt-get could not install ${missing[*]}; install them by hand (apt-get install ${missing[*]}) or set CHROMIUM_PATH" >&2
      exit 1
    fi
  else
    echo "ensure-test-env: the browser tests need ${missing[*]} and this user cannot install them." >&2
    echo "  Run once as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "  (or set CHROMIUM_PATH to a Chromium/Chrome binary; the fonts make screenshots readable)" >&2
    exit 1
  fi
fi

if [ -z "${TEST_MONGODB_URI:-}" ] && ! node_modules/.bin/tsx src/store/embedded/build-cli.ts >/dev/null; then
  echo "ensure-test-env: the tests need the embedded FerretDB (see above), or TEST_MONGODB_URI=mongodb://… to run them against a MongoDB server" >&2
  exit 1
fi
