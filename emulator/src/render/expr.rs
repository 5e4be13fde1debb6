//! Arithmetic expressions, conditions and user variables of the URL API, as the SDKs
//! normalise them (`iw_mul_0.5`, `$foo_add_10`, `w_gt_100_and_ar_lt_1.5`,
//! `!sale!_in_tags`): tokens joined with `_`, evaluated with the usual precedence
//! (`pow`, then `mul`/`div`/`mod`, then `add`/`sub`, then comparisons, `and`, `or`).

use std::collections::HashMap;

/// A value: a number, a string (`!text!`) or a list (`tags`).
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A number.
    Num(f64),
    /// A string literal or a string variable.
    Str(String),
    /// A list of strings.
    List(Vec<String>),
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) => s.parse().unwrap_or(0.0),
            Val::List(l) => l.len() as f64,
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::List(l) => !l.is_empty(),
        }
    }
}

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal value.
    Lit(Val),
    /// A predefined variable (`w`, `iw`, `ar`, `tags`, …).
    Var(String),
    /// A user variable (`$name`).
    User(String),
    /// `left op right`.
    Bin(Box<Expr>, BinOp, Box<Expr>),
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `add`
    Add,
    /// `sub`
    Sub,
    /// `mul`
    Mul,
    /// `div`
    Div,
    /// `mod`
    Mod,
    /// `pow`
    Pow,
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `lt`
    Lt,
    /// `gt`
    Gt,
    /// `lte`
    Lte,
    /// `gte`
    Gte,
    /// `in`
    In,
    /// `nin`
    Nin,
    /// `and`
    And,
    /// `or`
    Or,
}

impl BinOp {
    fn from_token(t: &str) -> Option<(BinOp, u8)> {
        Some(match t {
            "or" => (BinOp::Or, 1),
            "and" => (BinOp::And, 2),
            "eq" => (BinOp::Eq, 3),
            "ne" => (BinOp::Ne, 3),
            "lt" => (BinOp::Lt, 3),
            "gt" => (BinOp::Gt, 3),
            "lte" => (BinOp::Lte, 3),
            "gte" => (BinOp::Gte, 3),
            "in" => (BinOp::In, 3),
            "nin" => (BinOp::Nin, 3),
            "add" => (BinOp::Add, 4),
            "sub" => (BinOp::Sub, 4),
            "mul" => (BinOp::Mul, 5),
            "div" => (BinOp::Div, 5),
            "mod" => (BinOp::Mod, 5),
            "pow" => (BinOp::Pow, 6),
            _ => return None,
        })
    }
}

/// Predefined variables the emulator knows. Those it cannot compute (faces, pages,
/// durations, context) have a fixed value; [`approximate_vars`] names them.
const NUMERIC_VARS: &[&str] = &[
    "w", "h", "iw", "ih", "ar", "iar", "fc", "pc", "cp", "du", "idu", "tar", "ils", "px", "py",
];

/// The most tokens one expression may have (a URL component is short; this bounds
/// the parser's recursion and work).
const MAX_TOKENS: usize = 64;

fn tokens(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('!') {
            let end = after
                .find('!')
                .ok_or_else(|| format!("Unterminated string in expression {text}"))?;
            out.push(format!("!{}!", &after[..end]));
            rest = after[end + 1..].trim_start_matches('_');
            continue;
        }
        let (tok, tail) = rest.split_once('_').unwrap_or((rest, ""));
        if !tok.is_empty() {
            out.push(tok.to_owned());
        }
        rest = tail;
    }
    if out.is_empty() || out.len() > MAX_TOKENS {
        return Err(format!("Invalid expression {text}"));
    }
    Ok(out)
}

fn primary(tok: &str) -> Option<Expr> {
    if let Some(s) = tok.strip_prefix('!').and_then(|t| t.strip_suffix('!')) {
        return Some(Expr::Lit(Val::Str(s.to_owned())));
    }
    if let Some(name) = tok.strip_prefix('$') {
        let ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
        return ok.then(|| Expr::User(name.to_owned()));
    }
    if NUMERIC_VARS.contains(&tok)
        || tok == "tags"
        || tok.starts_with("ctx:")
        || tok.starts_with("md:")
    {
        return Some(Expr::Var(tok.to_owned()));
    }
    let n: f64 = tok.parse().ok().filter(|n: &f64| n.is_finite())?;
    Some(Expr::Lit(Val::Num(n)))
}

fn parse_at(toks: &[String], pos: &mut usize, min_prec: u8) -> Result<Expr, String> {
    let tok = toks.get(*pos).ok_or("Incomplete expression")?;
    let mut left = primary(tok).ok_or_else(|| format!("Invalid expression term {tok}"))?;
    *pos += 1;
    while let Some((op, prec)) = toks.get(*pos).and_then(|t| BinOp::from_token(t)) {
        if prec < min_prec {
            break;
        }
        *pos += 1;
        // `pow` is right-associative, the rest left-associative.
        let next = if op == BinOp::Pow { prec } else { prec + 1 };
        let right = parse_at(toks, pos, next)?;
        left = Expr::Bin(Box::new(left), op, Box::new(right));
    }
    Ok(left)
}

/// Parses an expression (`iw_div_2`, `$a_add_1`, `w_gt_100_and_h_lt_50`).
pub fn parse_expr(text: &str) -> Result<Expr, String> {
    let toks = tokens(text)?;
    let mut pos = 0;
    let e = parse_at(&toks, &mut pos, 0)?;
    if pos != toks.len() {
        return Err(format!("Invalid expression {text}"));
    }
    Ok(e)
}

