#!/usr/bin/env bash
# Builds the release artifacts of one platform into dist/, all at the one version in the
# workspace Cargo.toml (`[workspace.package] version`):
#
#   cldkit-<version>-cp39-abi3-<platform tag>.whl   Python (abi3, CPython >= 3.9; maturin)
#   cldkit-<version>.tar.gz                         Python sdist (builds with Rust)
#   cldkit-<version>.tgz                            npm main package (loader + JS + types)
#   cldkit-<platform>-<version>.tgz                 npm platform package (the .node module)
#   libcldkit-<version>-<triple>.tar.gz             C: lib/, include/, lib/pkgconfig/cldkit.pc
#   libcldkit_<version>_<arch>.deb                  C, as a Debian package (Linux gnu only)
#   cldkit-php-<version>-<triple>.zip               PHP, the Composer package cldkit/cldkit:
#                                                   composer.json (with the version), src/,
#                                                   include/cldkit.h, lib/<triple>/libcldkit.so
#                                                   (.dylib on macOS) from the C tarball
#
# Usage: scripts/dist.sh [all|python|node|c|composer]  (default: all; `all` empties dist/
#        first; `composer` packs the C tarball already in dist/, built first when absent)
#        scripts/dist.sh version                  print the version
#        scripts/dist.sh check-version            fail when a manifest disagrees with it
#        scripts/dist.sh sync-version             rewrite the npm manifests from it
#
# Env: TARGET      Rust target triple (default: the host). On Linux the build links with
#                  zig (PyPI `ziglang`, through `maturin zig cc`) against glibc 2.17, so the
#                  wheel is manylinux2014 and the .node / .so run on the same old systems;
#                  CLDKIT_DIST_ZIG=0 builds with the system toolchain instead.
#      DIST_DIR    output folder (default: dist/)
#      CARGO_TARGET_DIR  (default: target/); the build tools go to a venv in it
#                  ($CARGO_TARGET_DIR/dist-tools, or CLDKIT_DIST_VENV).
# Needs: cargo, python3, node + npm; make, tar and dpkg-deb for the C artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="${CLDKIT_DIST_ROOT:-$PWD}"   # another tree, for the version check's own test
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DIST="${DIST_DIR:-$ROOT/dist}"
TOOLS="${CLDKIT_DIST_VENV:-$CARGO_TARGET_DIR/dist-tools}"
MATURIN_VERSION=1.16.0
ZIGLANG_VERSION=0.17.1
GLIBC=2.17

step() { printf '\n== dist: %s\n' "$*"; }

version() {
  sed -n '/^\[workspace\.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml"
}

# Every manifest that carries a version: the crates inherit the workspace's, the Python
# package takes it from Cargo (dynamic), and the npm manifests must spell the same one.
# `sync` rewrites the npm manifests instead of failing.
versions() {
  python3 - "$ROOT" "$(version)" "$1" <<'EOF'
import json, pathlib, re, sys
root, version, mode = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
bad = []
if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
    bad.append(f"Cargo.toml: [workspace.package] version {version!r} is not semver")
members = re.search(r"members\s*=\s*\[([^\]]*)\]", (root / "Cargo.toml").read_text()).group(1)
for member in re.findall(r'"([^"]+)"', members):
    text = (root / member / "Cargo.toml").read_text()
    package = re.search(r"^\[package\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M).group(1)
    if not re.search(r"^version\.workspace\s*=\s*true", package, re.M):
        bad.append(f"{member}/Cargo.toml: [package] needs version.workspace = true")
pyproject = (root / "bindings-python/pyproject.toml").read_text()
project = re.search(r"^\[project\]\n(.*?)(?=^\[|\Z)", pyproject, re.S | re.M).group(1)
if re.search(r"^version\s*=", project, re.M) or not re.search(r'dynamic\s*=\s*\[[^\]]*"version"', project):
    bad.append('bindings-python/pyproject.toml: the version must be dynamic = ["version"] (from Cargo)')
node = root / "bindings-node"
TRIPLES = {  # napi-rs's platform names
    "x86_64-unknown-linux-gnu": "linux-x64-gnu", "aarch64-unknown-linux-gnu": "linux-arm64-gnu",
    "x86_64-unknown-linux-musl": "linux-x64-musl", "aarch64-unknown-linux-musl": "linux-arm64-musl",
    "x86_64-apple-darwin": "darwin-x64", "aarch64-apple-darwin": "darwin-arm64",
    "x86_64-pc-windows-msvc": "win32-x64-msvc", "aarch64-pc-windows-msvc": "win32-arm64-msvc",
}
pkg = json.loads((node / "package.json").read_text())
triples = pkg.get("napi", {}).get("triples", {}).get("additional", [])
names = {TRIPLES.get(t, f"unknown triple {t}") for t in triples}
dirs = {p.name for p in (node / "npm").iterdir() if p.is_dir()}
if names != dirs:
    bad.append(f"bindings-node/npm/: folders {sorted(dirs)} but napi.triples names {sorted(names)}")
manifests = [node / "package.json", node / "package-lock.json"] + sorted((node / "npm").glob("*/package.json"))
for path in manifests:
    data = json.loads(path.read_text())
    entries = [data]
    if path.name == "package-lock.json":
        entries.append(data.get("packages", {}).get("", {}))
    rel = path.relative_to(root)
    if path.parent.parent.name == "npm" and data.get("name") != f"cldkit-{path.parent.name}":
        bad.append(f"{rel}: name {data.get('name')!r}, expected 'cldkit-{path.parent.name}'")
    if any(e.get("version") != version for e in entries):
        if mode == "sync":
            for e in entries:
                e["version"] = version
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            print(f"{rel}: version set to {version}")
        else:
            bad.append(f"{rel}: version {data.get('version')!r}, Cargo.toml says {version!r}")
for b in bad:
    print(f"version check: {b}", file=sys.stderr)
if bad:
    print("fix the manifest, or run scripts/dist.sh sync-version for the npm ones", file=sys.stderr)
    sys.exit(1)
print(f"version {version}: Cargo crates, pyproject (dynamic), package.json, package-lock.json "
      f"and {len(dirs)} npm platform packages agree")
EOF
}

host_triple() { rustc -vV | sed -n 's/^host: //p'; }

# The build tools (pinned), in a venv under the target dir.
tools() {
  if ! "$TOOLS/bin/maturin" --version 2>/dev/null | grep -q " $MATURIN_VERSION\$" ||
     ! "$TOOLS/bin/python" -c "import ziglang" 2>/dev/null; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --quiet --disable-pip-version-check \
      "maturin==$MATURIN_VERSION" "ziglang==$ZIGLANG_VERSION"
  fi
}

# Links every Linux build (wheel, .node, .so) with zig for the old glibc baseline: one
# set of wrappers and one environment for all three, so Cargo builds the shared
# dependencies once. Sets ZIG=1 when used.
ZIG=0
setup_zig() {
  case "$TARGET" in
    *-linux-gnu) zig_target="${TARGET%%-*}-linux-gnu.$GLIBC" ;;
    *-linux-musl) zig_target="${TARGET%%-*}-linux-musl" ;;
    *) return 0 ;;
  esac
  [ "${CLDKIT_DIST_ZIG:-1}" = 1 ] || return 0
  tools
  local dir="$CARGO_TARGET_DIR/dist-zig/$TARGET" t
  mkdir -p "$dir"
  for tool in cc c++; do
    cat >"$dir/$tool.tmp" <<EOF
