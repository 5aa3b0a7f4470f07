#!/bin/sh
# Sends an image to a running `vlocr serve` (default http://127.0.0.1:8080) and prints the
# Huawei response body. Usage: scripts/demo-request.sh IMAGE [ENDPOINT]
set -eu
IMAGE=${1:?usage: scripts/demo-request.sh IMAGE [ENDPOINT]}
ENDPOINT=${2:-http://127.0.0.1:8080}
{ printf '{"image":"'; base64 -w0 "$IMAGE"; printf '","side":"front","return_issuing_authority":true}'; } |
    curl -sS -H 'Content-Type: application/json' --data-binary @- \
        "$ENDPOINT/v2/demo/ocr/vehicle-license"
echo