/// The variables of an evaluation: the current and initial sizes, the user
/// variables set so far, the asset's tags.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Current width.
    pub w: f64,
    /// Current height.
    pub h: f64,
    /// Initial width.
    pub iw: f64,
    /// Initial height.
    pub ih: f64,
    /// User variables.
    pub vars: HashMap<String, Val>,
    /// The asset's tags.
    pub tags: Vec<String>,
}

impl Env {
    fn var(&self, name: &str) -> Val {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        Val::Num(match name {
            "w" => self.w,
            "h" => self.h,
            "iw" => self.iw,
            "ih" => self.ih,
            "ar" => ratio(self.w, self.h),
            "iar" | "tar" => ratio(self.iw, self.ih),
            "pc" | "cp" => 1.0,
            "tags" => return Val::List(self.tags.clone()),
            n if n.starts_with("ctx:") || n.starts_with("md:") => return Val::Str(String::new()),
            _ => 0.0,
        })
    }

    /// Evaluates `e`; an undefined user variable is an error.
    pub fn eval(&self, e: &Expr) -> Result<Val, String> {
        Ok(match e {
            Expr::Lit(v) => v.clone(),
            Expr::Var(name) => self.var(name),
            Expr::User(name) => self
                .vars
                .get(name)
                .cloned()
                .ok_or_else(|| format!("Undefined variable ${name}"))?,
            Expr::Bin(l, op, r) => {
                let (a, b) = (self.eval(l)?, self.eval(r)?);
                let bool_num = |x: bool| Val::Num(if x { 1.0 } else { 0.0 });
                let text = |v: &Val| match v {
                    Val::Str(s) => Some(s.clone()),
                    _ => None,
                };
                let within = |a: &Val, b: &Val| match (a, b) {
                    (Val::Str(s), Val::List(l)) => l.iter().any(|t| t == s),
                    (Val::Str(s), Val::Str(t)) => t.contains(s.as_str()),
                    _ => false,
                };
                let (x, y) = (a.num(), b.num());
                match op {
                    BinOp::Add => Val::Num(x + y),
                    BinOp::Sub => Val::Num(x - y),
                    BinOp::Mul => Val::Num(x * y),
                    BinOp::Div => Val::Num(if y == 0.0 { 0.0 } else { x / y }),
                    BinOp::Mod => Val::Num(if y == 0.0 { 0.0 } else { x % y }),
                    BinOp::Pow => Val::Num(x.powf(y)),
                    BinOp::Eq => bool_num(match (text(&a), text(&b)) {
                        (Some(s), Some(t)) => s == t,
                        _ => x == y,
                    }),
                    BinOp::Ne => bool_num(match (text(&a), text(&b)) {
                        (Some(s), Some(t)) => s != t,
                        _ => x != y,
                    }),
                    BinOp::Lt => bool_num(x < y),
                    BinOp::Gt => bool_num(x > y),
                    BinOp::Lte => bool_num(x <= y),
                    BinOp::Gte => bool_num(x >= y),
                    BinOp::In => bool_num(within(&a, &b)),
                    BinOp::Nin => bool_num(!within(&a, &b)),
                    BinOp::And => bool_num(a.truthy() && b.truthy()),
                    BinOp::Or => bool_num(a.truthy() || b.truthy()),
                }
            }
        })
    }

    /// Evaluates `e` as a finite number.
    pub fn number(&self, e: &Expr) -> Result<f64, String> {
        let n = self.eval(e)?.num();
        if n.is_finite() {
            Ok(n)
        } else {
            Err("The expression is not a finite number".into())
        }
    }

    /// Evaluates `e` as a condition.
    pub fn truth(&self, e: &Expr) -> Result<bool, String> {
        Ok(self.eval(e)?.truthy())
    }
}

/// The predefined variables of `e` whose value the emulator only approximates
/// (faces, pages, durations, context, metadata).
pub fn approximate_vars(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Var(v) if !matches!(v.as_str(), "w" | "h" | "iw" | "ih" | "ar" | "iar" | "tags") => {
            out.push(v.clone());
        }
        Expr::Bin(l, _, r) => {
            approximate_vars(l, out);
            approximate_vars(r, out);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        let mut e = Env {
            w: 400.0,
            h: 200.0,
            iw: 800.0,
            ih: 400.0,
            tags: vec!["sale".into()],
            ..Env::default()
        };
        e.vars.insert("foo".into(), Val::Num(10.0));
        e
    }

    #[test]
    fn arithmetic_has_precedence() {
        let n = |t: &str| env().number(&parse_expr(t).unwrap()).unwrap();
        assert_eq!(n("iw_mul_0.5"), 400.0);
        assert_eq!(n("1_add_2_mul_3"), 7.0);
        assert_eq!(n("$foo_add_1"), 11.0);
        assert_eq!(n("2_pow_3_pow_2"), 512.0);
        assert_eq!(n("w_div_0"), 0.0);
        assert_eq!(n("ar"), 2.0);
    }

    #[test]
    fn conditions_compare_and_combine() {
        let t = |s: &str| env().truth(&parse_expr(s).unwrap()).unwrap();
        assert!(t("w_gt_100_and_ar_gte_1.5"));
        assert!(!t("w_lt_100_or_h_gt_300"));
        assert!(t("!sale!_in_tags"));
        assert!(t("!new!_nin_tags"));
        assert!(t("fc_eq_0"));
    }

    #[test]
    fn bad_expressions_are_errors() {
        for bad in ["", "w_gt", "foo_add_1", "!open", "1_2", "$_x", "w__gt_"] {
            assert!(parse_expr(bad).is_err(), "{bad}");
        }
        let undefined = parse_expr("$nope_mul_2").unwrap();
        assert!(env().number(&undefined).is_err());
    }
}
