#!/bin/bash
# Syscalls parlanced makes per answer: N two-token answers sent one after the
# other through `parlanced serve --demo-provider` (POST, then the SSE stream
# read to `done`), counted with `strace -c -f` on the whole process.
# Usage: bench/streaming/syscalls-per-answer.sh BUILD_DIR OUT_FILE [N] [SIM_PORT] [PORT]
# (docs/benchmarks-streaming.md, "Upstream HTTP client instead of QNetworkAccessManager")
set -u
B=$1; OUT=$2; N=${3:-20}; SP=${4:-18951}; PP=${5:-18952}
W=$(mktemp -d)
"$B/tools/parlance-provider-sim" --listen 127.0.0.1:$SP > "$W/sim.log" 2>&1 & SIM=$!
trap 'kill $SIM ${P:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
sleep 0.5
PARLANCE_JWT_KEY="base64:$(head -c 48 /dev/urandom | base64 -w0)" QT_NO_GLIB=1 \
    "$B/backend/parlanced" serve --listen 127.0.0.1:$PP --data-dir "$W/data" \
    --demo-provider http://127.0.0.1:$SP > "$W/parlanced.log" 2>&1 & P=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:$PP/ && break; sleep 0.2; done
API=http://127.0.0.1:$PP/api/v1
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
TOKEN=$(curl -s -H 'content-type: application/json' \
    -d '{"email":"syscalls@example.com","password":"syscalls-Password-1234"}' \
    $API/auth/register | json access_token)
CONV=$(curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d '{"title":"syscalls","model":"demo"}' $API/conversations | json id)
send() {
    local url
    url=$(curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
        -d '{"content":[{"type":"text","text":"[[sim: tokens=2]] hi"}]}' \
        $API/conversations/$CONV/messages | json stream_url)
    curl -s -N -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PP$url" > "$W/last.sse"
}
send # warm-up: first connections, first statements
sleep 0.3
strace -c -f -p $P -o "$OUT" 2>/dev/null & ST=$!
sleep 0.5
for _ in $(seq "$N"); do send; done
sleep 0.5
kill -INT $ST; wait $ST 2>/dev/null
echo "parlanced threads: $(ls /proc/$P/task | wc -l); last stream ended with: $(grep -A1 'event: done' "$W/last.sse" | tail -1)"
head -20 "$OUT"
