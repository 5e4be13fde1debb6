//! The python binding's generated files, from the call catalogue
//! ([`cldkit::calls::CALLS`]) and the error table ([`cldkit::ErrorKind::ALL`]):
//!
//! - `bindings-python/python/cldkit/_calls.py`: one method per row on `Client`
//!   (`AccountClient` for provisioning rows) with pycloudinary's name and positional
//!   parameters, `**options`, the row's doc, and an `*_async` twin for network rows;
//!   each goes through the native `call`/`call_async`. Rows whose method is written by
//!   hand in the native module ([`HAND_WRITTEN`]) get none.
//! - the generated blocks of `bindings-python/python/cldkit/_native.pyi`: the exception
//!   classes, the generated methods of `Client` and the whole `AccountClient`, with
//!   real parameter types.

use std::fmt::Write as _;
use std::path::Path;

use cldkit::calls::{Call, Family, Param, ParamType, Returns, CALLS};
use cldkit::ErrorKind;

use super::Output;

const CALLS_PY: &str = "bindings-python/python/cldkit/_calls.py";
const STUB: &str = "bindings-python/python/cldkit/_native.pyi";

/// Rows whose `Client` method the native module defines by hand, because it converts
/// more than the generic `call` does (the vectorcall `url`; `upload` streams files
/// and file-like objects with progress and resume; `verify_notification` takes bytes
/// and timedeltas; the other local calls are hot, synchronous paths). The parity test
/// (`tests/python/test_calls_parity.py`) checks their names and parameters too.
pub const HAND_WRITTEN: &[&str] = &[
    "url",
    "video_thumbnail_url",
    "api_url",
    "image_tag",
    "image_attributes",
    "video_tag",
    "picture_tag",
    "source_tag",
    "lazy_image_tag",
    "sign_request",
    "explain_signature",
    "verify_api_response",
    "verify_notification",
    "auth_token",
    "sign_upload_widget",
    "upload_params",
    "private_download_url",
    "zip_download_url",
    "download_archive_url",
    "download_zip_url",
    "download_folder",
    "download_backedup_asset",
    "download_generated_sprite",
    "download_multi",
    "upload",
];

/// Every file this binding generates from the core's tables.
pub fn outputs() -> Vec<Output> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let stub = std::fs::read_to_string(root.join(STUB)).unwrap_or_default();
    vec![
        Output::new(CALLS_PY, calls_py()),
        Output::new(STUB, stub_with_blocks(&stub)),
    ]
}

/// The rows that get a generated method, with the class they go on.
fn generated_rows() -> impl Iterator<Item = (&'static Call, &'static str)> {
    CALLS
        .iter()
        .filter(|c| !HAND_WRITTEN.contains(&c.name))
        .map(|c| (c, class_of(c)))
}

fn class_of(c: &Call) -> &'static str {
    if c.family == Family::Provisioning {
        "AccountClient"
    } else {
        "Client"
    }
}

/// The Python annotation of a parameter type.
fn py_type(t: ParamType) -> &'static str {
    match t {
        ParamType::String => "str",
        ParamType::Integer => "int",
        ParamType::Boolean => "bool",
        ParamType::Strings => "Union[str, Sequence[str]]",
        ParamType::List => "Sequence[Any]",
        ParamType::Map => "Mapping[str, Any]",
        ParamType::Transformation => "Union[str, Mapping[str, Any], Sequence[Any]]",
        // A local path, remote URL or data URI (bytes and file objects: `upload`).
        ParamType::File => "str",
        ParamType::Any => "Any",
    }
}

/// The Python annotation of a result.
fn py_return(r: Returns) -> &'static str {
    match r {
        Returns::Url | Returns::Html | Returns::Text => "str",
        Returns::OptionalText => "Optional[str]",
        Returns::Bool => "bool",
        Returns::Map | Returns::Response => "Dict[str, Any]",
    }
}

/// `tag: str, public_ids: Optional[...] = None, **options: Any` (after `self`); rows
/// with a progress callback ([`has_progress`]) take it as a keyword-only `progress`.
fn params_text(c: &Call) -> String {
    let mut out = String::new();
    for p in c.params {
        if p.required {
            let _ = write!(out, ", {}: {}", p.name, py_type(p.ty));
        } else {
            let _ = write!(out, ", {}: Optional[{}] = None", p.name, py_type(p.ty));
        }
    }
    if has_progress(c) {
        out.push_str(", *, progress: Optional[Callable[[Dict[str, Any]], None]] = None");
    }
    out.push_str(", **options: Any");
    out
}

