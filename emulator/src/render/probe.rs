//! What an uploaded file is, as far as images go: its format and dimensions read from
//! the header (the upload's `resource_type: auto` and the answer's `width`/`height`,
//! and the facts of eager renderings).

/// Image format and dimensions read from the file header, if it is an image.
pub fn probe_image(path: &std::path::Path) -> Option<(String, u32, u32)> {
    let reader = image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?;
    let format = reader.format()?;
    let ext = format.extensions_str().first()?.to_string();
    let (w, h) = reader.into_dimensions().ok()?;
    Some((ext, w, h))
}
