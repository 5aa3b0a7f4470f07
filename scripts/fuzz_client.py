"""The client side of scripts/fuzz_service.py: answers checked against Huawei's error table,
requests sent raw or with http.client, images and AK/SK signatures made up, the server process
with its RSS sampled, and a /health/live probe in a process of its own. Standard library only.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "fuzz-token-6b1f0c"
AK, SK = "FUZZAK", "fuzz-secret-key-93d2"
PATH = "/v2/fuzz/ocr/vehicle-license"
HEADER_TIMEOUT = 1.0
SHUTDOWN_TIMEOUT = 8.0

# Huawei's table (../shared/docs/huawei-api.md), with the HTTP statuses vlocr answers them with.
DOCUMENTED = {
    (400, "AIS.0101"), (414, "AIS.0101"), (431, "AIS.0101"),
    (400, "AIS.0102"), (400, "AIS.0103"), (400, "AIS.0104"), (500, "AIS.0105"),
    (401, "ModelArts.4101"), (401, "ModelArts.0203"), (401, "APIG.0301"),
    (413, "ModelArts.4104"), (408, "ModelArts.4104"), (400, "ModelArts.4105"),
    (429, "ModelArts.4401"), (504, "ModelArts.4402"), (400, "ModelArts.4601"),
    (400, "ModelArts.4603"), (404, "APIG.0101"), (429, "APIG.0308"),
}


class Failures:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
        self.answers = 0
        self.codes = {}

    def add(self, what):
        with self.lock:
            if len(self.items) < 200:
                self.items.append(what)

    def count(self, key):
        with self.lock:
            self.answers += 1
            self.codes[key] = self.codes.get(key, 0) + 1


FAIL = Failures()


# ---------------------------------------------------------------- answers


def parse_response(raw):
    """(status, headers dict, body bytes) of one raw HTTP/1.1 response, or None."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    length = int(headers.get("content-length", len(body)))
    return status, headers, body[:length]


def check_answer(what, status, headers, body, expect=None):
    """Records a failure unless the answer is 200 with a result or a documented JSON error."""
    if "x-request-id" not in headers:
        FAIL.add(f"{what}: {status} without X-Request-Id")
    try:
        value = json.loads(body)
    except ValueError:
        FAIL.add(f"{what}: {status} body is not JSON: {body[:80]!r}")
        return None
    if status == 200:
        FAIL.count((200, ""))
        if not isinstance(value, dict) or "result" not in value and "status" not in value:
            FAIL.add(f"{what}: 200 without result")
        return (200, "")
    code = value.get("error_code") if isinstance(value, dict) else None
    key = (status, code)
    FAIL.count(key)
    if key not in DOCUMENTED:
        FAIL.add(f"{what}: undocumented answer {key}")
    if expect is not None and code not in expect and status not in expect:
        FAIL.add(f"{what}: expected {expect}, got {key}")
    return key


