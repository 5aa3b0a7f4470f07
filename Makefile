# The one entry point for developers and CI. `make demo` and `make test` do all the set-up.
CARGO ?= cargo
PYTHON ?= python3

.PHONY: setup setup-gpu demo example test check bench compare report models-check soak

## Install ONNX Runtime and the PP-OCR models (idempotent, verified by SHA-256), the fonts
## the synthetic-license renderer uses (Debian packages, only when missing), the official
## Huawei SDK in .venv-sdk for the server's integration test, and Chromium with playwright-core
## for the demo page's browser test.
setup:
	$(PYTHON) models/fetch.py
	scripts/install-fonts.sh
	PYTHON=$(PYTHON) scripts/install-sdk.sh
	scripts/install-browser.sh

## For `--device cuda`: the GPU build of ONNX Runtime and the CUDA 13 / cuDNN 9 libraries its
## CUDA execution provider loads (models/manifest-gpu.toml: about 1.5 GB of PyPI wheels, 2.3 GB
## unpacked, pinned and hash-checked like the models). The NVIDIA driver is the host's.
setup-gpu: setup
	$(PYTHON) models/fetch.py --gpu

## Set up, build, and serve the API on 127.0.0.1:8080 (no credentials: loopback only).
## Try it: scripts/demo-request.sh examples/synthetic-front.png
demo: setup
	$(CARGO) build --release --quiet -p vlocr-cli
	@echo "try: scripts/demo-request.sh examples/synthetic-front.png   (Ctrl-C stops the server)"
	./target/release/vlocr serve

## Read the fields of the bundled synthetic example from the command line.
example: setup
	$(CARGO) run --release --quiet -p vlocr-cli -- recognize --return-issuing-authority --return-text-location examples/synthetic-front.png

## Set up, then the whole suite: formatting, lints, API docs, unit, integration and CLI tests.
test: setup
	$(CARGO) fmt --all --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --release --workspace --no-deps --quiet
	VLOCR_REQUIRE_MODELS=1 $(CARGO) test --release --workspace

## The service's long fuzz and soak run: >= 100,000 fuzzed requests and a 10-minute mixed load at
## twice capacity, besides everything the short form in `make test` does (scripts/fuzz_service.py).
soak: setup
	$(CARGO) build --release --quiet -p vlocr-cli
	$(PYTHON) scripts/fuzz_service.py --soak --binary target/release/vlocr

## Criterion benches (pre/post-processing, CTC, whole OCR on the example).
bench: setup
	$(CARGO) bench

## vlocr next to the Python RapidOCR package on the same images (see scripts/compare_rapidocr.py).
compare: setup
	$(PYTHON) scripts/compare_rapidocr.py

## The committed reference report: 300 synthetic images (front, back and both pages; scans, photos
## and hard photos, fixed seed) plus the shared real images when ../shared is present.
REAL_IMAGES := $(wildcard ../shared/data/real)
report: setup
	$(CARGO) build --release --quiet -p vlocr-cli
	rm -rf target/reference-set
	./target/release/vlocr synth --out target/reference-set --count 300 --seed 2026 --side mixed --difficulty mixed
	./target/release/vlocr eval target/reference-set $(REAL_IMAGES) --json reports/reference.json | tee reports/reference.txt
