//! The module layers of `core/src/api` and `emulator/src`: each module may import only
//! modules of the layers below its own. `cargo xtask layers` (and this crate's tests,
//! which CI runs) fail when a module imports one of its own layer or above, so that an
//! import cycle cannot come back.
//!
//! Imports are read from the source text (comments removed): `super::name` and
//! `crate::api::name` in `core/src/api`, `crate::name` in `emulator/src`, including
//! `use …::{a, b::c}` groups. The files of a directory module (`render/*.rs`) belong
//! to that module; `lib.rs`, `main.rs` and `mod.rs` (the facades) are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One directory's layer order.
pub struct Layers {
    /// The directory, from the repository root.
    pub dir: &'static str,
    /// How a sibling module is named in an import.
    pub prefixes: &'static [&'static str],
    /// Module names, bottom layer first.
    pub layers: &'static [&'static [&'static str]],
    /// Upward imports that exist today and are to be removed (`(importer, imported)`).
    /// The check fails on any other upward import, and on a listed one that is gone
    /// (so the list only shrinks).
    pub known: &'static [(&'static str, &'static str)],
}

/// The checked directories.
pub const CHECKED: &[Layers] = &[
    Layers {
        dir: "core/src/api",
        prefixes: &["super::", "crate::api::"],
        layers: &[
            &["resume", "progress"],
            &["errors"],
            &["response"],
            &["runtime"],
            &["transport"],
            &["retry"],
            &["settings"],
            &["chunked"],
            &["upload", "admin", "account"],
            &["calls"],
        ],
        known: &[],
    },
    Layers {
        dir: "emulator/src",
        prefixes: &["crate::"],
        // Storage, parsing and rendering first; `state` (shared state, parameter
        // reading, authorization) is the bottom of the handlers; `router` on top.
        layers: &[
            &["error", "ids", "render", "loopback"],
            &["params", "extras", "store"],
            &["search", "account"],
            &["multipart"],
            &["remote", "video", "auth"],
            &["resource"],
            &["webhook", "faults", "listing"],
            &["state"],
            &["delivery"],
            &["eager"],
            &["breakpoints"],
            &["upload"],
            &["upload_more"],
            &["admin_more"],
            &["admin", "provisioning"],
            &["router", "cli"],
        ],
        known: &[],
    },
];

