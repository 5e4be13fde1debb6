//! The option value type shared by every entry point.
//!
//! Plugins hand cldkit the same loosely typed option maps they hand the official SDKs
//! (`{"width": 300, "crop": "fill"}`). [`Value`] models those maps exactly: it keeps
//! integers and floats apart (`2` renders `2`, `2.0` renders `2.0`, as in Python) and a
//! [`Map`] keeps its keys in insertion order, because some SDK rules depend on it.
//!
//! The `py_*` methods reproduce how the reference SDK (pycloudinary) turns a value into
//! text or decides whether it is "set": they are the single home of those rules.
//!
//! ```
//! use cldkit::{Map, Value};
//! let opts: Map = serde_json::from_str(r#"{"width": 2.0, "crop": "fill"}"#).unwrap();
//! assert_eq!(opts.get("width").unwrap().py_str(), "2.0");
//! assert_eq!(opts.keys().collect::<Vec<_>>(), ["width", "crop"]);
//! ```

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// One option value: JSON's data model with integers and floats kept apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// Absent / `None` / `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (a JSON number without fraction or exponent).
    Int(i64),
    /// A float (a JSON number written with a fraction or exponent).
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// A map with keys in insertion order.
    Map(Map),
}

/// An insertion-ordered string-keyed map of [`Value`]s: the shape of every option set.
///
/// Option maps are small (a handful of keys), so a vector beats hashing here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

/// The options passed to URL, tag and API helpers: a [`Map`].
pub type Options = Map;

impl Map {
    /// An empty map.
    pub fn new() -> Self {
        Map {
            entries: Vec::new(),
        }
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Map {
            entries: Vec::with_capacity(n),
        }
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A mutable reference to the value under `key`.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether `key` is present (even with a `Null` value).
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Sets `key` to `value`, keeping the key's position when it already exists
    /// (as a Python dict does). Returns the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let key = key.into();
        let value = value.into();
        if let Some(slot) = self.get_mut(&key) {
            return Some(std::mem::replace(slot, value));
        }
        self.entries.push((key, value));
        None
    }

    /// Removes `key`, keeping the order of the rest.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let pos = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(pos).1)
    }

    /// Copies every entry of `other` over this map (Python's `dict.update`).
    pub fn update(&mut self, other: &Map) {
        for (k, v) in other.iter() {
            self.insert(k.clone(), v.clone());
        }
    }

    /// Iterates over `(key, value)` pairs in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Iterates over the keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A copy of the entries whose key `keep` accepts, in order (cheaper than
    /// cloning the whole map and removing keys from it).
    ///
    /// ```
    /// use cldkit::Map;
    /// let m: Map = serde_json::from_str(r#"{"a": 1, "srcset": {"sizes": true}, "b": 2}"#).unwrap();
    /// let without = m.filtered(|k| k != "srcset");
    /// assert_eq!(without.keys().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn filtered(&self, keep: impl Fn(&str) -> bool) -> Map {
        Map {
            entries: self
                .entries
                .iter()
                .filter(|(k, _)| keep(k))
                .cloned()
                .collect(),
        }
    }

    /// Keeps only the entries for which `f` returns true.
    pub fn retain(&mut self, mut f: impl FnMut(&str, &Value) -> bool) {
        self.entries.retain(|(k, v)| f(k, v));
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = Map::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl Value {
    /// The string inside a `Str`, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The string inside a `Str`; any other value is an
    /// [`InvalidOption`](crate::ErrorKind::InvalidOption) error naming `option`.
    ///
    /// ```
    /// use cldkit::Value;
    /// assert_eq!(Value::from("fill").str_for("crop").unwrap(), "fill");
    /// let e = Value::Int(3).str_for("crop").unwrap_err();
    /// assert_eq!(e.to_string(), "invalid `crop`: expected a string, found int");
    /// ```
    pub fn str_for(&self, option: &str) -> crate::Result<&str> {
        self.as_str().ok_or_else(|| self.not_a_string(option))
    }

    /// The error for this value where `option` needs a string.
    pub(crate) fn not_a_string(&self, option: &str) -> crate::Error {
        crate::Error::invalid_option(
            option,
            format!("expected a string, found {}", self.type_name()),
        )
    }

    /// The map inside a `Map`, if it is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list inside a `List`, if it is one.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// Python truthiness: `None`, `False`, `0`, `0.0`, `""`, `[]` and `{}` are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// Python's `value == 0` (true for `0`, `0.0` and `False`).
    pub fn eq_zero(&self) -> bool {
        match self {
            Value::Bool(b) => !*b,
            Value::Int(i) => *i == 0,
            Value::Float(f) => *f == 0.0,
            _ => false,
        }
    }

    /// Python's `value == ""`.
    pub fn is_empty_str(&self) -> bool {
        matches!(self, Value::Str(s) if s.is_empty())
    }

    /// Python's `str(value)`: strings as they are, `2.0` as `2.0`, `True`, `None`,
    /// lists and maps in Python's `repr` form.
    pub fn py_str(&self) -> Cow<'_, str> {
        match self {
            Value::Str(s) => Cow::Borrowed(s),
            Value::Bool(true) => Cow::Borrowed("True"),
            Value::Bool(false) => Cow::Borrowed("False"),
            Value::Null => Cow::Borrowed("None"),
            _ => {
                let mut out = String::new();
                self.write_py(&mut out, false);
                Cow::Owned(out)
            }
        }
    }

    /// Appends Python's `str(value)` to `out` without an intermediate allocation for
    /// scalars.
    pub fn push_py_str(&self, out: &mut String) {
        self.write_py(out, false);
    }

    /// JavaScript-like text for the `json` rendering the Node SDK uses: integral
    /// floats print without `.0`.
    pub fn js_str(&self) -> Cow<'_, str> {
        match self {
            Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 => {
                Cow::Owned(format!("{}", *f as i128))
            }
            Value::Bool(true) => Cow::Borrowed("true"),
            Value::Bool(false) => Cow::Borrowed("false"),
            Value::Null => Cow::Borrowed("null"),
            _ => self.py_str(),
        }
    }

    fn write_py(&self, out: &mut String, repr: bool) {
        match self {
            Value::Null => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
            Value::Float(f) => push_py_float(out, *f),
            Value::Str(s) if repr => push_py_repr_str(out, s),
            Value::Str(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_py(out, true);
                }
                out.push(']');
            }
            Value::Map(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_py_repr_str(out, k);
                    out.push_str(": ");
                    v.write_py(out, true);
                }
                out.push('}');
            }
        }
    }
}

