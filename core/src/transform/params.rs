//! The parameter table: every transformation option as one row.
//!
//! This is the one place to read (or add) a parameter. Each row of the `params!` call
//! below names the option, its URL keys, its place in the component, a hint of the
//! values it takes (for generated typed interfaces) and its value rule (a [`Rule`],
//! one function of [`super::rules`]). The [`Opt`] enum, the classifier ([`classify`]), the public
//! [`PARAMS`] table and its documentation all come from those rows.
//!
//! Rows are in evaluation order: when two options are invalid, the first row's error
//! is the one reported (as the reference SDK's order of checks). Within a component,
//! keyed parameters are written sorted by key whatever the row order.
//!
//! Options not listed here are not transformation parameters: the URL builder leaves
//! them to the tag helpers.
//!
//! Adding a parameter is one row, plus its rule (a function of [`super::rules`] and its
//! [`Rule`] variant) when none of the shared ones (`Raw`, `Expression`, `Color`) fits;
//! a new URL key also goes into the sorted `keys!` list.

use super::rules::Rule;

/// What kind of JSON value an option takes (one of [`ValueType::kinds`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A number (integer or float).
    Number,
    /// A text.
    Text,
    /// A boolean.
    Bool,
    /// A list (of texts, numbers or maps, per the option).
    List,
    /// A map (its keys in [`ValueType::map_keys`] when known).
    Map,
}

/// A hint of the values an option takes, for generated stubs and typed interfaces.
///
/// The hint is advisory: the engine accepts what the reference SDK accepts, and texts
/// outside [`ValueType::known`] are passed through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueType {
    /// The JSON kinds accepted, the usual one first.
    pub kinds: &'static [Kind],
    /// Well-known text values (empty when nothing is listed).
    pub known: &'static [&'static str],
    /// Whether [`ValueType::known`] is the whole set of texts the API takes (`crop`),
    /// rather than the common ones of an open set (`gravity: "auto:faces"`,
    /// `fetch_format: "jpeg"` are valid too): typed interfaces close only these.
    pub closed: bool,
    /// The keys of the map form, when [`Kind::Map`] is accepted and they are fixed.
    pub map_keys: &'static [&'static str],
}

impl ValueType {
    const fn of(kinds: &'static [Kind]) -> Self {
        ValueType {
            kinds,
            known: &[],
            closed: false,
            map_keys: &[],
        }
    }
}

use Kind::{Bool, List, Map, Number, Text};

/// A number or an expression text (`width`, `quality`, `x`).
const NUM_OR_TEXT: ValueType = ValueType::of(&[Number, Text]);
/// Text only.
const TEXT: ValueType = ValueType::of(&[Text]);
/// A text or a list of texts.
const TEXT_OR_LIST: ValueType = ValueType::of(&[Text, List]);

/// Where an option's output goes in the transformation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Place {
    /// First in the component (`if_<condition>`).
    First,
    /// After `if`, before the keyed parameters: user variables (`$name_<value>`).
    Variables,
    /// Among the keyed parameters of the component, sorted by URL key.
    ByKey,
    /// Appended after the keyed parameters (`raw_transformation`).
    Last,
    /// A component of its own after this one (`responsive_width`).
    ComponentAfter,
}

/// One transformation parameter: a row of [`PARAMS`].
#[derive(Clone, Copy)]
pub struct Param {
    /// The option name, as given in an option map (`"width"`).
    pub name: &'static str,
    /// The URL keys it writes (`["w"]`; `offset` writes `so` and `eo`; empty when the
    /// output has no key of its own).
    pub keys: &'static [&'static str],
    /// Where its output goes.
    pub place: Place,
    /// The values it takes (a hint for generated interfaces).
    pub value: ValueType,
    /// Its value rule in words (the rule itself is a function of the engine).
    pub rule: &'static str,
    pub(crate) opt: Opt,
    /// Index of the first key in [`KEY_TEXT`], [`NO_KEY`] when it has none.
    pub(crate) key: u8,
    pub(crate) apply: Rule,
}

