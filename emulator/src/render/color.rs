//! Colours as the URL API writes them: `rgb:rrggbb`, `rgb:rgb`, `rgb:rrggbbaa`, `#…`
//! (the SDKs turn it into `rgb:`), and the CSS colour names (`red`, `lightblue`, …).

use image::Rgba;

/// Opaque white, the background of padding and of flattened transparency.
pub const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
/// Opaque black, the default colour of text, borders and `e_colorize`.
pub const BLACK: Rgba<u8> = Rgba([0, 0, 0, 255]);
/// Fully transparent.
pub const TRANSPARENT: Rgba<u8> = Rgba([0, 0, 0, 0]);

/// Parses a colour: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb:…` with 3, 6 or 8 hex digits,
/// `transparent`/`none`, or a CSS colour name (case-insensitive).
pub fn parse_color(v: &str) -> Option<Rgba<u8>> {
    let v = v.trim().to_ascii_lowercase();
    if v == "transparent" || v == "none" {
        return Some(TRANSPARENT);
    }
    if let Some(hex) = v.strip_prefix('#').or_else(|| v.strip_prefix("rgb:")) {
        return hex_color(hex);
    }
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        return csscolorparser::parse(&v).ok().map(|c| Rgba(c.to_rgba8()));
    }
    None
}

fn hex_color(hex: &str) -> Option<Rgba<u8>> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    let nibble = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok().map(|n| n * 17);
    match hex.len() {
        3 => Some(Rgba([nibble(0)?, nibble(1)?, nibble(2)?, 255])),
        6 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, 255])),
        8 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, byte(6)?])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_in_every_url_form() {
        assert_eq!(parse_color("#f00"), Some(Rgba([255, 0, 0, 255])));
        assert_eq!(parse_color("rgb:00ff0080"), Some(Rgba([0, 255, 0, 128])));
        assert_eq!(parse_color("RGB:0000FF"), Some(Rgba([0, 0, 255, 255])));
        assert_eq!(parse_color("lightblue"), Some(Rgba([173, 216, 230, 255])));
        assert_eq!(parse_color("Red"), Some(Rgba([255, 0, 0, 255])));
        assert_eq!(parse_color("transparent"), Some(TRANSPARENT));
        for bad in ["nope", "rgb:12", "#ggg", "", "rgb(1,2,3)"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }
}
