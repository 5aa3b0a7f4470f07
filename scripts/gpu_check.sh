#!/usr/bin/env bash
# The GPU check (a measurement, not a test), for a machine with an NVIDIA GPU, its driver, and
# what `make setup-gpu` installs:
#
#     scripts/gpu_check.sh IMAGES_DIR [OUT_DIR]
#
# IMAGES_DIR holds images with truth files (`vlocr synth --out DIR ...` makes them). Each step is
# bounded, and its output lands in OUT_DIR (default gpu-check/) as it is made:
#   1. the GPU and driver (nvidia-smi);
#   2. `vlocr eval` on the GPU and on the CPU: accuracy, p50/p95 one image at a time, where the
#      time went;
#   3. `vlocr recognize --jsonl` on both: whether the answers are the same, word for word;
#   4. `scripts/load_bench.py` on the GPU at 1, 4, 16 and 32 clients (main pages, `--side front`).
# Environment: VLOCR (the binary; default target/release/vlocr), STEP_SECONDS (each step's limit,
# default 150), and VLOCR_MODELS_DIR / VLOCR_ORT_LIBRARY / LD_LIBRARY_PATH as for `vlocr`.
set -u
images=${1:?usage: scripts/gpu_check.sh IMAGES_DIR [OUT_DIR]}
out=${2:-gpu-check}
vlocr=${VLOCR:-target/release/vlocr}
limit=${STEP_SECONDS:-150}
mkdir -p "$out"
step() { echo "== $*" | tee -a "$out/summary.txt"; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
  | tee -a "$out/summary.txt"
nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv,noheader -l 1 \
  > "$out/gpu-usage.csv" 2>/dev/null &
sampler=$!
trap 'kill $sampler 2>/dev/null' EXIT
for device in cuda cpu; do
  step "eval on $device"
  timeout "$limit" "$vlocr" eval "$images" --device "$device" --json "$out/eval-$device.json" \
    > "$out/eval-$device.txt" 2>&1
  status=$?
  [ "$device" = cuda ] && cuda_status=$status
  echo "exit $status" >> "$out/eval-$device.txt"
  grep -E "^all|^latency|^per image|^exit|^error" "$out/eval-$device.txt" | tee -a "$out/summary.txt"
  step "recognize on $device"
  timeout "$limit" "$vlocr" recognize --side auto --jsonl --device "$device" "$images" \
    > "$out/answers-$device.jsonl" 2> "$out/answers-$device.err"
  echo "exit $?" | tee -a "$out/summary.txt"
done
if cmp -s "$out/answers-cuda.jsonl" "$out/answers-cpu.jsonl"; then
  step "answers: the same on both devices"
else
  step "answers: they differ (diff $out/answers-cuda.jsonl $out/answers-cpu.jsonl)"
fi
if [ "$cuda_status" != 0 ]; then
  step "no load on cuda: the GPU did not read (eval-cuda.txt says why)"
  exit 1
fi
step "load on cuda"
VLOCR_DEVICE=cuda timeout $((limit * 2)) python3 "$(dirname "$0")/load_bench.py" \
  --binary "$vlocr" --images "$images" --levels 1,4,16,32 --seconds 10 --overload-seconds 0 \
  --json "$out/load-cuda.json" | tee -a "$out/summary.txt"
