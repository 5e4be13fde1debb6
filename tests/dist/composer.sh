#!/usr/bin/env bash
# The Composer package cldkit/cldkit, installed the way a PHP project installs it: Debian's
# `composer` (installed here when missing), an empty project, a path repository, packagist
# switched off and the network disabled, `composer require cldkit/cldkit:*`, then a script
# that loads only vendor/autoload.php (tests/dist/check_composer.php) under `php -n`:
#   * with the extension (built with phpize against the C tarball, as a user builds it):
#     CldKit\Client is the extension's and no file of the package is read;
#   * with only ext-ffi: the package's FFI class over the libcldkit.so the package
#     carries (lib/<triple>/), then over the one CLDKIT_LIBRARY names, each checked in
#     /proc/self/maps; without either library, and without ext-ffi, a CldKit\Exception
#     that says what to do;
#   * each run: the README's URL, an upload to the emulator when CLOUDINARY_URL is set,
#     and the conformance driver on the corpus sample, scored by tests/dist/compare.py;
#   * the checkout itself (bindings-c/php, symlinked) as a path repository, with
#     CLDKIT_LIBRARY; bindings-c/php/composer.json passes `composer validate --strict`.
#
#   tests/dist/composer.sh [DIST_DIR]     (tests/dist/ci.sh runs it on the artifacts it
#                                           built; needs the C tarball and the zip there)
# Env: CLDKIT_SAMPLE  the cases to run (default: every 10th case of each corpus file)
#      CLOUDINARY_URL an emulator (`cldkit serve`) for the uploads (optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
DIST="${1:-${DIST_DIR:-$root/dist}}"
corpus="${CLDKIT_SHARED:-$(cd "$root/.." && pwd)/shared}/conformance"
version=$(scripts/dist.sh version)
triple="$(uname -m)-linux-gnu"
zip="$DIST/cldkit-php-$version-$triple.zip"
c_tarball="$DIST/libcldkit-$version-$triple.tar.gz"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
pass() {
  passed=$((passed + 1))
  echo "ok  composer: $*"
}
fail() {
  echo "FAIL composer: $*" >&2
  exit 1
}

