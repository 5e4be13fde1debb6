//! The search expression language (a practical subset): `field:value`, `field=value`,
//! `field>value`, `field<value` (and `>=`, `<=`), `AND`, `OR`, `NOT`, `-term`,
//! parentheses, quoted values, `*` wildcards at the end of a value, bare terms.

use crate::store::Asset;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Matches everything (empty expression).
    All,
    /// `field <op> value`.
    Cmp(String, String, String),
    /// A bare term: matches public id, filename, tags.
    Term(String),
    /// Both.
    And(Box<Expr>, Box<Expr>),
    /// Either.
    Or(Box<Expr>, Box<Expr>),
    /// Negation.
    Not(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Op(String),
    LParen,
    RParen,
}

fn tokenize(s: &str) -> Result<Vec<(usize, Tok)>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((i, Tok::LParen));
            i += 1;
        } else if c == ')' {
            out.push((i, Tok::RParen));
            i += 1;
        } else if c == '"' || c == '\'' {
            let start = i;
            i += 1;
            let mut v = String::new();
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                v.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(format!("Query Error (at position {start})"));
            }
            i += 1;
            out.push((start, Tok::Quoted(v)));
        } else if matches!(c, ':' | '=' | '<' | '>') {
            let mut op = c.to_string();
            if (c == '<' || c == '>') && chars.get(i + 1) == Some(&'=') {
                op.push('=');
                i += 1;
            }
            out.push((i, Tok::Op(op)));
            i += 1;
        } else {
            let start = i;
            let mut v = String::new();
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | ':' | '=' | '<' | '>' | '"')
            {
                v.push(chars[i]);
                i += 1;
            }
            out.push((start, Tok::Word(v)));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn err(&self) -> String {
        let at = self.toks.get(self.pos).map(|(p, _)| *p).unwrap_or(0);
        format!("Query Error (at position {at})")
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Word("OR".into())) {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                Some(Tok::Word(w)) if w == "AND" => {
                    self.pos += 1;
                    let right = self.unary()?;
                    left = Expr::And(Box::new(left), Box::new(right));
                }
                Some(Tok::Word(w)) if w == "OR" => break,
                Some(Tok::RParen) | None => break,
                Some(_) => {
                    let right = self.unary()?;
                    left = Expr::And(Box::new(left), Box::new(right));
                }
            }
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek().cloned() {
            Some(Tok::Word(w)) if w == "NOT" => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some(Tok::Word(w)) if w.starts_with('-') && w.len() > 1 => {
                self.toks[self.pos].1 = Tok::Word(w[1..].to_owned());
                Ok(Expr::Not(Box::new(self.primary()?)))
            }
            _ => self.primary(),
        }
    }
    fn primary(&mut self) -> Result<Expr, String> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.err());
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                if let Some(Tok::Op(op)) = self.peek().cloned() {
                    self.pos += 1;
                    let value = match self.peek().cloned() {
                        Some(Tok::Word(v)) | Some(Tok::Quoted(v)) => v,
                        _ => return Err(self.err()),
                    };
                    self.pos += 1;
                    Ok(Expr::Cmp(w, op, value))
                } else {
                    Ok(Expr::Term(w))
                }
            }
            Some(Tok::Quoted(q)) => {
                self.pos += 1;
                Ok(Expr::Term(q))
            }
            _ => Err(self.err()),
        }
    }
}

/// Parses an expression; the error is Cloudinary's "Query Error (at position N)".
pub fn parse(expression: &str) -> Result<Expr, String> {
    let toks = tokenize(expression)?;
    if toks.is_empty() {
        return Ok(Expr::All);
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(p.err());
    }
    Ok(e)
}

fn text_match(pattern: &str, value: &str, exact: bool) -> bool {
    let p = pattern.to_lowercase();
    let v = value.to_lowercase();
    if let Some(prefix) = p.strip_suffix('*') {
        v.starts_with(prefix)
    } else if exact {
        v == p
    } else {
        v == p || v.split(|c: char| !c.is_alphanumeric()).any(|w| w == p)
    }
}

fn num_cmp(op: &str, have: f64, want: &str) -> bool {
    let mult = |s: &str| -> Option<f64> {
        let s = s.to_ascii_lowercase();
        let (n, m) = if let Some(n) = s.strip_suffix("kb") {
            (n.to_owned(), 1024.0)
        } else if let Some(n) = s.strip_suffix("mb") {
            (n.to_owned(), 1024.0 * 1024.0)
        } else if let Some(n) = s.strip_suffix("gb") {
            (n.to_owned(), 1024.0 * 1024.0 * 1024.0)
        } else {
            (s, 1.0)
        };
        n.parse::<f64>().ok().map(|x| x * m)
    };
    let Some(w) = mult(want) else { return false };
    match op {
        ">" => have > w,
        ">=" => have >= w,
        "<" => have < w,
        "<=" => have <= w,
        _ => (have - w).abs() < f64::EPSILON,
    }
}