/// Rows whose method takes a `progress` callable: the `sync` family, which goes
/// through the native `sync_call` / `sync_call_async` instead of `call`.
fn has_progress(c: &Call) -> bool {
    c.family == Family::Sync
}

/// The native method a row's generated method calls, and the arguments after the
/// row's argument dict.
fn native_of(c: &Call) -> (&'static str, &'static str) {
    if has_progress(c) {
        ("sync_call", "options, progress")
    } else {
        ("call", "options")
    }
}

/// The docstring of a row's method.
fn doc_of(c: &Call) -> String {
    let mut doc = c.doc.to_owned();
    if !c.python.is_empty() {
        let _ = write!(doc, "\n\n    pycloudinary: ``cloudinary.{}``.", c.python);
    }
    if has_progress(c) {
        doc.push_str(
            "\n\n    ``progress``, when given, is called with a dict (``done``, ``total``, \
             ``public_id``, ``action``, ``ok``)\n    after each finished action, one call at a \
             time; an exception it raises goes to\n    ``sys.unraisablehook`` and the sync goes on.",
        );
    }
    doc
}

/// The argument dict of a call: a literal when every parameter is required, else
/// `_args(...)`, which leaves out the `None` ones.
fn args_expr(params: &[Param]) -> String {
    if params.is_empty() {
        return "{}".into();
    }
    if params.iter().all(|p| p.required) {
        let items: Vec<String> = params
            .iter()
            .map(|p| format!("{:?}: {}", p.name, p.name))
            .collect();
        return format!("{{{}}}", items.join(", "));
    }
    let items: Vec<String> = params
        .iter()
        .map(|p| format!("{}={}", p.name, p.name))
        .collect();
    format!("_args({})", items.join(", "))
}

/// The top of `_calls.py`.
const HEADER: &str = r#"# Generated by `cargo xtask gen` from the call catalogue (core/src/calls): do not edit.
"""The named calls of :class:`cldkit.Client` and :class:`cldkit.AccountClient`, one per row
of the call catalogue (``cldkit calls --json``): pycloudinary's names and positional
parameters, keyword options, and an ``*_async`` twin for every network call. Each one
goes through the native ``call`` / ``call_async``; :func:`install` puts them on the
classes (``import cldkit`` does)."""

from __future__ import annotations

from cldkit._native import AccountClient, Client

# `typing` costs more to import than the rest of the package: annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Union


def _args(**named: Any) -> Dict[str, Any]:
    """The positional arguments given, by name (``None`` ones left out)."""
    return {k: v for k, v in named.items() if v is not None}
"#;

fn calls_py() -> String {
    let mut out = String::from(HEADER);
    let mut installs: Vec<(&str, String)> = Vec::new();
    for (c, class) in generated_rows() {
        let params = params_text(c);
        let ret = py_return(c.returns);
        let args = args_expr(c.params);
        let (native, rest) = native_of(c);
        let by_name = if has_progress(c) {
            args.clone()
        } else {
            format!("{:?}, {args}", c.name)
        };
        let _ = write!(
            out,
            "\n\ndef {name}(self: {class}{params}) -> {ret}:\n    \"\"\"{doc}\"\"\"\n    \
             result: {ret} = self.{native}({by_name}, {rest})\n    return result\n",
            name = c.name,
            doc = doc_of(c),
        );
        installs.push((class, c.name.to_owned()));
        if c.is_network() {
            let _ = write!(
                out,
                "\n\nasync def {name}_async(self: {class}{params}) -> {ret}:\n    \
                 \"\"\"``{name}`` for asyncio: runs in a worker thread of the event loop.\"\"\"\n    \
                 result: {ret} = await self.{native}_async({by_name}, {rest})\n    return result\n",
                name = c.name,
            );
            installs.push((class, format!("{}_async", c.name)));
        }
    }
    out.push_str("\n\n_METHODS = (\n");
    for (class, name) in &installs {
        let _ = writeln!(out, "    ({class}, {name}),");
    }
    out.push_str(
        ")\n\n\ndef install() -> None:\n    \
         \"\"\"Puts every generated method on its class.\"\"\"\n    \
         for cls, fn in _METHODS:\n        setattr(cls, fn.__name__, fn)\n",
    );
    out
}

