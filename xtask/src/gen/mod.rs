//! Generated binding surfaces: each language's module returns the files it owns, and
//! [`run`] writes them or (with `--check`) compares them with the checked-in copies.

mod node;
mod php;
mod python;

use std::path::{Path, PathBuf};

/// One generated file: its path from the repository root and its whole text.
pub struct Output {
    /// The path, relative to the repository root.
    pub path: PathBuf,
    /// The file's contents.
    pub text: String,
}

impl Output {
    /// A file at `path` (relative to the repository root) holding `text`.
    #[allow(dead_code)]
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Output {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Writes every generated file, or checks that each is current.
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let mut outputs = Vec::new();
    outputs.extend(python::outputs());
    outputs.extend(node::outputs());
    outputs.extend(php::outputs());
    let mut stale = Vec::new();
    for out in &outputs {
        let path = root.join(&out.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(out.text.as_str()) {
            continue;
        }
        if check {
            stale.push(out.path.display().to_string());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, &out.text).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote {}", out.path.display());
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated files are stale (run `cargo xtask gen`): {}",
            stale.join(", ")
        ))
    }
}

/// `resources_by_tag` → `resourcesByTag` (the Node and PHP method names).
#[allow(dead_code)]
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn camel_case_follows_the_sdks() {
        assert_eq!(super::camel_case("resources_by_tag"), "resourcesByTag");
        assert_eq!(super::camel_case("url"), "url");
        assert_eq!(super::camel_case("call_api"), "callApi");
    }
}