/// Removes `//` comments (line, doc), `/* */` blocks and the text of string literals.
fn strip_comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' && i + 1 < b.len() {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_str = true;
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        out.push(c as char);
        i += 1;
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The first path segments named after `prefix` in `src` (`prefix` + `name`, or each
/// top-level item of `prefix` + `{a, b::c}`).
pub fn imported_names(src: &str, prefix: &str) -> BTreeSet<String> {
    let text = strip_comments(src);
    let b = text.as_bytes();
    let mut names = BTreeSet::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(prefix) {
        let at = from + pos;
        from = at + prefix.len();
        if at > 0 && (is_ident(b[at - 1]) || b[at - 1] == b':') {
            continue;
        }
        let mut i = from;
        if b.get(i) == Some(&b'{') {
            // A group: the identifier after `{` and after each top-level `,`.
            let mut depth = 0usize;
            let mut expect = true;
            while i < b.len() {
                match b[i] {
                    b'{' => {
                        depth += 1;
                        expect = depth == 1;
                    }
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b',' if depth == 1 => expect = true,
                    c if expect && is_ident(c) => {
                        let start = i;
                        while i < b.len() && is_ident(b[i]) {
                            i += 1;
                        }
                        names.insert(text[start..i].to_owned());
                        expect = false;
                        continue;
                    }
                    _ => {}
                }
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            if i > start {
                names.insert(text[start..i].to_owned());
            }
        }
    }
    names
}

/// The sources of each module of `dir`: top-level `name.rs` files and the files of
/// `name/` directories.
fn module_sources(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.is_dir() {
            let mut text = String::new();
            let mut files: Vec<_> = std::fs::read_dir(&path)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect();
            files.sort();
            for f in files {
                text.push_str(&std::fs::read_to_string(&f).map_err(|e| e.to_string())?);
                text.push('\n');
            }
            out.entry(stem.to_owned()).or_default().push_str(&text);
        } else if path.extension().is_some_and(|x| x == "rs")
            && !matches!(stem, "lib" | "main" | "mod")
        {
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            out.entry(stem.to_owned()).or_default().push_str(&text);
        }
    }
    Ok(out)
}

/// Checks one directory; returns the problems found.
pub fn check(root: &Path, spec: &Layers) -> Result<Vec<String>, String> {
    let sources = module_sources(&root.join(spec.dir))?;
    let mut layer_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, layer) in spec.layers.iter().enumerate() {
        for m in *layer {
            layer_of.insert(m, i);
        }
    }
    let mut problems = Vec::new();
    for m in sources.keys() {
        if !layer_of.contains_key(m.as_str()) {
            problems.push(format!(
                "{}: module `{m}` has no layer (add it to xtask/src/layers.rs)",
                spec.dir
            ));
        }
    }
    let mut seen_known = BTreeSet::new();
    for (m, src) in &sources {
        let Some(&mine) = layer_of.get(m.as_str()) else {
            continue;
        };
        let mut imports = BTreeSet::new();
        for prefix in spec.prefixes {
            imports.extend(imported_names(src, prefix));
        }
        for dep in imports {
            if dep == *m {
                continue;
            }
            let Some(&theirs) = layer_of.get(dep.as_str()) else {
                continue;
            };
            if theirs < mine {
                continue;
            }
            if spec.known.contains(&(m.as_str(), dep.as_str())) {
                seen_known.insert((m.clone(), dep.clone()));
                continue;
            }
            let place = if theirs == mine {
                "its own layer"
            } else {
                "a layer above"
            };
            problems.push(format!(
                "{}: `{m}` imports `{dep}`, of {place} (layers: xtask/src/layers.rs)",
                spec.dir
            ));
        }
    }
    for (a, b) in spec.known {
        if !seen_known.contains(&((*a).to_owned(), (*b).to_owned())) {
            problems.push(format!(
                "{}: the known upward import `{a}` -> `{b}` is gone: remove it from the list",
                spec.dir
            ));
        }
    }
    Ok(problems)
}

/// `cargo xtask layers`: checks every directory of [`CHECKED`].
pub fn run(root: &Path) -> Result<(), String> {
    let mut problems = Vec::new();
    for spec in CHECKED {
        problems.extend(check(root, spec)?);
    }
    if problems.is_empty() {
        println!("layers: no module imports one of its layer or above");
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_read_from_paths_and_groups() {
        let src = "use super::errors::ApiError;\n\
                   use super::{transport::{a, b}, retry};\n\
                   // super::upload in a comment\n\
                   let x = super::super::parse::Step;\n\
                   let s = \"super::chunked in a string\";\n\
                   fn f() { super::runtime::go(); }";
        let names: Vec<_> = imported_names(src, "super::").into_iter().collect();
        assert_eq!(
            names,
            // Not the comment's nor the string's.
            ["errors", "retry", "runtime", "super", "transport"]
        );
    }

    #[test]
    fn an_upward_import_is_reported() {
        let dir = std::env::temp_dir().join(format!("xtask-layers-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("d")).unwrap();
        std::fs::write(dir.join("d/low.rs"), "use super::high::X;").unwrap();
        std::fs::write(dir.join("d/high.rs"), "use super::low::Y;").unwrap();
        let spec = Layers {
            dir: "d",
            prefixes: &["super::"],
            layers: &[&["low"], &["high"]],
            known: &[],
        };
        let problems = check(&dir, &spec).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("`low` imports `high`"), "{problems:?}");
    }

    #[test]
    fn the_repository_keeps_its_layers() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut problems = Vec::new();
        for spec in CHECKED {
            problems.extend(check(root, spec).unwrap());
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