/// Whether an asset matches.
pub fn matches(e: &Expr, a: &Asset) -> bool {
    match e {
        Expr::All => true,
        Expr::And(l, r) => matches(l, a) && matches(r, a),
        Expr::Or(l, r) => matches(l, a) || matches(r, a),
        Expr::Not(x) => !matches(x, a),
        Expr::Term(t) => {
            text_match(t, &a.public_id, false)
                || text_match(t, &a.display_name, false)
                || a.tags.iter().any(|x| text_match(t, x, true))
        }
        Expr::Cmp(field, op, value) => {
            let exact = op == "=";
            let field = field.as_str();
            match field {
                "resource_type" => text_match(value, &a.resource_type, true),
                "type" => text_match(value, &a.delivery_type, true),
                "public_id" => text_match(value, &a.public_id, exact || !value.ends_with('*')),
                "asset_id" => a.asset_id == *value,
                "format" => text_match(value, &a.format, true),
                "display_name" | "filename" => text_match(value, &a.display_name, exact),
                "folder" | "asset_folder" => {
                    let folder = if a.asset_folder.is_empty() {
                        a.public_id
                            .rsplit_once('/')
                            .map(|(f, _)| f)
                            .unwrap_or("")
                            .to_owned()
                    } else {
                        a.asset_folder.clone()
                    };
                    match value.strip_suffix("/*") {
                        Some(p) => folder == p || folder.starts_with(&format!("{p}/")),
                        None => text_match(value, &folder, true),
                    }
                }
                "tags" | "tag" => a.tags.iter().any(|t| text_match(value, t, true)),
                "bytes" => num_cmp(op, a.bytes as f64, value),
                "width" => a.width.is_some_and(|w| num_cmp(op, f64::from(w), value)),
                "height" => a.height.is_some_and(|h| num_cmp(op, f64::from(h), value)),
                "version" => num_cmp(op, a.version as f64, value),
                "created_at" | "uploaded_at" => match op.as_str() {
                    ">" | ">=" => a.created_at.as_str() >= value.as_str(),
                    "<" | "<=" => a.created_at.as_str() <= value.as_str(),
                    _ => a.created_at.starts_with(value.as_str()),
                },
                f => {
                    if let Some(key) = f.strip_prefix("context.") {
                        a.context
                            .get(key)
                            .and_then(|v| v.as_str())
                            .is_some_and(|v| text_match(value, v, exact))
                    } else if let Some(key) = f.strip_prefix("metadata.") {
                        a.metadata.get(key).is_some_and(|v| match v {
                            serde_json::Value::String(s) => text_match(value, s, exact),
                            serde_json::Value::Array(items) => items
                                .iter()
                                .any(|i| i.as_str().is_some_and(|s| text_match(value, s, true))),
                            other => text_match(value, &other.to_string(), true),
                        })
                    } else if f == "context" {
                        a.context.contains_key(value.as_str())
                    } else {
                        false
                    }
                }
            }
        }
    }
}

/// Whether a folder (its `name` and full `path`) matches: fields `name`, `path` (a
/// trailing `*` matches below it), `id`/`external_id`; a bare term matches the name.
pub fn matches_folder(e: &Expr, name: &str, path: &str, external_id: &str) -> bool {
    match e {
        Expr::All => true,
        Expr::And(l, r) => {
            matches_folder(l, name, path, external_id) && matches_folder(r, name, path, external_id)
        }
        Expr::Or(l, r) => {
            matches_folder(l, name, path, external_id) || matches_folder(r, name, path, external_id)
        }
        Expr::Not(x) => !matches_folder(x, name, path, external_id),
        Expr::Term(t) => text_match(t, name, false),
        Expr::Cmp(field, op, value) => {
            let exact = op == "=";
            match field.as_str() {
                "name" => text_match(value, name, exact),
                "path" => text_match(value, path, true),
                "id" | "external_id" => value == external_id,
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_boolean_structure() {
        let e = parse("resource_type:image AND (tags=kitten OR tags:cat) NOT format:png").unwrap();
        assert!(matches!(e, Expr::And(..)));
        assert!(parse("tags=\"unterminated").is_err());
        assert!(parse("(a").is_err());
        assert_eq!(parse("").unwrap(), Expr::All);
    }

    #[test]
    fn folder_expressions() {
        let e = parse("name:sub* AND path:top/*").unwrap();
        assert!(matches_folder(&e, "subway", "top/subway", "x"));
        assert!(!matches_folder(&e, "subway", "other/subway", "x"));
        assert!(!matches_folder(&e, "top", "top", "x"));
        assert!(matches_folder(&parse("id=abc").unwrap(), "n", "n", "abc"));
    }
}
