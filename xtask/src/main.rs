//! `cargo xtask`: the project's task runner.
//!
//! - `cargo xtask gen` writes every generated binding surface (methods, typed stubs,
//!   error classes) from the core's tables: the call catalogue ([`cldkit::calls::CALLS`])
//!   and the error kinds ([`cldkit::ErrorKind::ALL`]).
//! - `cargo xtask gen --check` writes nothing and fails when a checked-in file differs
//!   from what the tables give (CI runs it).
//! - `cargo xtask layers` checks the module layers of `core/src/api` and `emulator/src`
//!   ([`layers`]).
//! - `cargo xtask test`, `test-core`, `test-python`, `test-node`, `test-c`, `test-php`,
//!   `test-emulator`, `lint`, `bench` and the `build-*` steps run the tests ([`tasks`]).

mod gen;
mod layers;
mod tasks;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let result = match args.first().map(String::as_str) {
        Some("gen") => gen::run(&root, args.iter().any(|a| a == "--check")),
        Some("layers") => layers::run(&root),
        Some("help") | None => {
            println!("{}", usage());
            Ok(())
        }
        Some(name) => tasks::run(&root, name, &args[1..])
            .unwrap_or_else(|| Err(format!("unknown command {name:?}\n\n{}", usage()))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    let mut out = String::from(
        "usage: cargo xtask <command> [args]\n\n\
         commands:\n  \
         gen [--check]   write the generated binding surfaces (--check: fail when stale)\n  \
         layers          check that no module imports one of its layer or above\n",
    );
    for t in tasks::TASKS {
        out.push_str(&format!("  {:<15} {}\n", t.name, t.about));
    }
    out.push_str("  help            this text");
    out
}

/// The repository root (the parent of `xtask/`).
fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