/// The shortest digits that round-trip `f` (finite): its sign, the digits without a
/// point, and the decimal exponent of the first digit (`1.25e-7` → `(false, "125", -7)`).
/// Python's `repr` and JavaScript's `Number::toString` both start from these.
pub(crate) fn shortest_digits(f: f64) -> (bool, String, i32) {
    // `{:e}` prints the shortest round-trip digits: "1.2345e-7", "-3e16", "0e0".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    (neg, mantissa.chars().filter(|c| *c != '.').collect(), exp)
}

/// Appends Python's `repr(float)`: the shortest text that round-trips, with `.0` on
/// integral values and exponent notation below 1e-4 and from 1e16 on.
pub fn push_py_float(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let (neg, digits, exp) = shortest_digits(f);
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        if exp >= 0 {
            let int_len = (exp + 1) as usize;
            if digits.len() <= int_len {
                out.push_str(&digits);
                for _ in 0..(int_len - digits.len()) {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
            let _ = n;
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let _ = write!(out, "{:02}", exp.abs());
    }
}

/// Appends Python's `repr(str)`.
fn push_py_repr_str(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

impl fmt::Display for Value {
    /// Displays the value as Python's `str()` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.py_str())
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::Int(v as i64) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, isize);

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Float(v as f64)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Str(v)
    }
}
impl From<Map> for Value {
    fn from(v: Map) -> Self {
        Value::Map(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else {
                    Value::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::Str(s),
            serde_json::Value::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                Value::Map(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

impl<'de> Deserialize<'de> for Map {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Map(m) => Ok(m),
            other => Err(de::Error::custom(format!(
                "expected a map, found {}",
                other.type_name()
            ))),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut m = Map::with_capacity(access.size_hint().unwrap_or(0));
        while let Some((k, v)) = access.next_entry::<String, Value>()? {
            m.insert(k, v);
        }
        Ok(Value::Map(m))
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::Str(v) => s.serialize_str(v),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for item in l {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(m) => m.serialize(s),
        }
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64) -> String {
        let mut s = String::new();
        push_py_float(&mut s, x);
        s
    }

    #[test]
    fn floats_print_like_python() {
        assert_eq!(f(2.0), "2.0");
        assert_eq!(f(0.5), "0.5");
        assert_eq!(f(100.5), "100.5");
        assert_eq!(f(1e-7), "1e-07");
        assert_eq!(f(1.5e-7), "1.5e-07");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(1e16), "1e+16");
        assert_eq!(f(1234567890123456.0), "1234567890123456.0");
        assert_eq!(f(-0.0), "-0.0");
        assert_eq!(f(-2.5), "-2.5");
        assert_eq!(f(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f(123.0), "123.0");
    }

    #[test]
    fn containers_print_like_python() {
        let v: Value = serde_json::from_str(r#"[1, "a", {"k": "it's"}, null, true, 2.0]"#).unwrap();
        assert_eq!(v.py_str(), r#"[1, 'a', {'k': "it's"}, None, True, 2.0]"#);
    }

    #[test]
    fn maps_keep_order_and_numbers_keep_kind() {
        let m: Map = serde_json::from_str(r#"{"b": 1, "a": 1.0}"#).unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(m.get("b"), Some(&Value::Int(1)));
        assert_eq!(m.get("a"), Some(&Value::Float(1.0)));
    }

    #[test]
    fn truthiness() {
        assert!(!Value::Int(0).truthy());
        assert!(Value::Bool(false).eq_zero());
        assert!(!Value::Str(String::new()).truthy());
        assert!(Value::Str("0".into()).truthy());
    }
}
