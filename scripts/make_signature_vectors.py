#!/usr/bin/env python3
"""Writes AK/SK signature test vectors made by Huawei's own signer.

Run with the SDK's virtual environment (made by `make setup`):

    .venv-sdk/bin/python scripts/make_signature_vectors.py > crates/server/tests/data/signature_vectors.json

Each vector is a request exactly as the official `huaweicloudsdkcore` Signer signs it (fixed
X-Sdk-Date, so the output is reproducible). The server's tests verify every one, and check that
a changed body, a stale date and a wrong secret are refused.
"""

import base64
import json
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

AK, SK = "VLOCRTESTAK0000000001", "vlocr-test-secret-key-0000000000000000001"
HOST = "127.0.0.1:8080"


def vector(name, method, path, query, headers, body):
    request = SdkRequest(method=method, schema="http", host=HOST, resource_path=path,
                         query_params=list(query), header_params=dict(headers), body=body)
    Signer(BasicCredentials(AK, SK, "project")).sign(request)
    raw = request.body or b""
    if isinstance(raw, str):
        raw = raw.encode()
    query_string = request.uri.split("?", 1)[1] if "?" in request.uri else ""
    return {"name": name, "method": method, "path": path, "query": query_string,
            "headers": {k: v for k, v in request.header_params.items()},
            "body_base64": base64.b64encode(raw).decode()}


def main():
    body = json.dumps({"image": base64.b64encode(b"\xff\xd8 not really a jpeg").decode(),
                       "side": "front", "return_issuing_authority": True}).encode()
    sdk_headers = {"Content-Type": "application/json;charset=UTF-8",
                   "User-Agent": "huaweicloud-usdk-python/3.0", "X-Project-Id": "0123456789abcdef",
                   "X-Sdk-Date": "20261125T151425Z"}
    vectors = [
        vector("sdk recognize", "POST", "/v2/0123456789abcdef/ocr/vehicle-license", [],
               sdk_headers, body),
        vector("query and odd path", "POST", "/v2/proj%20x~1/ocr/vehicle-license",
               [("b", "two words"), ("a", "1/2"), ("c", ["y", "x"])],
               dict(sdk_headers, **{"X-Sdk-Date": "20260101T000000Z"}), body),
        vector("empty body", "GET", "/v2/p/ocr/vehicle-license", [],
               {"X-Sdk-Date": "20261125T151425Z", "Content-Type": "application/json"}, b""),
        vector("unsigned payload", "POST", "/v2/p/ocr/vehicle-license", [],
               {"X-Sdk-Date": "20261125T151425Z", "Content-Type": "application/octet-stream"},
               b"\x00\x01binary"),
    ]
    json.dump({"access_key": AK, "secret_key": SK, "vectors": vectors}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
