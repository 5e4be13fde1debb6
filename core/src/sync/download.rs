//! The dual modes' downloads: an asset only Cloudinary holds is written into the
//! platform's download directory, streamed to a temporary file and renamed into
//! place, so a killed run never leaves a half-written file under the final name.

use std::io::Write;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;

use super::execute::Outcome;
use super::{Action, ActionKind, Mode, RemoteAsset, SyncOptions};
use crate::Client;

/// Downloads `asset`, the remote asset of `a` (see the module docs).
pub(crate) async fn fetch(
    client: &Client,
    asset: Option<&RemoteAsset>,
    a: Action,
    options: &SyncOptions,
) -> Outcome {
    match fetch_inner(client, asset, options).await {
        Ok(()) => Outcome::Done(ActionKind::Download, a.public_id),
        Err(reason) => Outcome::Failed(a.public_id, reason),
    }
}

async fn fetch_inner(
    client: &Client,
    asset: Option<&RemoteAsset>,
    options: &SyncOptions,
) -> Result<(), String> {
    let asset = asset.ok_or("the listing did not hold the asset")?;
    let url = asset
        .secure_url
        .as_deref()
        .ok_or("the listing gave no secure_url")?;
    let url = if options.mode == Mode::DualLowRes && asset.resource_type != "raw" {
        low_res_url(url, options.low_res_width).ok_or("the secure_url has no /upload/ part")?
    } else {
        url.to_owned()
    };
    let dir = options
        .download_dir
        .as_deref()
        .ok_or("no download directory")?;
    let target = target_path(dir, &options.folder, asset)?;
    let http = client.http_client().map_err(|e| e.to_string())?;
    let resp = http
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("download failed: {}", e.without_url()))?;
    if !resp.status().is_success() {
        // Cloudinary says why in `X-Cld-Error` (a short text, never a credential).
        let why = resp
            .headers()
            .get("x-cld-error")
            .and_then(|v| v.to_str().ok())
            .map(|v| format!(": {}", v.chars().take(200).collect::<String>()))
            .unwrap_or_default();
        return Err(format!(
            "download answered HTTP {}{why}",
            resp.status().as_u16()
        ));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let parent = target.parent().unwrap_or(dir);
    let mut tmp = tempfile::NamedTempFile::new_in(parent)
        .map_err(|e| format!("{}: {e}", parent.display()))?;
    let mut body = resp.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| format!("download failed: {}", e.without_url()))?;
        tmp.write_all(&chunk).map_err(|e| e.to_string())?;
    }
    tmp.persist(&target)
        .map_err(|e| format!("{}: {}", target.display(), e.error))?;
    Ok(())
}

/// `.../image/upload/v1/a.jpg` → `.../image/upload/c_limit,w_<width>/v1/a.jpg`.
fn low_res_url(url: &str, width: u32) -> Option<String> {
    let at = url.find("/upload/")? + "/upload/".len();
    Some(format!("{}c_limit,w_{width}/{}", &url[..at], &url[at..]))
}

/// Where an asset lands: its public id below the folder, plus the format's
/// extension (raw public ids carry theirs). Public ids that would leave the
/// directory (`..`, empty or absolute segments) are refused.
fn target_path(dir: &Path, folder: &str, asset: &RemoteAsset) -> Result<PathBuf, String> {
    let folder = folder.trim_matches('/');
    let rel = if folder.is_empty() {
        asset.public_id.as_str()
    } else {
        asset
            .public_id
            .strip_prefix(folder)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(asset.public_id.as_str())
    };
    let mut path = dir.to_path_buf();
    for seg in rel.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') || seg.contains('\0') {
            return Err(format!(
                "the public id {:?} cannot be a path below the download directory",
                asset.public_id
            ));
        }
        path.push(seg);
    }
    match (&asset.format, asset.resource_type.as_str()) {
        (Some(f), rt)
            if rt != "raw" && !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            let name = format!(
                "{}.{f}",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
            );
            path.set_file_name(name);
        }
        _ => {}
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(pid: &str, format: Option<&str>, rt: &str) -> RemoteAsset {
        RemoteAsset {
            public_id: pid.into(),
            resource_type: rt.into(),
            etag: None,
            version: None,
            platform_id: None,
            format: format.map(Into::into),
            secure_url: None,
        }
    }

    #[test]
    fn targets_stay_below_the_directory() {
        let d = Path::new("/srv/media");
        let t = target_path(d, "wp", &asset("wp/2024/cat", Some("jpg"), "image")).unwrap();
        assert_eq!(t, Path::new("/srv/media/2024/cat.jpg"));
        let t = target_path(d, "", &asset("doc.pdf", Some("pdf"), "raw")).unwrap();
        assert_eq!(t, Path::new("/srv/media/doc.pdf"));
        for bad in ["wp/../../etc/passwd", "wp//x", "wp/./x", "/abs"] {
            assert!(
                target_path(d, "wp", &asset(bad, None, "image")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn low_res_inserts_a_limit_after_upload() {
        assert_eq!(
            low_res_url("http://h/demo/image/upload/v3/a/b.png", 300).unwrap(),
            "http://h/demo/image/upload/c_limit,w_300/v3/a/b.png"
        );
        assert!(low_res_url("http://h/demo/image/fetch/x", 3).is_none());
    }
}
