-- wrk script: POSTs one recognition request (body from the file named by VLOCR_WRK_BODY) with a
-- token (wrk itself reports answers other than 2xx). Cross-checks scripts/load_bench.py:
--   VLOCR_WRK_BODY=/tmp/body.json wrk -t2 -c8 -d20s --latency -s scripts/wrk-recognize.lua \
--       http://127.0.0.1:PORT/v2/bench/ocr/vehicle-license
local file = assert(io.open(os.getenv("VLOCR_WRK_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Auth-Token"] = os.getenv("VLOCR_WRK_TOKEN") or "load-bench-token"
