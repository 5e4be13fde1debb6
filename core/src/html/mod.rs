//! HTML tags: `<img>`, `<video>`, `<picture>` and `<source>`, with srcset/sizes,
//! responsive and HiDPI modes, client hints, lazy loading and low-quality placeholders.
//!
//! The tag methods live on [`Client`](crate::Client): [`image_tag`](crate::Client::image_tag),
//! [`video_tag`](crate::Client::video_tag), [`picture_tag`](crate::Client::picture_tag),
//! [`source_tag`](crate::Client::source_tag), [`lazy_image_tag`](crate::Client::lazy_image_tag)
//! and [`placeholder_urls`](crate::Client::placeholder_urls). They reproduce pycloudinary
//! 1.46.3 (`CloudinaryImage(id).image(**options)` and friends): in the
//! [`Profile::Python`](crate::Profile::Python) profile byte for byte; in the default
//! profile attribute values are HTML-escaped and `null`/`""` attributes are left out
//! (where pycloudinary raises).
//!
//! A responsive image with a placeholder, end to end:
//!
//! ```
//! use cldkit::{html::PlaceholderMode, Client, Config, Map};
//! let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
//! let opts: Map = serde_json::from_str(r#"{
//!     "width": 800, "crop": "scale", "alt": "Beach",
//!     "srcset": {"min_width": 400, "max_width": 800, "max_images": 2, "sizes": true}
//! }"#).unwrap();
//! let html = client.lazy_image_tag("beach", &opts, Some(PlaceholderMode::Blur)).unwrap();
//! assert_eq!(html, concat!(
//!     r#"<img alt="Beach" "#,
//!     r#"data-src="https://res.cloudinary.com/demo/image/upload/c_scale,w_800/beach" "#,
//!     r#"data-srcset="https://res.cloudinary.com/demo/image/upload/c_scale,w_800/c_scale,w_400/beach 400w, "#,
//!     r#"https://res.cloudinary.com/demo/image/upload/c_scale,w_800/c_scale,w_800/beach 800w" loading="lazy" "#,
//!     r#"sizes="(max-width: 400px) 400px, (max-width: 800px) 800px" "#,
//!     r#"src="https://res.cloudinary.com/demo/image/upload/c_scale,w_800/e_blur:2000/q_auto/f_auto/beach"/>"#,
//! ));
//! ```

mod attributes;
mod image;
mod node;
mod php;
mod picture;
mod placeholder;
mod srcset;
mod tag_options;
mod video;

pub use attributes::{escape_attribute, render_attributes};
pub use image::BLANK_GIF;
pub use picture::media_query;
pub use placeholder::{PlaceholderMode, PlaceholderUrls};
pub use srcset::{
    breakpoints, responsive_breakpoint_widths, responsive_breakpoints, sizes_attribute,
    srcset_from_responsive_breakpoints, Breakpoint, MAX_BREAKPOINTS,
};
pub use video::{video_mime_type, DEFAULT_SOURCE_TYPES};
