//! [`Value`] and [`Entry`]: the engine's option values as uniffi types.
//!
//! Option maps cross the boundary as a list of [`Entry`]s, which keeps their keys in
//! insertion order (some SDK rules depend on it), and every number keeps its kind:
//! `Int` renders `2`, `Float` renders `2.0`, as in the engine.

use cldkit::{Map, Value as Core};

/// One option value: JSON's data model with integers and floats kept apart.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum Value {
    /// Absent / `nil` / `null`.
    Null,
    /// A boolean.
    Bool {
        /// The boolean.
        v: bool,
    },
    /// An integer.
    Int {
        /// The integer.
        v: i64,
    },
    /// A float (rendered with a fraction: `2.0`).
    Float {
        /// The float.
        v: f64,
    },
    /// A string.
    Str {
        /// The string.
        v: String,
    },
    /// A list (`Seq`: `List` would shadow Kotlin's `List` in the generated class).
    Seq {
        /// The items.
        items: Vec<Value>,
    },
    /// A map with its keys in insertion order (`Dict`: `Map` would shadow Kotlin's).
    Dict {
        /// The entries, in order.
        entries: Vec<Entry>,
    },
}

/// One key of an option map.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Entry {
    /// The key (an SDK option name such as `width`).
    pub key: String,
    /// The value.
    pub value: Value,
}

/// An option map: entries in insertion order.
pub type Entries = Vec<Entry>;

/// The engine's map of `entries` (a repeated key keeps its first position and takes
/// the last value, as a dictionary literal does).
pub(crate) fn to_map(entries: Entries) -> Map {
    let mut map = Map::with_capacity(entries.len());
    for e in entries {
        map.insert(e.key, to_core(e.value));
    }
    map
}

/// The engine's value of `v`.
pub(crate) fn to_core(v: Value) -> Core {
    match v {
        Value::Null => Core::Null,
        Value::Bool { v } => Core::Bool(v),
        Value::Int { v } => Core::Int(v),
        Value::Float { v } => Core::Float(v),
        Value::Str { v } => Core::Str(v),
        Value::Seq { items } => Core::List(items.into_iter().map(to_core).collect()),
        Value::Dict { entries } => Core::Map(to_map(entries)),
    }
}

/// The entries of the engine's `map`.
pub(crate) fn from_map(map: Map) -> Entries {
    map.into_iter()
        .map(|(key, value)| Entry {
            key,
            value: from_core(value),
        })
        .collect()
}

/// The uniffi value of the engine's `v`.
pub(crate) fn from_core(v: Core) -> Value {
    match v {
        Core::Null => Value::Null,
        Core::Bool(v) => Value::Bool { v },
        Core::Int(v) => Value::Int { v },
        Core::Float(v) => Value::Float { v },
        Core::Str(v) => Value::Str { v },
        Core::List(items) => Value::Seq {
            items: items.into_iter().map(from_core).collect(),
        },
        Core::Map(m) => Value::Dict {
            entries: from_map(m),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_kind_and_maps_their_order() {
        let entries = vec![
            Entry {
                key: "width".into(),
                value: Value::Float { v: 2.0 },
            },
            Entry {
                key: "crop".into(),
                value: Value::Str { v: "fill".into() },
            },
            Entry {
                key: "height".into(),
                value: Value::Int { v: 3 },
            },
        ];
        let map = to_map(entries.clone());
        assert_eq!(map.keys().collect::<Vec<_>>(), ["width", "crop", "height"]);
        assert_eq!(map.get("width").unwrap().py_str(), "2.0");
        assert_eq!(map.get("height").unwrap().py_str(), "3");
        assert_eq!(from_map(map), entries);
    }
}
