#!/usr/bin/env bash
# Measures `cldkit sync` at scale against the local emulator (issue 21): a first sync
# of N small files, then a re-sync after 1% of them changed. Prints, for each run, the
# wall time, the peak RSS of the sync process and the Admin API calls it spent.
#
# Usage: scripts/sync-scale.sh [N]   (default 100000; release build of the CLI)
# Env:   CARGO_TARGET_DIR (default target/), WORK (default a temporary directory),
#        CLDKIT_BIN (a release `cldkit` to use as it is, instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${CLDKIT_BIN:-}" ]; then
    cargo build --quiet --release -p cldkit-cli
fi
BIN="${CLDKIT_BIN:-$CARGO_TARGET_DIR/release/cldkit}"
WORK="${WORK:-$(mktemp -d /tmp/cldkit-sync-scale.XXXXXX)}"
DIR="$WORK/files"
mkdir -p "$DIR" "$WORK/emulator"

echo "creating $N files under $DIR"
python3 - "$DIR" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"d{i // 1000:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.txt"), "w") as f:
        f.write(f"file {i}\n")
PY

# A generous hourly budget: the listing of N assets takes N/500 pages per type.
"$BIN" serve --data "$WORK/emulator" --hourly-budget 100000 > "$WORK/serve.out" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 600); do grep -q 'cloudinary://' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
CLOUDINARY_URL="$(grep -m1 -o 'cloudinary://.*' "$WORK/serve.out" || true)"
if [ -z "$CLOUDINARY_URL" ]; then
    echo "the emulator did not start:" >&2
    cat "$WORK/serve.out" >&2
    exit 1
fi
export CLOUDINARY_URL

run() {
    local label="$1"
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" \
        "$BIN" sync "$DIR" --folder scale --journal "$WORK/journal.sqlite" --concurrency 16 \
        > "$WORK/report.json"
    read -r secs rss_kb < "$WORK/time.txt"
    python3 - "$WORK/report.json" "$label" "$secs" "$rss_kb" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
label, secs, rss = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
counts = {k: len(r[k]) for k in ("uploaded", "updated", "deleted", "unchanged", "failed")}
# The CLI gives the unchanged files' number, not their ids (unless --unchanged-ids).
counts["unchanged"] = r.get("unchanged_count", counts["unchanged"])
print(f"{label}: {secs:.1f} s, peak RSS {rss / 1024:.1f} MiB, admin calls {r['admin_calls']}, {counts}")
PY
}

run "first sync"
python3 - "$DIR" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(0, n, 100):
    with open(os.path.join(root, f"d{i // 1000:03d}", f"f{i:06d}.txt"), "a") as f:
        f.write("changed\n")
PY
run "re-sync, 1% changed"
