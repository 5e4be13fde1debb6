//! The common case of the node transformation builder, written directly: an option
//! map whose every key is one of a dozen plain printed parameters (`width`, `height`,
//! `crop`, `gravity`, `quality`, `fetch_format`, ...) with a text or integer value,
//! and a configuration without `dpr` or `responsive_width`.
//!
//! For such a map [`super::generate`] would read forty-odd option names, all but these
//! absent; here each entry is placed by its name and the parameters print in key
//! order. The result, and what is left in the map, are the general builder's (the
//! tests compare the two over every combination of names and tricky values).

use std::borrow::Cow;

use super::{below_one, config_value, normalize, starts_with_auto};
use crate::config::Config;
use crate::transform::js;
use crate::value::{Map, Value};

/// The plain parameters: option name, key, whether the value is normalized (the
/// npm SDK's `normalize_expression`). In the order of their keys, the order the
/// SDK sorts the rendered `key_value` texts in.
const PLAIN: [(&str, &str, bool); 12] = [
    ("aspect_ratio", "ar", true),
    ("crop", "c", false),
    ("effect", "e", true),
    ("fetch_format", "f", false),
    ("gravity", "g", false),
    ("height", "h", true),
    ("opacity", "o", true),
    ("quality", "q", true),
    ("width", "w", true),
    ("x", "x", true),
    ("y", "y", true),
    ("zoom", "z", true),
];
const CROP: usize = 1;
const HEIGHT: usize = 5;
const WIDTH: usize = 8;

/// The transformation of a plain option map, consuming it as [`super::generate`]
/// does, or `None` (map untouched) when the map or the configuration is not plain.
pub(super) fn generate(config: &Config, options: &mut Map) -> Option<String> {
    if options.len() > PLAIN.len()
        || config_value(&config.known.dpr).is_some()
        || config_value(&config.known.responsive_width).is_some()
    {
        return None;
    }
    let mut slots: [Option<&Value>; PLAIN.len()] = [None; PLAIN.len()];
    for (name, value) in options.iter() {
        if !matches!(value, Value::Str(_) | Value::Int(_)) {
            return None;
        }
        let at = PLAIN.iter().position(|p| p.0 == name.as_str())?;
        slots[at] = Some(value);
    }

    let mut out = String::with_capacity(48);
    for (value, &(_, key, normalized)) in slots.iter().zip(PLAIN.iter()) {
        let Some(value) = *value else { continue };
        let value = if normalized {
            normalize(value)
        } else {
            Cow::Borrowed(value)
        };
        if !js::present(Some(&value)) {
            continue;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(key);
        out.push('_');
        js::push_string(&mut out, &value);
    }

    // What the general builder leaves: `width` and `height` (read, not consumed),
    // unless the SDK does not keep them as HTML sizes.
    let no_html_sizes = matches!(slots[CROP], Some(Value::Str(c)) if c == "fit" || c == "limit");
    let keeps = |v: Option<&Value>, auto: bool| {
        !v.is_some_and(|v| js::truthy(Some(v)) && (no_html_sizes || below_one(v, auto)))
    };
    let keep_width = keeps(slots[WIDTH], true);
    let keep_height = keeps(slots[HEIGHT], false);
    let responsive = starts_with_auto(slots[WIDTH]);
    options.retain(|name, _| match name {
        "width" => keep_width,
        "height" => keep_height,
        _ => false,
    });
    if responsive {
        options.insert("responsive", true);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile;

    /// Values that take every branch: falsy, below one, `auto`, HTML-only crops,
    /// expressions and variables that normalize, quoted text.
    fn values() -> Vec<Value> {
        let mut v: Vec<Value> = [0, 1, -1, 300].into_iter().map(Value::Int).collect();
        for s in [
            "",
            "0",
            "0.5",
            " 3",
            "fit",
            "limit",
            "fill",
            "auto",
            "auto:breakpoints",
            "face",
            "w_div 2",
            "width * 2",
            "initial_width",
            "!x y!",
            "$v",
            "1.0",
        ] {
            v.push(Value::from(s));
        }
        v
    }

    /// A small deterministic generator (xorshift), so a failure names its case.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn node_config() -> Config {
        Config::new()
            .with("cloud_name", "demo")
            .with_profile(Profile::Node)
    }

    #[test]
    fn agrees_with_the_general_builder() {
        let config = node_config();
        let values = values();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut served = 0;
        for case in 0..20_000 {
            let mut map = Map::new();
            for _ in 0..rng.below(6) {
                // Now and then a name the plain path does not serve.
                let name = if rng.below(10) == 0 {
                    "flags"
                } else {
                    PLAIN[rng.below(PLAIN.len())].0
                };
                map.insert(name, values[rng.below(values.len())].clone());
            }
            let mut general = map.clone();
            let expected = super::super::general(&config, &mut general, 0);
            let mut plain = map.clone();
            match generate(&config, &mut plain) {
                Some(out) => {
                    served += 1;
                    assert_eq!(Some(out), expected.ok(), "case {case}: {map:?}");
                    assert_eq!(plain, general, "case {case}: leftovers of {map:?}");
                }
                None => assert_eq!(plain, map, "case {case}: untouched"),
            }
        }
        assert!(served > 10_000, "the plain path served {served} cases");
    }

    #[test]
    fn leaves_other_maps_and_configurations_to_the_general_builder() {
        let config = node_config();
        for map in [
            Map::from_iter([("width", Value::Float(0.5))]),
            Map::from_iter([("width", Value::Null)]),
            Map::from_iter([("crop", Value::Bool(true))]),
            Map::from_iter([("overlay", "logo")]),
            Map::from_iter([("width", "100"), ("$v", "3")]),
        ] {
            assert_eq!(generate(&config, &mut map.clone()), None, "{map:?}");
        }
        let w = Map::from_iter([("width", 100)]);
        for setting in ["dpr", "responsive_width"] {
            let config = node_config().with(setting, 2);
            assert_eq!(generate(&config, &mut w.clone()), None, "{setting}");
        }
        let config = node_config().with("dpr", Value::Null);
        assert_eq!(generate(&config, &mut w.clone()).as_deref(), Some("w_100"));
    }
}
