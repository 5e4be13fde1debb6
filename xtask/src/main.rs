//! `cargo xtask`: the project's task runner.
//!
//! - `cargo xtask gen` writes every generated binding surface (methods, typed stubs,
//!   error classes) from the core's tables: the call catalogue ([`cldkit::calls::CALLS`])
//!   and the error kinds ([`cldkit::ErrorKind::ALL`]).
//! - `cargo xtask gen --check` writes nothing and fails when a checked-in file differs
//!   from what the tables give (CI runs it).

mod gen;
mod layers;

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
        Some(other) => Err(format!("unknown command {other:?}\n\n{}", usage())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> &'static str {
    "usage: cargo xtask <command>\n\n\
     commands:\n  \
     gen [--check]   write the generated binding surfaces (--check: fail when stale)\n  \
     help            this text"
}

/// The repository root (the parent of `xtask/`).
fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