def raw_exchange(port, data, timeout=15.0, read_until_close=True):
    """Sends raw bytes, returns what comes back until the server closes or a response is whole."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, OSError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            parsed = parse_response(b"".join(chunks))
            if parsed and len(parsed[2]) >= int(parsed[1].get("content-length", 1 << 30)):
                if not read_until_close:
                    break
        return b"".join(chunks)


def request(port, body, headers=None, path=PATH, method="POST", timeout=60.0, what="request",
            expect=None):
    """Sends one request on a fresh connection and checks its answer (see check_answer). The
    token and JSON content type are sent unless `headers` names them; a header given as None is
    left out; a `Host` given replaces the default one (for signatures)."""
    sent = {"Content-Type": "application/json", "X-Auth-Token": TOKEN}
    sent.update(headers or {})
    sent = {k: v for k, v in sent.items() if v is not None}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_host="Host" in sent)
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        return check_answer(what, response.status,
                            {k.lower(): v for k, v in response.getheaders()}, data, expect)
    except (OSError, http.client.HTTPException) as error:
        FAIL.add(f"{what}: no answer ({error!r})")
        return None
    finally:
        connection.close()


def health_ms(port):
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/health/live")
        response = connection.getresponse()
        response.read()
        return (time.perf_counter() - start) * 1e3 if response.status == 200 else float("inf")
    except OSError:
        return float("inf")
    finally:
        connection.close()


# ---------------------------------------------------------------- images and signatures


def png(width, height, depth=8, color=2, fill=b"\x80"):
    """A PNG of one colour (compresses to almost nothing at any size)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    row = b"\x00" + fill * (width * channels * depth // 8)
    compressor = zlib.compressobj(6)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def body_of(image_bytes, **extra):
    return json.dumps({"image": base64.b64encode(image_bytes).decode(), **extra}).encode()


def sign(method, path, body, date):
    """An SDK-HMAC-SHA256 Authorization header (the official signer's algorithm)."""
    headers = {"content-type": "application/json", "host": "127.0.0.1", "x-sdk-date": date}
    signed = sorted(headers)
    canonical = "\n".join([
        method, path if path.endswith("/") else path + "/", "",
        "".join(f"{h}:{headers[h]}\n" for h in signed), ";".join(signed),
        hashlib.sha256(body).hexdigest(),
    ])
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(SK.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return (f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders={';'.join(signed)}, "
            f"Signature={signature}")


# ---------------------------------------------------------------- the server


class Server:
    def __init__(self, binary, extra):
        self.log = tempfile.NamedTemporaryFile(prefix="vlocr-fuzz-", suffix=".log", delete=False)
        command = [binary, "serve", "--listen", "127.0.0.1:0", "--workers", "2", "--queue", "6",
                   "--auth-tokens", TOKEN, "--auth-keys", f"{AK}:{SK}",
                   "--header-timeout", str(HEADER_TIMEOUT),
                   "--shutdown-timeout", str(SHUTDOWN_TIMEOUT),
                   "--url-allow", "127.0.0.2", "--url-timeout", "3", *extra]
        env = {k: v for k, v in os.environ.items() if not k.startswith("VLOCR_")}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log,
                                        text=True, cwd=ROOT, env=env)
        line = self.process.stdout.readline()
        if not line.startswith("vlocr listening on http://"):
            raise SystemExit(f"server did not start: {line!r}")
        self.port = int(line.strip().rsplit(":", 1)[1])
        self.peak_rss_mb = 0.0
        self.sampling = True
        threading.Thread(target=self._sample, daemon=True).start()
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/health/ready")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)

    def _sample(self):
        while self.sampling and self.process.poll() is None:
            try:
                with open(f"/proc/{self.process.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            self.peak_rss_mb = max(self.peak_rss_mb, int(line.split()[1]) / 1024)
            except OSError:
                return
            time.sleep(0.05)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        self.sampling = False
        if self.alive():
            self.process.kill()
            self.process.wait()

    def log_text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as log:
            return log.read()


PROBE = r"""
import http.client, sys, time
port, worst = int(sys.argv[1]), 0.0
while sys.stdin.readline():
    start = time.perf_counter()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/health/live")
        ok = c.getresponse().status == 200
    except OSError:
        ok = False
    elapsed = (time.perf_counter() - start) * 1e3 if ok else float("inf")
    print(elapsed, flush=True)
"""


class HealthProbe:
    """Times /health/live every 100 ms from a process of its own (this one's threads would
    otherwise delay it: they share one interpreter lock)."""

    def __init__(self, port):
        self.process = subprocess.Popen([sys.executable, "-c", PROBE, str(port)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.latencies = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.done.is_set():
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.latencies.append(float(self.process.stdout.readline()))
            time.sleep(0.1)

    def stop(self):
        self.done.set()
        self.thread.join()
        self.process.stdin.close()
        self.process.wait()
        return max(self.latencies, default=float("inf"))