impl Param {
    /// The index of the first URL key (in [`KEY_TEXT`] order).
    #[inline(always)]
    pub(crate) fn key(&self) -> usize {
        self.key as usize
    }
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Param")
            .field("name", &self.name)
            .field("keys", &self.keys)
            .field("place", &self.place)
            .field("value", &self.value)
            .field("rule", &self.rule)
            .finish()
    }
}

/// Every transformation parameter, in evaluation order (read-only).
///
/// The same table as [`PARAMS`]; a function for bindings that prefer one.
pub fn list_params() -> &'static [Param] {
    PARAMS
}

/// The row of the option `name`, if it is a transformation parameter.
pub fn param(name: &str) -> Option<&'static Param> {
    classify(name).map(|opt| &PARAMS[opt as usize])
}

/// [`Param::key`] of a row without a key of its own.
pub(crate) const NO_KEY: u8 = u8::MAX;

/// The index in [`KEY_TEXT`] of the first of `keys` ([`NO_KEY`] when there is none or
/// it is not a sorted key, as `if`).
const fn key_index(keys: &[&str]) -> u8 {
    if keys.is_empty() {
        return NO_KEY;
    }
    let mut i = 0;
    while i < KEY_TEXT.len() {
        if str_eq(KEY_TEXT[i], keys[0]) {
            return i as u8;
        }
        i += 1;
    }
    NO_KEY
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! params {
    ($(
        $variant:ident $name:literal [$($key:literal),*] $place:ident $value:expr,
            $apply:ident, $doc:literal;
    )*) => {
        /// A transformation option recognised by the builder: the index of its row in
        /// [`PARAMS`] (and its bit in the builder's masks).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Opt { $($variant),* }

        /// Option names, indexed by [`Opt`].
        const NAMES: &[&str] = &[$($name),*];

        /// Options, indexed by [`Opt`].
        const OPTS: &[Opt] = &[$(Opt::$variant),*];

        /// Every transformation parameter, in evaluation order.
        ///
        /// | option | URL keys | value rule |
        /// |---|---|---|
        $(#[doc = concat!("| `", $name, "` | ", $("`", $key, "` ",)* " | ", $doc, " |")])*
        ///
        /// Besides these, option names starting with `$` are user variables (written
        /// with `variables`).
        pub static PARAMS: &[Param] = &[$(
            Param {
                name: $name,
                keys: &[$($key),*],
                place: Place::$place,
                value: $value,
                rule: $doc,
                opt: Opt::$variant,
                key: key_index(&[$($key),*]),
                apply: Rule::$apply,
            }
        ),*];
    };
}

params! {
    ResponsiveWidth "responsive_width" [] ComponentAfter ValueType::of(&[Bool]),
        AfterComponent, "appends the configured responsive component (default `c_limit,w_auto`)";
    Size "size" ["w", "h"] ByKey TEXT,
        Size, "`\"<w>x<h>\"` → `w`, `h` (overrides `width` / `height`)";
    Background "background" ["b"] ByKey TEXT,
        Color, "`#` → `rgb:`";
    Color "color" ["co"] ByKey TEXT,
        Color, "`#` → `rgb:`";
    Transformation "transformation" ["t"] ByKey ValueType::of(&[Text, List, Map]),
        Transformation, "names joined with `.`; maps chain components before this one";
    Effect "effect" ["e"] ByKey ValueType::of(&[Text, List, Map]),
        Effect, "list joined with `:`, map's first entry `k:v`, then expression";
    Border "border" ["bo"] ByKey ValueType { kinds: &[Text, Map], known: &[], closed: false, map_keys: &["width", "color"] },
        Border, "map `{width, color}` → `<w>px_solid_<color>`, else raw";
    Flags "flags" ["fl"] ByKey TEXT_OR_LIST,
        Flags, "list joined with `.`";
    Dpr "dpr" ["dpr"] ByKey ValueType { kinds: &[Number, Text], known: &["auto"], closed: false, map_keys: &[] },
        Dpr, "expression (configuration fallback)";
    Duration "duration" ["du"] ByKey NUM_OR_TEXT,
        Duration, "range value, dropped when not one";
    StartOffset "start_offset" ["so"] ByKey NUM_OR_TEXT,
        Offsets, "`auto`, range value or raw, then expression";
    EndOffset "end_offset" ["eo"] ByKey NUM_OR_TEXT,
        Offsets, "range value or raw, then expression";
    Offset "offset" ["so", "eo"] ByKey ValueType::of(&[Text, List]),
        Offsets, "`A..B` or a list: first and last";
    VideoCodec "video_codec" ["vc"] ByKey ValueType { kinds: &[Text, Map], known: &[], closed: false, map_keys: &["codec", "profile", "level", "b_frames"] },
        VideoCodec, "map `{codec, profile, level, b_frames}`, else raw";
    Overlay "overlay" ["l"] ByKey ValueType::of(&[Text, Map]),
        Layer, "layer";
    Underlay "underlay" ["u"] ByKey ValueType::of(&[Text, Map]),
        Layer, "layer";
    If "if" ["if"] First TEXT,
        Condition, "expression, first in the component";
    CustomFunction "custom_function" ["fn"] ByKey ValueType { kinds: &[Map, Text], known: &[], closed: false, map_keys: &["function_type", "source"] },
        CustomFunction, "map `{function_type, source}`; `remote` sources base64url";
    CustomPreFunction "custom_pre_function" ["fn"] ByKey ValueType { kinds: &[Map, Text], known: &[], closed: false, map_keys: &["function_type", "source"] },
        CustomFunction, "as `custom_function`, prefixed `pre:` (used when `custom_function` is not)";
    Fps "fps" ["fps"] ByKey ValueType::of(&[Number, Text, List]),
        Fps, "list of expressions joined with `-`, else raw";
    KeyframeInterval "keyframe_interval" ["ki"] ByKey NUM_OR_TEXT,
        KeyframeInterval, "string raw; number > 0 printed as float";
    Radius "radius" ["r"] ByKey ValueType::of(&[Number, Text, List]),
        Radius, "list of 1–4 expressions joined with `:`, else expression";
    Angle "angle" ["a"] ByKey ValueType::of(&[Number, Text, List]),
        Angle, "list joined with `.`, then expression";
    Height "height" ["h"] ByKey NUM_OR_TEXT,
        Dimension, "expression";
    Width "width" ["w"] ByKey NUM_OR_TEXT,
        Dimension, "expression";
    AspectRatio "aspect_ratio" ["ar"] ByKey NUM_OR_TEXT,
        Expression, "expression";
    Opacity "opacity" ["o"] ByKey NUM_OR_TEXT,
        Expression, "expression";
    Quality "quality" ["q"] ByKey ValueType { kinds: &[Number, Text], known: &["auto", "auto:best", "auto:good", "auto:eco", "auto:low"], closed: false, map_keys: &[] },
        Expression, "expression";
    X "x" ["x"] ByKey NUM_OR_TEXT,
        Expression, "expression";
    Y "y" ["y"] ByKey NUM_OR_TEXT,
        Expression, "expression";
    Zoom "zoom" ["z"] ByKey NUM_OR_TEXT,
        Expression, "expression";
    AudioCodec "audio_codec" ["ac"] ByKey TEXT,
        Raw, "raw";
    AudioFrequency "audio_frequency" ["af"] ByKey NUM_OR_TEXT,
        Raw, "raw";
    BitRate "bit_rate" ["br"] ByKey NUM_OR_TEXT,
        Raw, "raw";
    Crop "crop" ["c"] ByKey ValueType { kinds: &[Text], known: &["scale", "fit", "limit", "mfit", "fill", "lfill", "pad", "lpad", "mpad", "fill_pad", "crop", "thumb", "auto", "imagga_crop", "imagga_scale"], closed: true, map_keys: &[] },
        Raw, "raw";
    ColorSpace "color_space" ["cs"] ByKey TEXT,
        Raw, "raw";
    DefaultImage "default_image" ["d"] ByKey TEXT,
        Raw, "raw";
    Delay "delay" ["dl"] ByKey NUM_OR_TEXT,
        Raw, "raw";
    Density "density" ["dn"] ByKey NUM_OR_TEXT,
        Raw, "raw";
    FetchFormat "fetch_format" ["f"] ByKey ValueType { kinds: &[Text], known: &["auto", "jpg", "png", "webp", "avif", "gif", "mp4", "webm"], closed: false, map_keys: &[] },
        Raw, "raw";
    Gravity "gravity" ["g"] ByKey ValueType { kinds: &[Text], known: &["north_west", "north", "north_east", "west", "center", "east", "south_west", "south", "south_east", "face", "faces", "auto", "custom"], closed: false, map_keys: &[] },
        Raw, "raw";
    Prefix "prefix" ["p"] ByKey TEXT,
        Raw, "raw";
    Page "page" ["pg"] ByKey NUM_OR_TEXT,
        Raw, "raw";
    StreamingProfile "streaming_profile" ["sp"] ByKey TEXT,
        Raw, "raw";
    VideoSampling "video_sampling" ["vs"] ByKey NUM_OR_TEXT,
        Raw, "raw";
    Variables "variables" [] Variables ValueType::of(&[List]),
        Variables, "`[name, value]` pairs after the `$name` options, after `if`";
    RawTransformation "raw_transformation" [] Last TEXT,
        RawTransformation, "appended verbatim";
}

/// Number of [`Opt`] variants (the slot table size).
pub(crate) const OPT_COUNT: usize = NAMES.len();

// The builder keeps one bit per option in a `u64`.
const _: () = assert!(OPT_COUNT <= 64);

/// Bits of the rows whose rule also runs when the option is absent, if the
/// configuration gives a fallback (`dpr`); without one an absent option costs nothing.
pub(crate) const CONFIG_FALLBACK: u64 = 1 << Opt::Dpr as u32;

/// Size of the classifier's open-addressing table (a power of two).
const INDEX_SIZE: usize = 128;

/// The classifier's hash: first, middle and last byte and the length. The current
/// names have no collision; a new one that collides is found by probing.
#[inline(always)]
const fn hash(b: &[u8]) -> usize {
    let n = b.len();
    ((b[0] as usize).wrapping_mul(39)
        ^ (b[n - 1] as usize).wrapping_mul(15)
        ^ n.wrapping_mul(9)
        ^ b[n / 2] as usize)
        & (INDEX_SIZE - 1)
}

/// Row indexes by [`hash`], `u8::MAX` for an empty slot (built at compile time).
const INDEX: [u8; INDEX_SIZE] = {
    let mut table = [u8::MAX; INDEX_SIZE];
    let mut i = 0;
    while i < NAMES.len() {
        let mut h = hash(NAMES[i].as_bytes());
        while table[h] != u8::MAX {
            h = (h + 1) & (INDEX_SIZE - 1);
        }
        table[h] = i as u8;
        i += 1;
    }
    table
};

/// Maps an option name to its [`Opt`] (one hash and, for options, one comparison).
#[inline]
pub(crate) fn classify(name: &str) -> Option<Opt> {
    let b = name.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut h = hash(b);
    loop {
        let i = INDEX[h];
        if i == u8::MAX {
            return None;
        }
        if NAMES[i as usize] == name {
            return Some(OPTS[i as usize]);
        }
        h = (h + 1) & (INDEX_SIZE - 1);
    }
}

macro_rules! keys {
    ($($variant:ident = $text:literal),* $(,)?) => {
        /// A URL key, in the order keys appear inside one component (rows name keys
        /// by text; rules that write a key other than their row's name it here).
        #[allow(dead_code)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Key { $($variant),* }

        /// The URL text of each key, indexed by [`Key`].
        pub(crate) const KEY_TEXT: &[&str] = &[$($text),*];

        /// Each key followed by `_`, as a parameter starts (`w_`): one copy per
        /// parameter written.
        pub(crate) const KEY_PREFIX: &[&str] = &[$(concat!($text, "_")),*];
    };
}

// Sorted: a component's parameters are ordered by key (`_` sorts before letters, so
// sorting `key_value` strings is sorting keys).
keys!(
    A = "a",
    Ac = "ac",
    Af = "af",
    Ar = "ar",
    B = "b",
    Bo = "bo",
    Br = "br",
    C = "c",
    Co = "co",
    Cs = "cs",
    D = "d",
    Dl = "dl",
    Dn = "dn",
    Dpr = "dpr",
    Du = "du",
    E = "e",
    Eo = "eo",
    F = "f",
    Fl = "fl",
    Fn = "fn",
    Fps = "fps",
    G = "g",
    H = "h",
    Ki = "ki",
    L = "l",
    O = "o",
    P = "p",
    Pg = "pg",
    Q = "q",
    R = "r",
    So = "so",
    Sp = "sp",
    T = "t",
    U = "u",
    Vc = "vc",
    Vs = "vs",
    W = "w",
    X = "x",
    Y = "y",
    Z = "z",
);

/// Number of URL keys.
pub(crate) const KEY_COUNT: usize = Key::Z as usize + 1;

// The builder keeps one bit per key in a `u64`.
const _: () = assert!(KEY_COUNT <= 64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_classified() {
        assert_eq!(PARAMS.len(), OPT_COUNT);
        for (i, p) in PARAMS.iter().enumerate() {
            let name = p.name;
            assert_eq!(p.opt as usize, i, "{name}");
            assert_eq!(classify(name), Some(p.opt), "{name}");
            assert_eq!(param(name).map(|p| p.name), Some(name));
            // Near misses are not options.
            assert_eq!(classify(&format!("{name}_")), None);
            assert_eq!(classify(&name[..name.len() - 1]), None, "{name}");
            assert_eq!(classify(&name.to_uppercase()), None, "{name}");
        }
        for other in ["", "public_id", "secure", "sign_url", "type", "w", "$width"] {
            assert_eq!(classify(other), None, "{other}");
        }
    }

    #[test]
    fn keyed_rows_name_sorted_keys() {
        for p in PARAMS {
            if p.place == Place::ByKey {
                assert!(!p.keys.is_empty(), "{}", p.name);
                for k in p.keys {
                    assert!(KEY_TEXT.contains(k), "{}: {k}", p.name);
                }
                assert_eq!(KEY_TEXT[p.key()], p.keys[0], "{}", p.name);
            } else if p.keys.iter().all(|k| !KEY_TEXT.contains(k)) {
                assert_eq!(p.key, NO_KEY, "{}", p.name);
            }
            assert!(!p.value.kinds.is_empty(), "{}", p.name);
            assert!(p.value.map_keys.is_empty() || p.value.kinds.contains(&Kind::Map));
        }
        // Every key is written by some row.
        for k in KEY_TEXT {
            assert!(PARAMS.iter().any(|p| p.keys.contains(k)), "{k}");
        }
    }

    #[test]
    fn keys_are_sorted() {
        let mut sorted = KEY_TEXT.to_vec();
        sorted.sort_by_key(|k| format!("{k}_"));
        assert_eq!(sorted, KEY_TEXT);
        assert_eq!(KEY_TEXT.len(), KEY_COUNT);
    }

    #[test]
    fn public_table_reads_as_documented() {
        let width = param("width").expect("width is a parameter");
        assert_eq!(width.keys, ["w"]);
        assert_eq!(width.place, Place::ByKey);
        assert_eq!(width.value.kinds, [Kind::Number, Kind::Text]);
        assert!(param("crop").is_some_and(|p| p.value.known.contains(&"fill")));
        assert_eq!(list_params().len(), PARAMS.len());
        assert!(format!("{width:?}").contains("\"w\""));
    }
}
