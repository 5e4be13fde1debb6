//! The parameter table: every transformation option, its URL key and its value rule.
//!
//! This is the one place to read (or add) a parameter. Options not listed here are not
//! transformation parameters: the URL builder leaves them to the tag helpers.
//!
//! | option | key | rule |
//! |---|---|---|
//! | `angle` | `a` | list joined with `.`, then expression |
//! | `audio_codec` | `ac` | raw |
//! | `audio_frequency` | `af` | raw |
//! | `aspect_ratio` | `ar` | expression |
//! | `background` | `b` | `#` → `rgb:` |
//! | `border` | `bo` | map `{width, color}` → `<w>px_solid_<color>`, else raw |
//! | `bit_rate` | `br` | raw |
//! | `crop` | `c` | raw |
//! | `color` | `co` | `#` → `rgb:` |
//! | `color_space` | `cs` | raw |
//! | `default_image` | `d` | raw |
//! | `delay` | `dl` | raw |
//! | `density` | `dn` | raw |
//! | `dpr` | `dpr` | expression (config fallback) |
//! | `duration` | `du` | range value, dropped when not one |
//! | `effect` | `e` | list joined with `:`, map's first entry `k:v`, then expression |
//! | `end_offset` | `eo` | range value or raw, then expression |
//! | `fetch_format` | `f` | raw |
//! | `flags` | `fl` | list joined with `.` |
//! | `custom_function` / `custom_pre_function` | `fn` | map `{function_type, source}`; `remote` sources base64url |
//! | `fps` | `fps` | list of expressions joined with `-`, else raw |
//! | `gravity` | `g` | raw |
//! | `height` | `h` | expression |
//! | `keyframe_interval` | `ki` | string raw; number > 0 printed as float |
//! | `overlay` | `l` | layer |
//! | `opacity` | `o` | expression |
//! | `prefix` | `p` | raw |
//! | `page` | `pg` | raw |
//! | `quality` | `q` | expression |
//! | `radius` | `r` | list of 1–4 expressions joined with `:`, else expression |
//! | `start_offset` | `so` | `auto`, range value or raw, then expression |
//! | `streaming_profile` | `sp` | raw |
//! | `transformation` | `t` | names joined with `.`; maps chain components |
//! | `underlay` | `u` | layer |
//! | `video_codec` | `vc` | map `{codec, profile, level, b_frames}` |
//! | `video_sampling` | `vs` | raw |
//! | `width` | `w` | expression |
//! | `x`, `y`, `zoom` | `x`, `y`, `z` | expression |
//! | `offset` | `so`, `eo` | `A..B` or a list: first and last |
//! | `size` | `w`, `h` | `"<w>x<h>"` |
//! | `if` | `if` | expression, first in the component |
//! | `variables`, `$name` | `$name` | user variables after `if` |
//! | `raw_transformation` | — | appended verbatim |
//! | `responsive_width` | — | appends the responsive component |

/// A transformation option recognised by the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Opt {
    Angle,
    AudioCodec,
    AudioFrequency,
    AspectRatio,
    Background,
    Border,
    BitRate,
    Crop,
    Color,
    ColorSpace,
    DefaultImage,
    Delay,
    Density,
    Dpr,
    Duration,
    Effect,
    EndOffset,
    FetchFormat,
    Flags,
    CustomFunction,
    CustomPreFunction,
    Fps,
    Gravity,
    Height,
    KeyframeInterval,
    Overlay,
    Opacity,
    Prefix,
    Page,
    Quality,
    Radius,
    StartOffset,
    StreamingProfile,
    Transformation,
    Underlay,
    VideoCodec,
    VideoSampling,
    Width,
    X,
    Y,
    Zoom,
    Offset,
    Size,
    If,
    Variables,
    RawTransformation,
    ResponsiveWidth,
}

/// Number of [`Opt`] variants (the slot table size).
pub(crate) const OPT_COUNT: usize = Opt::ResponsiveWidth as usize + 1;

/// Maps an option name to its [`Opt`]. Names are grouped by first byte, so a name
/// is compared with the few that share it.
pub(crate) fn classify(name: &str) -> Option<Opt> {
    use Opt::*;
    let first = *name.as_bytes().first()?;
    Some(match first {
        b'a' => match name {
            "angle" => Angle,
            "audio_codec" => AudioCodec,
            "audio_frequency" => AudioFrequency,
            "aspect_ratio" => AspectRatio,
            _ => return None,
        },
        b'b' => match name {
            "background" => Background,
            "border" => Border,
            "bit_rate" => BitRate,
            _ => return None,
        },
        b'c' => match name {
            "crop" => Crop,
            "color" => Color,
            "color_space" => ColorSpace,
            "custom_function" => CustomFunction,
            "custom_pre_function" => CustomPreFunction,
            _ => return None,
        },
        b'd' => match name {
            "default_image" => DefaultImage,
            "delay" => Delay,
            "density" => Density,
            "dpr" => Dpr,
            "duration" => Duration,
            _ => return None,
        },
        b'e' => match name {
            "effect" => Effect,
            "end_offset" => EndOffset,
            _ => return None,
        },
        b'f' => match name {
            "fetch_format" => FetchFormat,
            "flags" => Flags,
            "fps" => Fps,
            _ => return None,
        },
        b'g' if name == "gravity" => Gravity,
        b'h' if name == "height" => Height,
        b'i' if name == "if" => If,
        b'k' if name == "keyframe_interval" => KeyframeInterval,
        b'o' => match name {
            "overlay" => Overlay,
            "opacity" => Opacity,
            "offset" => Offset,
            _ => return None,
        },
        b'p' => match name {
            "prefix" => Prefix,
            "page" => Page,
            _ => return None,
        },
        b'q' if name == "quality" => Quality,
        b'r' => match name {
            "radius" => Radius,
            "raw_transformation" => RawTransformation,
            "responsive_width" => ResponsiveWidth,
            _ => return None,
        },
        b's' => match name {
            "start_offset" => StartOffset,
            "streaming_profile" => StreamingProfile,
            "size" => Size,
            _ => return None,
        },
        b't' if name == "transformation" => Transformation,
        b'u' if name == "underlay" => Underlay,
        b'v' => match name {
            "video_codec" => VideoCodec,
            "video_sampling" => VideoSampling,
            "variables" => Variables,
            _ => return None,
        },
        b'w' if name == "width" => Width,
        b'x' if name == "x" => X,
        b'y' if name == "y" => Y,
        b'z' if name == "zoom" => Zoom,
        _ => return None,
    })
}

