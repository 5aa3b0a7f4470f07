#!/bin/sh
# Installs what the demo page's browser test needs: Debian's Chromium (when missing; needs root
# and apt-get) and playwright-core from npm into tests/browser/node_modules (pinned by
# tests/browser/package-lock.json). Idempotent.
set -eu
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "chromium missing: install the Debian package chromium (as root: apt-get install chromium)" >&2
        exit 1
    fi
    echo "installing chromium (Debian package), for the demo page's browser test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
if ! command -v npm >/dev/null; then
    echo "npm missing: install Node.js and npm (Debian packages nodejs, npm)" >&2
    exit 1
fi
STAMP=tests/browser/node_modules/.package-lock.json
if [ -f "$STAMP" ] && [ "$STAMP" -nt tests/browser/package-lock.json ]; then
    exit 0
fi
echo "installing playwright-core into tests/browser/node_modules"
npm ci --prefix tests/browser --no-audit --no-fund --silent