#!/bin/sh
export CARGO_ZIGBUILD_ZIG_COMMAND="$TOOLS/bin/python" CARGO_ZIGBUILD_ZIG_COMMAND_ARGS="-m ziglang"
exec "$TOOLS/bin/maturin" zig $tool -- -g -fno-sanitize=all -target $zig_target "\$@"
EOF
    chmod +x "$dir/$tool.tmp"
    # Rewritten only on change: the file's time stamp is part of no fingerprint, its path is.
    if cmp -s "$dir/$tool.tmp" "$dir/$tool"; then rm "$dir/$tool.tmp"; else mv "$dir/$tool.tmp" "$dir/$tool"; fi
  done
  t="${TARGET//-/_}"
  export "CC_$t=$dir/cc" "CXX_$t=$dir/c++"
  export "CARGO_TARGET_$(echo "$t" | tr '[:lower:]' '[:upper:]')_LINKER=$dir/cc"
  case "$TARGET" in
    # A musl cdylib needs the C runtime linked dynamically (napi-rs adds the same flag).
    *-musl) export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=-crt-static" ;;
  esac
  ZIG=1
}

timed() {
  local name=$1 start
  shift
  start=$(date +%s)
  "$@"
  echo "dist: $name took $(($(date +%s) - start))s"
}

build_python() {
  step "Python wheel and sdist (maturin $MATURIN_VERSION)"
  tools
  local compat=()
  case "$TARGET" in
    *-linux-gnu) [ "$ZIG" = 1 ] && compat=(--compatibility manylinux2014) ;;
    *-linux-musl) compat=(--compatibility musllinux_1_2) ;;
  esac
  "$TOOLS/bin/maturin" build --release --target "$TARGET" "${compat[@]}" \
    -m "$ROOT/bindings-python/Cargo.toml" --out "$DIST"
  "$TOOLS/bin/maturin" sdist -m "$ROOT/bindings-python/Cargo.toml" --out "$DIST"
}

