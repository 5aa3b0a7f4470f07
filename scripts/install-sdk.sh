#!/bin/sh
# Makes .venv-sdk: a Python virtual environment with the official Huawei Cloud SDK
# (scripts/sdk-requirements.txt), used by the server's integration test. Idempotent: does
# nothing when the pinned versions are already installed.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=.venv-sdk
STAMP="$VENV/.requirements"
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && cmp -s scripts/sdk-requirements.txt "$STAMP"; then
    exit 0
fi
echo "setting up $VENV (huaweicloudsdkocr, for the server's integration test)"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r scripts/sdk-requirements.txt
cp scripts/sdk-requirements.txt "$STAMP"