/// The stub of the exception classes, from the error table.
fn errors_block() -> String {
    let mut out = String::new();
    for kind in ErrorKind::ALL {
        let base = if kind.is_api() { "HttpError" } else { "Error" };
        let _ = writeln!(
            out,
            "class {}({base}):\n    \"\"\"{}\"\"\"\n",
            python_class_name(kind),
            error_doc(kind)
        );
    }
    for kind in ErrorKind::ALL {
        let name = python_class_name(kind);
        if name != kind.class_name() && kind != ErrorKind::Timeout {
            let _ = writeln!(out, "{} = {name}", kind.class_name());
        }
    }
    out
}

/// The docstring of a kind's class: the table's doc and the `code`.
pub fn error_doc(kind: ErrorKind) -> String {
    format!(
        "{} (`code` \"{}\").",
        kind.doc().trim_end_matches('.'),
        kind.code()
    )
}

/// The name Python gives a kind's class (as `bindings-python/src/errors.rs`):
/// `RequestTimeoutError` (`TimeoutError` is a builtin) and `SourceError` (the older
/// name of `io` errors; `IoError` is its alias).
fn python_class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Timeout => "RequestTimeoutError",
        ErrorKind::Io => "SourceError",
        k => k.class_name(),
    }
}

/// The stubs of the generated methods of `class`, indented for the class body.
fn methods_block(class: &str) -> String {
    let mut out = String::new();
    for (c, _) in generated_rows().filter(|(_, k)| *k == class) {
        let params = params_text(c);
        let ret = py_return(c.returns);
        let _ = writeln!(
            out,
            "    def {}(self{params}) -> {ret}:\n        \"\"\"{}\"\"\"",
            c.name, c.doc
        );
        if c.is_network() {
            let _ = writeln!(
                out,
                "    async def {}_async(self{params}) -> {ret}: ...",
                c.name
            );
        }
    }
    out
}

/// The whole `AccountClient` stub.
fn account_block() -> String {
    let mut out = String::from(
        "@final\nclass AccountClient:\n    \
         \"\"\"The Provisioning API's client (from ``CLOUDINARY_ACCOUNT_URL`` when ``url`` is None).\"\"\"\n\n    \
         def __new__(cls, url: Optional[str] = None) -> \"AccountClient\": ...\n    \
         def call(\n        self, name: str, args: Optional[Mapping[str, Any]] = None, \
         options: Optional[Mapping[str, Any]] = None\n    ) -> Any: ...\n    \
         def call_async(\n        self, name: str, args: Optional[Mapping[str, Any]] = None, \
         options: Optional[Mapping[str, Any]] = None\n    ) -> Coroutine[Any, Any, Any]: ...\n",
    );
    out.push_str(&methods_block("AccountClient"));
    out
}

/// `text` with the text between each `# >>> generated: NAME` line and the next
/// `# <<< generated: NAME` line replaced by the block of that name. A stub without
/// the markers comes back unchanged (so `--check` reports it).
fn stub_with_blocks(text: &str) -> String {
    let blocks = [
        ("errors", errors_block()),
        ("Client", methods_block("Client")),
        ("AccountClient", account_block()),
    ];
    let mut out = String::with_capacity(text.len() + 16_384);
    let mut skipping: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let marker = line.trim();
        if let Some(name) = skipping {
            if marker == format!("# <<< generated: {name}") {
                out.push_str(line);
                skipping = None;
            }
            continue;
        }
        out.push_str(line);
        if let Some(name) = marker.strip_prefix("# >>> generated: ") {
            if let Some((n, block)) = blocks.iter().find(|(n, _)| *n == name) {
                out.push_str(block);
                skipping = Some(n);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hand_written_name_is_a_row() {
        for name in HAND_WRITTEN {
            assert!(cldkit::calls::find(name).is_some(), "{name}");
        }
    }

    #[test]
    fn blocks_replace_what_is_between_their_markers() {
        let text = "a\n    # >>> generated: errors\nold\n    # <<< generated: errors\nb\n";
        let out = stub_with_blocks(text);
        assert!(out.starts_with("a\n    # >>> generated: errors\nclass InvalidOptionError(Error):"));
        assert!(out.ends_with("    # <<< generated: errors\nb\n"));
        assert!(!out.contains("old"));
        assert!(out.contains("IoError = SourceError"));
    }

    #[test]
    fn methods_carry_the_rows_parameters() {
        let py = calls_py();
        assert!(py.contains(
            "def resources_by_context(self: Client, key: str, value: Optional[str] = None, **options: Any) -> Dict[str, Any]:"
        ));
        assert!(py.contains("async def sub_accounts_async(self: AccountClient"));
        assert!(!py.contains("\ndef url("), "hand-written");
    }
}