build_node() {
  step "npm packages (napi-rs, release)"
  local version stage name tgz
  version=$(version)
  stage=$(mktemp -d)
  (
    cd "$ROOT/bindings-node"
    [ -x node_modules/.bin/napi ] || npm ci --no-audit --no-fund --silent
    # napi-rs writes the module into the folder given, and the .d.ts under it (both
    # relative to this directory).
    npm run --silent build -- --target "$TARGET" "$(python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1]))' "$stage/module")"
  )
  name=$(cd "$stage/module" && ls cldkit.*.node | sed 's/^cldkit\.\(.*\)\.node$/\1/')
  [ -f "$ROOT/bindings-node/npm/$name/package.json" ] || {
    echo "no platform package bindings-node/npm/$name" >&2
    exit 1
  }
  # The platform package: its manifest and README plus the module.
  mkdir -p "$stage/platform"
  cp "$ROOT/bindings-node/npm/$name/package.json" "$ROOT/bindings-node/npm/$name/README.md" "$stage/platform/"
  cp "$stage/module/cldkit.$name.node" "$stage/platform/"
  (cd "$stage/platform" && npm pack --silent --pack-destination "$DIST" >/dev/null)
  # The main package, as `napi prepublish` publishes it: package.json gains the platform
  # packages (every napi triple, at this version) as optionalDependencies.
  mkdir -p "$stage/main"
  tgz=$(cd "$ROOT/bindings-node" && npm pack --silent --pack-destination "$stage/main" | tail -n1)
  tar -xzf "$stage/main/$tgz" -C "$stage/main"
  node - "$stage/main/package/package.json" "$ROOT/bindings-node/npm" "$version" <<'EOF'
const fs = require('fs');
const path = require('path');
const [file, npmDir, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.optionalDependencies = {};
for (const dir of fs.readdirSync(npmDir).sort()) {
  const sub = JSON.parse(fs.readFileSync(path.join(npmDir, dir, 'package.json'), 'utf8'));
  pkg.optionalDependencies[sub.name] = version;
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
EOF
  (cd "$stage/main/package" && npm pack --silent --pack-destination "$DIST" >/dev/null)
  rm -rf "$stage"
}

build_c() {
  step "C library tarball (and .deb)"
  local goals=(dist)
  case "$TARGET" in *-linux-gnu) command -v dpkg-deb >/dev/null && goals+=(deb) ;; esac
  make -s -C "$ROOT/bindings-c" "${goals[@]}" TARGET="$TARGET" PROFILE=release DIST_DIR="$DIST"
}

# The Composer package: bindings-c/php's composer.json with the version added (a path or
# artifact repository has no tag to take it from), the FFI classes, and the C tarball's
# library and header. The FFI class loads lib/<triple>/ of the machine it runs on.
build_composer() {
  step "Composer package (cldkit/cldkit with libcldkit for $TARGET)"
  local version triple tarball stage lib
  version=$(version)
  triple=${TARGET/-unknown-/-}
  case "$TARGET" in
    *-linux-*) lib=libcldkit.so ;;
    *-apple-darwin) lib=libcldkit.dylib ;;
    *) echo "no Composer package for $TARGET" >&2; exit 1 ;;
  esac
  tarball="$DIST/libcldkit-$version-$triple.tar.gz"
  [ -f "$tarball" ] || build_c
  stage=$(mktemp -d)
  mkdir -p "$stage/c" "$stage/pkg/lib/$triple" "$stage/pkg/include"
  tar -xzf "$tarball" -C "$stage/c"
  cp -L "$stage/c/lib/$lib" "$stage/pkg/lib/$triple/$lib"
  cp "$stage/c/include/cldkit.h" "$stage/pkg/include/"
  cp -r "$ROOT/bindings-c/php/src" "$stage/pkg/src"
  python3 - "$ROOT/bindings-c/php/composer.json" "$stage/pkg" "$version" \
    "$DIST/cldkit-php-$version-$triple.zip" <<'EOF'
import json, pathlib, sys, zipfile
source, pkg, version, out = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
manifest = json.loads(pathlib.Path(source).read_text(encoding="utf-8"))
manifest = {"name": manifest["name"], "version": version, **{k: v for k, v in manifest.items() if k not in ("name", "archive")}}
(pkg / "composer.json").write_text(json.dumps(manifest, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
# Reproducible: sorted names, one fixed time stamp, 0644 (0755 for the library).
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for path in sorted(p for p in pkg.rglob("*") if p.is_file()):
        name = path.relative_to(pkg).as_posix()
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = (0o100755 if name.startswith("lib/") else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, path.read_bytes())
print(out)
EOF
  rm -rf "$stage"
}

what="${1:-all}"
case "$what" in
  version) version; exit 0 ;;
  check-version) versions check; exit 0 ;;
  sync-version) versions sync; exit 0 ;;
  all | python | node | c | composer) ;;
  *) echo "usage: scripts/dist.sh [all|python|node|c|composer|version|check-version|sync-version]" >&2; exit 2 ;;
esac

TARGET="${TARGET:-$(host_triple)}"
versions check
setup_zig
[ "$what" = all ] && rm -rf "$DIST"
mkdir -p "$DIST"
start=$(date +%s)
case "$what" in
  all)
    timed python build_python
    timed node build_node
    timed c build_c
    timed composer build_composer
    ;;
  python) timed python build_python ;;
  node) timed node build_node ;;
  c) timed c build_c ;;
  composer) timed composer build_composer ;;
esac
step "artifacts of cldkit $(version) for $TARGET ($( [ "$ZIG" = 1 ] && echo "zig, $zig_target" || echo "system linker"), $(($(date +%s) - start))s)"
ls -l "$DIST"
