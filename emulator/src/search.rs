//! The search expression language (a practical subset): `field:value`, `field=value`,
//! `field>value`, `field<value` (and `>=`, `<=`), `AND`, `OR`, `NOT`, `-term`,
//! parentheses, quoted values, `*` wildcards at the end of a value, bare terms.
//!
//! An expression is bounded: at most [`MAX_DEPTH`] levels of parentheses and negations
//! and at most [`MAX_TERMS`] terms; past either the parser answers a `Query Error`
//! (a 400) instead of growing its stack. Runs of `AND`/`OR` become one n-ary node, and
//! [`matches()`] / [`matches_folder`] evaluate with an explicit stack, so neither the
//! parser nor the evaluator recurses in proportion to the input.

use crate::store::Asset;

/// The deepest nesting of parentheses and negations (`NOT`, `-term`) an expression
/// may have.
pub const MAX_DEPTH: usize = 32;

/// The most terms (comparisons and bare terms) an expression may have.
pub const MAX_TERMS: usize = 1000;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Matches everything (empty expression).
    All,
    /// `field <op> value`.
    Cmp(String, String, String),
    /// A bare term: matches public id, filename, tags.
    Term(String),
    /// All of these (an empty list matches).
    And(Vec<Expr>),
    /// Any of these (an empty list does not match).
    Or(Vec<Expr>),
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
    /// Open parentheses and negations around the current position.
    depth: usize,
    /// Terms parsed so far.
    terms: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|(p, _)| *p).unwrap_or(0)
    }
    fn err(&self) -> String {
        format!("Query Error (at position {})", self.at())
    }
    /// Enters one level of nesting; refuses past [`MAX_DEPTH`] (this bounds the
    /// parser's recursion).
    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "Query Error (at position {}): nested deeper than {MAX_DEPTH} levels",
                self.at()
            ));
        }
        Ok(())
    }
    fn term(&mut self, e: Expr) -> Result<Expr, String> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(format!(
                "Query Error (at position {}): more than {MAX_TERMS} terms",
                self.at()
            ));
        }
        Ok(e)
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Word("OR".into())) {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::Word(w)) if w == "AND" => {
                    self.pos += 1;
                    items.push(self.unary()?);
                }
                Some(Tok::Word(w)) if w == "OR" => break,
                Some(Tok::RParen) | None => break,
                Some(_) => items.push(self.unary()?),
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }
    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek().cloned() {
            Some(Tok::Word(w)) if w == "NOT" => {
                self.enter()?;
                self.pos += 1;
                let e = Expr::Not(Box::new(self.unary()?));
                self.depth -= 1;
                Ok(e)
            }
            Some(Tok::Word(w)) if w.starts_with('-') && w.len() > 1 => {
                self.enter()?;
                self.toks[self.pos].1 = Tok::Word(w[1..].to_owned());
                let e = Expr::Not(Box::new(self.primary()?));
                self.depth -= 1;
                Ok(e)
            }
            _ => self.primary(),
        }
    }
    fn primary(&mut self) -> Result<Expr, String> {
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.enter()?;
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.err());
                }
                self.pos += 1;
                self.depth -= 1;
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
                    self.term(Expr::Cmp(w, op, value))
                } else {
                    self.term(Expr::Term(w))
                }
            }
            Some(Tok::Quoted(q)) => {
                self.pos += 1;
                self.term(Expr::Term(q))
            }
            _ => Err(self.err()),
        }
    }
}

/// Parses an expression; the error is Cloudinary's "Query Error (at position N)",
/// with the reason appended when the expression is past [`MAX_DEPTH`] or
/// [`MAX_TERMS`].
pub fn parse(expression: &str) -> Result<Expr, String> {
    let toks = tokenize(expression)?;
    if toks.is_empty() {
        return Ok(Expr::All);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        terms: 0,
    };
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(p.err());
    }
    Ok(e)
}

