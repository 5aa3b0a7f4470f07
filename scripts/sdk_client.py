#!/usr/bin/env python3
"""Calls a vlocr server the way existing Huawei Cloud clients do, and prints what they get.

    .venv-sdk/bin/python scripts/sdk_client.py --endpoint http://127.0.0.1:8080 \
        --ak AK --sk SK --token TOKEN [--back BACK_IMAGE]... [--electronic SCREEN]... IMAGE...

Each IMAGE is sent as a main page (side front), each BACK_IMAGE as a back page, each SCREEN (an
electronic license) as a main page with `recognize_electronic_license`. For each: the
official SDK (`huaweicloudsdkocr`, AK/SK signature) and, with --token, raw
HTTP with `X-Auth-Token`. Prints one JSON line per call: {"client", "file", "status",
"result" or "error_code"}. Used by the server's integration test (crates/cli/tests/serve.rs).
"""

import argparse
import base64
import json
import sys
import urllib.error
import urllib.request

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkocr.v1 import OcrClient, RecognizeVehicleLicenseRequest, VehicleLicenseRequestBody


def sdk_call(endpoint, ak, sk, project, image_b64, side, electronic=False):
    client = (OcrClient.new_builder()
              .with_credentials(BasicCredentials(ak, sk, project))
              .with_endpoints([endpoint])
              .build())
    body = VehicleLicenseRequestBody(image=image_b64, side=side, return_issuing_authority=True,
                                     return_text_location=True, alarm=True,
                                     recognize_electronic_license=electronic or None)
    try:
        response = client.recognize_vehicle_license(RecognizeVehicleLicenseRequest(body=body))
    except exceptions.ClientRequestException as error:
        return {"status": error.status_code, "error_code": error.error_code,
                "request_id": error.request_id}
    result = response.result.to_dict()
    return {"status": response.status_code, "result": result,
            "request_id": response.x_request_id if hasattr(response, "x_request_id") else None}


def raw_call(endpoint, token, project, image_b64, side, electronic=False):
    body = {"image": image_b64, "side": side}
    if electronic:
        body["recognize_electronic_license"] = True
    data = json.dumps(body).encode()
    request = urllib.request.Request(f"{endpoint}/v2/{project}/ocr/vehicle-license", data=data,
                                     headers={"Content-Type": "application/json",
                                              "X-Auth-Token": token}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.load(response)
            return {"status": response.status, "result": body["result"],
                    "request_id": response.headers.get("X-Request-Id")}
    except urllib.error.HTTPError as error:
        body = json.load(error)
        return {"status": error.code, "error_code": body.get("error_code"),
                "request_id": error.headers.get("X-Request-Id")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ak", required=True)
    parser.add_argument("--sk", required=True)
    parser.add_argument("--token")
    parser.add_argument("--project", default="0123456789abcdef0123456789abcdef")
    parser.add_argument("--back", action="append", default=[], help="a back page's image")
    parser.add_argument("--electronic", action="append", default=[],
                        help="an electronic license's screen")
    parser.add_argument("images", nargs="*")
    args = parser.parse_args()
    pages = ([(path, "front", False) for path in args.images]
             + [(path, "back", False) for path in args.back]
             + [(path, "front", True) for path in args.electronic])
    for path, side, electronic in pages:
        with open(path, "rb") as f:
            image_b64 = base64.b64encode(f.read()).decode()
        calls = [("sdk", lambda: sdk_call(args.endpoint, args.ak, args.sk, args.project,
                                          image_b64, side, electronic))]
        if args.token:
            calls.append(("raw", lambda: raw_call(args.endpoint, args.token, args.project,
                                                  image_b64, side, electronic)))
        calls.append(("sdk-wrong-sk", lambda: sdk_call(args.endpoint, args.ak, args.sk + "x",
                                                        args.project, image_b64, side)))
        for name, call in calls:
            line = dict(client=name, file=path, **call())
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