/// Every option name with its [`Opt`], in declaration order (for the tests that keep
/// [`classify`] and the documentation table in step).
#[cfg(test)]
const NAMES: &[(&str, Opt)] = &[
    ("angle", Opt::Angle),
    ("audio_codec", Opt::AudioCodec),
    ("audio_frequency", Opt::AudioFrequency),
    ("aspect_ratio", Opt::AspectRatio),
    ("background", Opt::Background),
    ("border", Opt::Border),
    ("bit_rate", Opt::BitRate),
    ("crop", Opt::Crop),
    ("color", Opt::Color),
    ("color_space", Opt::ColorSpace),
    ("default_image", Opt::DefaultImage),
    ("delay", Opt::Delay),
    ("density", Opt::Density),
    ("dpr", Opt::Dpr),
    ("duration", Opt::Duration),
    ("effect", Opt::Effect),
    ("end_offset", Opt::EndOffset),
    ("fetch_format", Opt::FetchFormat),
    ("flags", Opt::Flags),
    ("custom_function", Opt::CustomFunction),
    ("custom_pre_function", Opt::CustomPreFunction),
    ("fps", Opt::Fps),
    ("gravity", Opt::Gravity),
    ("height", Opt::Height),
    ("keyframe_interval", Opt::KeyframeInterval),
    ("overlay", Opt::Overlay),
    ("opacity", Opt::Opacity),
    ("prefix", Opt::Prefix),
    ("page", Opt::Page),
    ("quality", Opt::Quality),
    ("radius", Opt::Radius),
    ("start_offset", Opt::StartOffset),
    ("streaming_profile", Opt::StreamingProfile),
    ("transformation", Opt::Transformation),
    ("underlay", Opt::Underlay),
    ("video_codec", Opt::VideoCodec),
    ("video_sampling", Opt::VideoSampling),
    ("width", Opt::Width),
    ("x", Opt::X),
    ("y", Opt::Y),
    ("zoom", Opt::Zoom),
    ("offset", Opt::Offset),
    ("size", Opt::Size),
    ("if", Opt::If),
    ("variables", Opt::Variables),
    ("raw_transformation", Opt::RawTransformation),
    ("responsive_width", Opt::ResponsiveWidth),
];

/// Parameters whose value is used as it is, by option: `(option, key)`.
pub(crate) const RAW_PARAMS: &[(Opt, Key)] = &[
    (Opt::AudioCodec, Key::Ac),
    (Opt::AudioFrequency, Key::Af),
    (Opt::BitRate, Key::Br),
    (Opt::Crop, Key::C),
    (Opt::ColorSpace, Key::Cs),
    (Opt::DefaultImage, Key::D),
    (Opt::Delay, Key::Dl),
    (Opt::Density, Key::Dn),
    (Opt::FetchFormat, Key::F),
    (Opt::Gravity, Key::G),
    (Opt::Prefix, Key::P),
    (Opt::Page, Key::Pg),
    (Opt::StreamingProfile, Key::Sp),
    (Opt::VideoSampling, Key::Vs),
];

/// Parameters whose value is an expression: `(option, key)`.
pub(crate) const EXPRESSION_PARAMS: &[(Opt, Key)] = &[
    (Opt::AspectRatio, Key::Ar),
    (Opt::Opacity, Key::O),
    (Opt::Quality, Key::Q),
    (Opt::X, Key::X),
    (Opt::Y, Key::Y),
    (Opt::Zoom, Key::Z),
];

macro_rules! keys {
    ($($variant:ident = $text:literal),* $(,)?) => {
        /// A URL key, in the order keys appear inside one component.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Key { $($variant),* }

        /// The URL text of each key, indexed by [`Key`].
        pub(crate) const KEY_TEXT: &[&str] = &[$($text),*];
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
        assert_eq!(NAMES.len(), OPT_COUNT);
        for (i, (name, opt)) in NAMES.iter().enumerate() {
            assert_eq!(*opt as usize, i, "{name}");
            assert_eq!(classify(name), Some(*opt), "{name}");
            // The documentation table names every option.
            assert!(
                include_str!("params.rs").contains(&format!("`{name}`")),
                "{name}"
            );
            // Near misses are not options.
            assert_eq!(classify(&format!("{name}_")), None);
            assert_eq!(classify(&name[..name.len() - 1]), None, "{name}");
        }
        assert_eq!(classify(""), None);
        assert_eq!(classify("public_id"), None);
    }

    #[test]
    fn keys_are_sorted() {
        let mut sorted = KEY_TEXT.to_vec();
        sorted.sort_by_key(|k| format!("{k}_"));
        assert_eq!(sorted, KEY_TEXT);
        assert_eq!(KEY_TEXT.len(), KEY_COUNT);
    }
}