/// Evaluates `e` with `leaf` deciding `Term`, `Cmp` and `All`, with an explicit stack
/// (heap memory in proportion to the depth, no recursion) and short-circuiting.
fn eval(e: &Expr, leaf: &dyn Fn(&Expr) -> bool) -> bool {
    enum Frame<'a> {
        Enter(&'a Expr),
        /// The rest of an `And` once the previous item is known.
        And(&'a [Expr]),
        /// The rest of an `Or` once the previous item is known.
        Or(&'a [Expr]),
        Not,
    }
    let mut stack = vec![Frame::Enter(e)];
    let mut value = false;
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Enter(Expr::And(items)) => {
                value = true;
                stack.push(Frame::And(items));
            }
            Frame::Enter(Expr::Or(items)) => {
                value = false;
                stack.push(Frame::Or(items));
            }
            Frame::Enter(Expr::Not(x)) => {
                stack.push(Frame::Not);
                stack.push(Frame::Enter(x));
            }
            Frame::Enter(other) => value = leaf(other),
            Frame::And(rest) => {
                if let (true, Some((first, rest))) = (value, rest.split_first()) {
                    stack.push(Frame::And(rest));
                    stack.push(Frame::Enter(first));
                }
            }
            Frame::Or(rest) => {
                if let (false, Some((first, rest))) = (value, rest.split_first()) {
                    stack.push(Frame::Or(rest));
                    stack.push(Frame::Enter(first));
                }
            }
            Frame::Not => value = !value,
        }
    }
    value
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
    eval(e, &|leaf| asset_leaf(leaf, a))
}

fn asset_leaf(e: &Expr, a: &Asset) -> bool {
    match e {
        Expr::All => true,
        Expr::And(_) | Expr::Or(_) | Expr::Not(_) => matches(e, a),
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
    eval(e, &|leaf| folder_leaf(leaf, name, path, external_id))
}

fn folder_leaf(e: &Expr, name: &str, path: &str, external_id: &str) -> bool {
    match e {
        Expr::All => true,
        Expr::And(_) | Expr::Or(_) | Expr::Not(_) => matches_folder(e, name, path, external_id),
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

    #[test]
    fn runs_of_and_and_or_are_one_node() {
        let e = parse("a b c OR d AND e OR (f)").unwrap();
        let Expr::Or(items) = &e else { panic!("{e:?}") };
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], Expr::And(v) if v.len() == 3));
        assert!(matches!(&items[1], Expr::And(v) if v.len() == 2));
        assert_eq!(items[2], Expr::Term("f".into()));
    }

    #[test]
    fn depth_and_terms_are_bounded() {
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let e = parse(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert!(e.starts_with("Query Error (at position 32)"), "{e}");
        assert!(e.contains("deeper than 32"), "{e}");
        let nots = |n: usize| format!("{}a", "NOT ".repeat(n));
        assert!(parse(&nots(MAX_DEPTH)).is_ok());
        assert!(parse(&nots(MAX_DEPTH + 1)).is_err());
        assert!(parse(&format!("{}-a", "NOT ".repeat(MAX_DEPTH - 1))).is_ok());
        assert!(parse(&format!("{}-a", "NOT ".repeat(MAX_DEPTH))).is_err());
        // Parentheses and negations count together.
        assert!(
            parse(&format!("{}{}", "NOT (".repeat(16), ")".repeat(16)).replace("()", "(a)"))
                .is_ok()
        );
        assert!(parse(&format!("{}a{}", "NOT (".repeat(17), ")".repeat(17))).is_err());
        let terms = |n: usize| vec!["tags:x"; n].join(" OR ");
        assert!(parse(&terms(MAX_TERMS)).is_ok());
        let e = parse(&terms(MAX_TERMS + 1)).unwrap_err();
        assert!(e.contains("more than 1000 terms"), "{e}");
        // The inputs of the security review (issue 13).
        assert!(parse(&nested(2000)).is_err());
        assert!(parse(&vec!["a"; 20_000].join(" ")).is_err());
        assert!(parse(&nots(20_000)).is_err());
    }

    #[test]
    fn evaluation_follows_boolean_logic() {
        let leaf = |e: &Expr| matches!(e, Expr::Term(t) if t == "t");
        let ev = |s: &str| eval(&parse(s).unwrap(), &leaf);
        assert!(ev("t"));
        assert!(!ev("f"));
        assert!(ev("t t t"));
        assert!(!ev("t f t"));
        assert!(ev("f OR f OR t"));
        assert!(!ev("f OR f"));
        assert!(ev("NOT f"));
        assert!(!ev("NOT NOT f"));
        assert!(ev("-f AND (f OR (t AND NOT f))"));
        assert!(!ev("(t OR f) AND NOT (t AND t)"));
        assert!(eval(&Expr::And(vec![]), &leaf));
        assert!(!eval(&Expr::Or(vec![]), &leaf));
        // A hand-built chain far deeper than the parser allows is evaluated without
        // recursion.
        let mut deep = Expr::Term("t".into());
        for _ in 0..100_001 {
            deep = Expr::Not(Box::new(deep));
        }
        assert!(!eval(&deep, &leaf));
        // Dropping it iteratively is the caller's business; leak-free teardown here.
        let mut e = deep;
        while let Expr::Not(inner) = e {
            e = *inner;
        }
    }
}
