//! The test entry points: one row per task, each a short bash script run from the
//! repository root with `CARGO_TARGET_DIR` (default `target/`) and `CLDKIT_SHARED`
//! (default `../shared`) set. Arguments after the task name reach the script as `"$@"`.
//!
//! `test` is what CI runs (`scripts/test-all.sh`); the `test-*` tasks run one part, and
//! the `build-*` tasks are the one build step after which a binding's own test runner
//! (pytest, `node --test`, `run-tests.php`) can be rerun alone (see the README).

use std::path::Path;
use std::process::Command;

/// One task: its name, what it does, and its script.
pub struct Task {
    /// The name after `cargo xtask`.
    pub name: &'static str,
    /// One line for the usage text.
    pub about: &'static str,
    /// The bash script (run with `set -euo pipefail`).
    pub script: &'static str,
}

/// Where the binding builds go (under the target directory).
const PREFIX: &str = r#"prefix="$CARGO_TARGET_DIR/cldkit-prefix"; ext="$CARGO_TARGET_DIR/php-ext""#;

/// Every task, in the order of the usage text.
pub const TASKS: &[Task] = &[
    Task {
        name: "test",
        about: "every test, as CI runs them (scripts/test-all.sh)",
        script: "exec ./scripts/test-all.sh",
    },
    Task {
        name: "test-core",
        about: "the Rust tests of the core, CLI and xtask; with CLDKIT_CASE=<id or prefix> only \
                those conformance cases, with their differences",
        script: r#"
if [ -n "${CLDKIT_CASE:-}" ]; then
  exec cargo test -q -p cldkit --test 'conformance*' -- --nocapture "$@"
fi
exec cargo test -p cldkit -p cldkit-cli -p xtask "$@""#,
    },
    Task {
        name: "test-emulator",
        about: "the emulator's tests and its fidelity checks (emulator/ci.sh)",
        script: "exec bash emulator/ci.sh",
    },
    Task {
        name: "test-python",
        about: "the Python binding: build, pytest, conformance (bindings-python/ci.sh)",
        script: "exec bash bindings-python/ci.sh",
    },
    Task {
        name: "test-node",
        about: "the Node binding: build, node --test, conformance (bindings-node/ci.sh)",
        script: "exec bash bindings-node/ci.sh",
    },
    Task {
        name: "test-c",
        about: "the C library: install into target/cldkit-prefix, tests/c under valgrind",
        script: r#"
cargo build -q -p cldkit-cli
export CLDKIT_BIN="$CARGO_TARGET_DIR/debug/cldkit"
make -s -C bindings-c install PREFIX="$CARGO_TARGET_DIR/cldkit-prefix" PROFILE=debug
exec tests/c/run.sh "$CARGO_TARGET_DIR/cldkit-prefix""#,
    },
    Task {
        name: "test-php",
        about: "the PHP extension and FFI: build (build-php), then run-tests.php on both \
                (arguments: .phpt names)",
        script: r#"
"$XTASK" build-php
export CLDKIT_BIN="$CARGO_TARGET_DIR/debug/cldkit"
bindings-c/php/run-phpt.sh ext "$ext/modules/cldkit.so" "$@"
exec bindings-c/php/run-phpt.sh ffi "$prefix/lib/libcldkit.so" "$@""#,
    },
    Task {
        name: "lint",
        about: "rustfmt, clippy -D warnings, rustdoc -D warnings, generated files, module layers",
        script: r#"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -q --workspace --no-deps
"$XTASK" gen --check
exec "$XTASK" layers"#,
    },
    Task {
        name: "bench",
        about: "the criterion benchmarks of the core (release; arguments go to cargo bench, \
                e.g. --bench url)",
        script: r#"exec cargo bench -p cldkit "$@""#,
    },
    Task {
        name: "build-python",
        about: "one build step before pytest alone: the CLI, the emulator and the binding \
                installed in $CLDKIT_VENV (default /tmp/cldkit-venv)",
        script: r#"
venv="${CLDKIT_VENV:-/tmp/cldkit-venv}"
cargo build -q -p cldkit-emulator --bin cldkit-emulator
cargo build -q -p cldkit-cli
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install -q "pytest>=7" "mypy>=1.8" "cloudinary==1.46.3"
MATURIN_PEP517_ARGS="--profile dev" \
  "$venv/bin/python" -m pip install -q --force-reinstall --no-deps ./bindings-python
echo "now: $venv/bin/python -m pytest tests/python/test_api.py -k <name>""#,
    },
    Task {
        name: "build-node",
        about: "one build step before node --test alone: the CLI and the binding (debug)",
        script: r#"
cargo build -q -p cldkit-cli
cd bindings-node
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s build:debug
echo "now: node --test tests/node/api.test.js""#,
    },
    Task {
        name: "build-php",
        about: "one build step before run-tests.php alone: the C library in \
                target/cldkit-prefix and the extension in target/php-ext",
        script: r#"
cargo build -q -p cldkit-cli
make -s -C bindings-c install PREFIX="$prefix" PROFILE=debug
rm -rf "$ext" && cp -r bindings-c/php/ext "$ext"
(cd "$ext" && phpize >/dev/null && ./configure -q --with-cldkit="$prefix" && make -s) >"$ext.log" 2>&1 \
  || { cat "$ext.log"; exit 1; }
echo "now: bindings-c/php/run-phpt.sh ext $ext/modules/cldkit.so 001_url.phpt"
echo " or: bindings-c/php/run-phpt.sh ffi $prefix/lib/libcldkit.so 001_url.phpt""#,
    },
];

/// Runs task `name` with `args`; `None` when there is no such task.
pub fn run(root: &Path, name: &str, args: &[String]) -> Option<Result<(), String>> {
    let task = TASKS.iter().find(|t| t.name == name)?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| root.join("target").to_string_lossy().into_owned());
    let shared = std::env::var("CLDKIT_SHARED").unwrap_or_else(|_| {
        root.parent()
            .unwrap_or(root)
            .join("shared")
            .to_string_lossy()
            .into_owned()
    });
    let xtask = std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "cargo xtask".to_owned());
    let script = format!("set -euo pipefail\n{PREFIX}\n{}", task.script);
    let status = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(format!("xtask {name}"))
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CLDKIT_SHARED", shared)
        .env("XTASK", xtask)
        .status();
    Some(match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{name} failed ({s})")),
        Err(e) => Err(format!("{name}: cannot run bash: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_names_are_unique_and_scripts_parse() {
        let mut names: Vec<_> = TASKS.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TASKS.len());
        for t in TASKS {
            // `bash -n` parses without running.
            let script = format!("set -euo pipefail\n{PREFIX}\n{}", t.script);
            let ok = Command::new("bash")
                .args(["-n", "-c", &script])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "{}: the script does not parse", t.name);
        }
    }
}
