#!/usr/bin/env bash
# Per-call time of W1 (url "sample.jpg", width 300, height 200, crop fill) through the
# Ruby and Kotlin bindings (release build of the library) and, when the virtualenv of
# bindings-python/ci.sh exists ($CLDKIT_VENV, else /tmp/cldkit-venv), through the Python
# binding installed there. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(pwd)/target}"
export CLDKIT_UNIFFI_PROFILE=release
N="${N:-200000}"

cargo build --quiet --release -p cldkit-uniffi --lib
CLDKIT_UNIFFI_LIB="$CARGO_TARGET_DIR/release/libcldkit_uniffi.so" ruby -Ibindings-uniffi/ruby/lib -e '
  require "cldkit"
  n = Integer(ARGV[0])
  c = Cldkit::Client.from_url("cloudinary://k:s@demo?analytics=false")
  3.times do |r|
    t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    n.times { c.url("sample.jpg", width: 300, height: 200, crop: "fill") }
    printf("ruby W1 round %d: %.0f ns/call\n", r + 1, (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t) * 1e9 / n)
  end' "$((N / 4))"

read -r CP LIBDIR < <(bindings-uniffi/kotlin/build.sh)
java -Djna.library.path="$LIBDIR" -cp "$CP" io.cldkit.test.BenchKt "$N"

VENV="${CLDKIT_VENV:-/tmp/cldkit-venv}"
if [ -x "$VENV/bin/python" ]; then
    "$VENV/bin/python" -c '
import sys, timeit, cldkit
n = int(sys.argv[1])
c = cldkit.Client(cloud_name="demo", api_key="k", api_secret="s", analytics=False)
print("python W1:", c.url("sample.jpg", width=300, height=200, crop="fill"))
for r in range(3):
    t = timeit.timeit(lambda: c.url("sample.jpg", width=300, height=200, crop="fill"), number=n)
    print("python W1 round %d: %.0f ns/call" % (r + 1, t * 1e9 / n))' "$N"
else
    echo "no Python virtualenv at $VENV (run bindings-python/ci.sh): Python skipped"
fi