need=()
command -v composer >/dev/null || need+=(composer)
command -v phpize >/dev/null || need+=(php8.2-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || {
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  }
fi
[ -f "$zip" ] || fail "no $zip (scripts/dist.sh composer)"
[ -f "$c_tarball" ] || fail "no $c_tarball (scripts/dist.sh c)"

# Composer as a user runs it, with nothing from this machine's Composer setup and no way
# to reach a registry.
clean=(env -i "HOME=$tmp/home" LANG=C.UTF-8 PATH=/usr/bin:/bin)
composer_env=("${clean[@]}" COMPOSER_HOME="$tmp/home/composer" COMPOSER_CACHE_DIR="$tmp/home/cache"
  COMPOSER_DISABLE_NETWORK=1 COMPOSER_NO_INTERACTION=1)
mkdir -p "$tmp/home"

# The package: bindings-c/php/composer.json, and the zip made from it.
"${composer_env[@]}" composer validate --strict --no-check-lock "$root/bindings-c/php/composer.json" >/dev/null ||
  fail "composer validate --strict bindings-c/php/composer.json"
pkg="$tmp/cldkit-php-$version"
python3 -m zipfile -e "$zip" "$pkg"
(cd "$pkg" && find . -type f | sort) >"$tmp/files"
(cd "$root/bindings-c/php" && find src -type f | sort | sed 's|^|./|';
  printf '%s\n' ./composer.json ./include/cldkit.h "./lib/$triple/libcldkit.so") | sort >"$tmp/want"
diff -u "$tmp/want" "$tmp/files" >&2 || fail "the files of $(basename "$zip")"
diff -r "$root/bindings-c/php/src" "$pkg/src" >&2 || fail "src/ of the zip differs from bindings-c/php/src"
python3 - "$root/bindings-c/php/composer.json" "$pkg/composer.json" "$version" <<'EOF' || fail "the zip's composer.json"
import json, sys
source, packed = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
assert packed.pop("version") == sys.argv[3], "version"
source.pop("archive", None)
assert packed == source, f"{packed} != {source}"
EOF
# The only warning on the zip's manifest is the version, which a path or artifact
# repository needs (it has no tag) and Packagist would not.
"${composer_env[@]}" composer validate --no-check-lock "$pkg/composer.json" >"$tmp/validate.out" 2>&1 ||
  fail "composer validate of the zip's composer.json: $(cat "$tmp/validate.out")"
if [ "$(grep -c '^- ' "$tmp/validate.out")" != 1 ] || ! grep -q '^- The version field is present' "$tmp/validate.out"; then
  fail "composer validate of the zip's composer.json: $(cat "$tmp/validate.out")"
fi
pass "$(basename "$zip"): composer.json ($version), src/ as in bindings-c/php, include/cldkit.h, lib/$triple/libcldkit.so; composer validate --strict on bindings-c/php/composer.json"

# The extension, built against the C tarball as its README says.
prefix="$tmp/prefix"
mkdir -p "$prefix"
tar -xzf "$c_tarball" -C "$prefix"
cp -r bindings-c/php/ext "$tmp/ext"
(cd "$tmp/ext" && phpize && ./configure -q --with-cldkit="$prefix" && make -s) >"$tmp/phpize.log" 2>&1 ||
  fail "the extension against $(basename "$c_tarball"): $(cat "$tmp/phpize.log")"
module="$tmp/ext/modules/cldkit.so"
pass "the extension (phpize) against $(basename "$c_tarball")"

# The corpus sample.
sample="${CLDKIT_SAMPLE:-$tmp/sample.jsonl}"
if [ -z "${CLDKIT_SAMPLE:-}" ]; then
  for f in "$corpus"/*.jsonl; do awk 'NF && (n++ % 10 == 0)' "$f"; done >"$sample"
fi
[ -s "$sample" ] || fail "no corpus sample"

# An empty project (composer.json `{}`) that requires the package from a path repository,
# with packagist switched off: the commands of bindings-c/README.md.
project() { # DIR REPOSITORY-JSON
  mkdir -p "$1"
  echo '{}' >"$1/composer.json"
  (cd "$1" && "${composer_env[@]}" composer config repositories.cldkit "$2" &&
    "${composer_env[@]}" composer config repo.packagist false &&
    "${composer_env[@]}" composer require --no-progress --quiet 'cldkit/cldkit:*') ||
    fail "composer require cldkit/cldkit:* from $2"
}
app="$tmp/app"
# The unpacked zip, copied into vendor/ (symlink: false) as an installed package is.
project "$app" "{\"type\": \"path\", \"url\": \"$pkg\", \"options\": {\"symlink\": false}}"
installed="$app/vendor/cldkit/cldkit"
if [ ! -d "$installed" ] || [ -L "$installed" ]; then fail "vendor/cldkit/cldkit is not a copy"; fi
[ -f "$installed/lib/$triple/libcldkit.so" ] || fail "the installed package has no lib/$triple/libcldkit.so"
# shellcheck disable=SC2016 # PHP code
locked=$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["packages"][0]["version"];' "$app/composer.lock")
[ "$locked" = "$version" ] || fail "composer.lock has cldkit/cldkit $locked"
pass "composer require cldkit/cldkit:* in an empty project (path repository, no packagist, no network): $version"

ext=(-n -d "extension=$module")
ffi=(-n -d extension=ffi -d ffi.enable=1)
emulator=()
[ -n "${CLOUDINARY_URL:-}" ] && emulator=(CLOUDINARY_URL="$CLOUDINARY_URL")
run() { # LABEL PROJECT IMPL LIBRARY [ENV...] -- PHP-ARGS...
  local label=$1 dir=$2 impl=$3 lib=$4 env=() n
  shift 4
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  (cd "$dir" && "${clean[@]}" "${emulator[@]}" "${env[@]}" \
    php "$@" "$root/tests/dist/check_composer.php" "$dir" "$impl" "$lib" <"$sample" >"$tmp/$label.jsonl") ||
    fail "$label"
  n=$(python3 tests/dist/compare.py "$sample" "$tmp/$label.jsonl") || fail "$label: conformance sample"
  pass "$label: $n sample cases match"
}
run "with the extension" "$app" ext "" -- "${ext[@]}"
run "FFI, the library the package carries" "$app" ffi "$installed/lib/$triple/libcldkit.so" -- "${ffi[@]}"
run "FFI, CLDKIT_LIBRARY" "$app" ffi "$prefix/lib/libcldkit.so" CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" -- "${ffi[@]}"

# Without a library to load, and without ext-ffi: an error that says what to do.
# shellcheck disable=SC2016 # PHP code
script='try { new CldKit\Client(["cloud_name" => "demo"]); echo "no error\n"; }
  catch (CldKit\Exception $e) { echo $e->getKind(), ": ", $e->getMessage(), "\n"; }'
mv "$installed/lib" "$tmp/lib-aside"
out=$(cd "$app" && "${clean[@]}" php "${ffi[@]}" -r "require 'vendor/autoload.php'; $script")
mv "$tmp/lib-aside" "$installed/lib"
case "$out" in
  "invalid_argument: libcldkit could not be loaded from libcldkit.so "*"set CLDKIT_LIBRARY"*) ;;
  *) fail "FFI without lib/ (and no libcldkit.so on the loader's path): $out" ;;
esac
out=$(cd "$app" && "${clean[@]}" php -n -r "require 'vendor/autoload.php'; $script")
[ "$out" = "invalid_argument: CldKit\Client needs the cldkit extension or ext-ffi; neither is loaded" ] ||
  fail "neither the extension nor FFI: $out"
pass "errors that say what to do: FFI without a library names CLDKIT_LIBRARY, PHP without ext-ffi the extension"

# The checkout as a path repository (symlinked, Composer's default; the version given
# in the repository options), over the C tarball's library.
dev="$tmp/dev-app"
project "$dev" "{\"type\": \"path\", \"url\": \"$root/bindings-c/php\", \"options\": {\"versions\": {\"cldkit/cldkit\": \"$version\"}}}"
[ -L "$dev/vendor/cldkit/cldkit" ] || fail "the checkout was not symlinked into vendor/"
run "the checkout, FFI with CLDKIT_LIBRARY" "$dev" ffi "$prefix/lib/libcldkit.so" \
  CLDKIT_LIBRARY="$prefix/lib/libcldkit.so" -- "${ffi[@]}"
run "the checkout, with the extension" "$dev" ext "" -- "${ext[@]}"

echo "composer: $passed passed, 0 failed"
