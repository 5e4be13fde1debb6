//! Video uploads: what an MP4, MOV, WebM or Matroska file says about itself (width,
//! height, duration, codecs, frame rate, bit rates), read by pure-Rust parsers, and the
//! image a video is delivered as (`.jpg`/`.png`/`.webp`/`.gif`, the SDKs'
//! `video_thumbnail`; served by the delivery module, `delivery/still.rs`).
//!
//! * ISO BMFF (MP4, MOV, M4V, M4A): the top-level boxes are walked here (sizes checked,
//!   `mdat` skipped by seeking) and the `moov` box, at most [`MAX_MOOV_BYTES`], is
//!   parsed by Mozilla's `mp4parse`, which allocates fallibly.
//! * EBML (WebM, Matroska): a small reader in this file (the `matroska` crate asserts and
//!   allocates what a file's sizes say), which reads `Info`, `Tracks` and the block
//!   headers of the clusters, at most [`MAX_EBML_ELEMENTS`] elements and values of at
//!   most [`MAX_EBML_VALUE`] bytes.
//!
//! Frames: the first key frame of a VP8 WebM/Matroska file is decoded for real (a VP8
//! key frame is what a lossy WebP holds, so it is wrapped in a WebP container and
//! decoded by the `image` crate). Other codecs (H.264, HEVC, VP9, AV1, …) would need a
//! codec the emulator does not carry, so their image is a placeholder of the video's
//! size: dark grey (`#303030`) with a lighter play triangle in the middle (640 x 360
//! when the size is unknown, scaled down to [`render::MAX_PIXELS`]).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use image::{DynamicImage, Rgba, RgbaImage};
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::render;
use crate::store::Asset;

/// The largest `moov` box read into memory (a two-hour film's index is a few MB).
pub const MAX_MOOV_BYTES: u64 = 64 << 20;
/// The most top-level ISO BMFF boxes walked.
pub const MAX_TOP_LEVEL_BOXES: usize = 100_000;
/// The most EBML elements read from a WebM/Matroska file.
pub const MAX_EBML_ELEMENTS: usize = 2_000_000;
/// The largest EBML value read into memory (strings, numbers); larger ones are skipped.
pub const MAX_EBML_VALUE: u64 = 4096;
/// The largest first key frame read into memory to be decoded.
pub const MAX_FRAME_BYTES: u64 = 16 << 20;

/// Why a file could not be read as a video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoError {
    /// Not a container this module reads (or not a video at all).
    NotAVideo,
    /// The container is damaged or lies about its sizes.
    Malformed(String),
    /// A limit of this module was passed (see the constants).
    TooLarge(&'static str),
    /// Reading the file failed.
    Io(String),
}

impl std::fmt::Display for VideoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VideoError::NotAVideo => write!(f, "not an MP4, MOV, WebM or Matroska file"),
            VideoError::Malformed(e) => write!(f, "malformed video: {e}"),
            VideoError::TooLarge(what) => write!(f, "video too large to probe: {what}"),
            VideoError::Io(e) => write!(f, "cannot read the video: {e}"),
        }
    }
}

impl std::error::Error for VideoError {}

impl From<std::io::Error> for VideoError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            VideoError::Malformed("unexpected end of file".into())
        } else {
            VideoError::Io(e.to_string())
        }
    }
}

/// The video stream of a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VideoStream {
    /// `h264`, `hevc`, `vp8`, `vp9`, `av1`, `mpeg4`, `prores`, … (ffprobe's names).
    pub codec: String,
    /// The H.264 profile (`Baseline`, `Main`, `High`, …) when the file says.
    pub profile: Option<String>,
    /// The H.264 level (`31` for 3.1) when the file says.
    pub level: Option<u32>,
    /// Bits per second of the stream's samples, when their sizes are known.
    pub bit_rate: Option<u64>,
    /// `1/<timescale>` (ISO BMFF) or `1/1000` (WebM's millisecond timecodes).
    pub time_base: Option<String>,
}

/// The audio stream of a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AudioStream {
    /// `aac`, `mp3`, `opus`, `vorbis`, `flac`, `pcm_s16le`, … (ffprobe's names).
    pub codec: String,
    /// Sample rate in Hz.
    pub frequency: Option<u32>,
    /// Channel count.
    pub channels: Option<u32>,
    /// Bits per second of the stream's samples, when their sizes are known.
    pub bit_rate: Option<u64>,
}

/// What a video file says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VideoInfo {
    /// The container's format: `mp4`, `mov`, `m4a`, `webm` or `mkv`.
    pub format: String,
    /// Display width in pixels.
    pub width: Option<u32>,
    /// Display height in pixels.
    pub height: Option<u32>,
    /// Seconds (the longest stream).
    pub duration: Option<f64>,
    /// Frames per second of the video stream.
    pub frame_rate: Option<f64>,
    /// Frames in the video stream.
    pub nb_frames: Option<u64>,
    /// `0`, `90`, `180` or `270` (the track matrix of ISO BMFF files).
    pub rotation: u32,
    /// The first video stream.
    pub video: Option<VideoStream>,
    /// The first audio stream.
    pub audio: Option<AudioStream>,
    /// The first key frame, when it can be decoded (VP8).
    pub key_frame: Option<KeyFrame>,
}

/// A key frame's encoded bytes and codec.
#[derive(Clone, PartialEq)]
pub struct KeyFrame {
    /// The codec (`vp8`).
    pub codec: String,
    /// The frame as stored in the block.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for KeyFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyFrame")
            .field("codec", &self.codec)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl VideoInfo {
    /// Whether the file has audio and no video (`is_audio`).
    pub fn is_audio(&self) -> bool {
        self.video.is_none() && self.audio.is_some()
    }

    /// The fields a video's upload answer adds, in Cloudinary's shape: `audio` and
    /// `video` objects (their bit rates as strings), `is_audio`, `frame_rate`,
    /// `bit_rate`, `duration`, `rotation` and, when counted, `nb_frames`.
    pub fn answer_fields(&self, bytes: u64) -> JsonMap<String, Json> {
        let mut o = JsonMap::new();
        let mut audio = JsonMap::new();
        if let Some(a) = &self.audio {
            audio.insert("codec".into(), json!(a.codec));
            if let Some(b) = a.bit_rate {
                audio.insert("bit_rate".into(), json!(b.to_string()));
            }
            if let Some(f) = a.frequency {
                audio.insert("frequency".into(), json!(f));
            }
            if let Some(c) = a.channels {
                audio.insert("channels".into(), json!(c));
                let layout = match c {
                    1 => Some("mono"),
                    2 => Some("stereo"),
                    6 => Some("5.1"),
                    _ => None,
                };
                if let Some(l) = layout {
                    audio.insert("channel_layout".into(), json!(l));
                }
            }
        }
        o.insert("audio".into(), Json::Object(audio));
        let mut video = JsonMap::new();
        if let Some(v) = &self.video {
            video.insert("codec".into(), json!(v.codec));
            if let Some(l) = v.level {
                video.insert("level".into(), json!(l));
            }
            if let Some(p) = &v.profile {
                video.insert("profile".into(), json!(p));
            }
            if let Some(b) = v.bit_rate {
                video.insert("bit_rate".into(), json!(b.to_string()));
            }
            if let Some(t) = &v.time_base {
                video.insert("time_base".into(), json!(t));
            }
        }
        o.insert("video".into(), Json::Object(video));
        o.insert("is_audio".into(), json!(self.is_audio()));
        if let Some(f) = self.frame_rate {
            o.insert("frame_rate".into(), json!(f));
        }
        if let Some(d) = self.duration.filter(|d| *d > 0.0) {
            o.insert(
                "bit_rate".into(),
                json!((bytes as f64 * 8.0 / d).round() as u64),
            );
            o.insert("duration".into(), json!((d * 1e6).round() / 1e6));
        }
        o.insert("rotation".into(), json!(self.rotation));
        if let Some(n) = self.nb_frames {
            o.insert("nb_frames".into(), json!(n));
        }
        o
    }
}

/// The container a file's first bytes announce, if it is one this module reads.
fn sniff(head: &[u8]) -> Option<Container> {
    if head.len() >= 4 && head[..4] == [0x1A, 0x45, 0xDF, 0xA3] {
        return Some(Container::Ebml);
    }
    if head.len() >= 8 {
        let kind = &head[4..8];
        if matches!(
            kind,
            b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip" | b"pnot"
        ) {
            return Some(Container::IsoBmff);
        }
    }
    None
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    IsoBmff,
    Ebml,
}

/// Whether the file at `path` starts like an MP4/MOV or WebM/Matroska file.
pub fn looks_like_video(path: &Path) -> bool {
    let mut head = [0u8; 12];
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let n = read_up_to(&mut f, &mut head).unwrap_or(0);
    sniff(&head[..n]).is_some()
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Reads what the video file at `path` says about itself.
pub fn probe(path: &Path) -> Result<VideoInfo, VideoError> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut r = BufReader::new(file);
    let mut head = [0u8; 12];
    let n = read_up_to(&mut r, &mut head)?;
    r.seek(SeekFrom::Start(0))?;
    match sniff(&head[..n]) {
        Some(Container::IsoBmff) => probe_iso(&mut r, len),
        Some(Container::Ebml) => probe_ebml(&mut r, len),
        None => Err(VideoError::NotAVideo),
    }
}

// ---------------------------------------------------------------- ISO BMFF

fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Walks the top-level boxes: the major brand of `ftyp` and the bytes of `moov`.
fn iso_top_level<R: Read + Seek>(
    r: &mut R,
    len: u64,
) -> Result<(Option<[u8; 4]>, Vec<u8>), VideoError> {
    let mut brand = None;
    let mut pos = 0u64;
    let mut boxes = 0usize;
    while pos + 8 <= len {
        boxes += 1;
        if boxes > MAX_TOP_LEVEL_BOXES {
            return Err(VideoError::TooLarge("too many top-level boxes"));
        }
        r.seek(SeekFrom::Start(pos))?;
        let mut h = [0u8; 16];
        r.read_exact(&mut h[..8])?;
        let kind: [u8; 4] = [h[4], h[5], h[6], h[7]];
        let (size, header) = match be_u32(&h[..4]) {
            0 => (len - pos, 8),
            1 => {
                r.read_exact(&mut h[8..16])?;
                let large =
                    u64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]);
                (large, 16)
            }
            n => (u64::from(n), 8),
        };
        if size < header || size > len - pos {
            return Err(VideoError::Malformed(format!(
                "box {} of {size} bytes at {pos} does not fit in the file",
                String::from_utf8_lossy(&kind)
            )));
        }
        match &kind {
            b"ftyp" if size >= header + 4 => {
                let mut b = [0u8; 4];
                r.read_exact(&mut b)?;
                brand.get_or_insert(b);
            }
            b"moov" => {
                if size > MAX_MOOV_BYTES {
                    return Err(VideoError::TooLarge("moov box"));
                }
                r.seek(SeekFrom::Start(pos))?;
                let mut moov = Vec::new();
                let n = usize::try_from(size).map_err(|_| VideoError::TooLarge("moov box"))?;
                moov.try_reserve_exact(n)
                    .map_err(|_| VideoError::TooLarge("moov box"))?;
                r.by_ref().take(size).read_to_end(&mut moov)?;
                if moov.len() as u64 != size {
                    return Err(VideoError::Malformed("truncated moov box".into()));
                }
                return Ok((brand, moov));
            }
            _ => {}
        }
        pos += size;
    }
    Err(VideoError::Malformed("no moov box".into()))
}

/// The sample-entry four-character codes of the `stsd` boxes in a `moov`, in track
/// order (for codecs `mp4parse` does not name).
fn stsd_fourccs(moov: &[u8]) -> Vec<[u8; 4]> {
    let mut out = Vec::new();
    let mut i = 4;
    while i + 16 <= moov.len() {
        if &moov[i..i + 4] == b"stsd" {
            // size(4) "stsd" version/flags(4) entry_count(4) | entry size(4) fourcc(4)
            let e = i + 4 + 4 + 4 + 4;
            if e + 4 <= moov.len() {
                out.push([moov[e], moov[e + 1], moov[e + 2], moov[e + 3]]);
            }
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn fourcc_codec(f: &[u8; 4]) -> String {
    match f {
        b"avc1" | b"avc3" => "h264",
        b"hvc1" | b"hev1" => "hevc",
        b"vp08" => "vp8",
        b"vp09" => "vp9",
        b"av01" => "av1",
        b"mp4v" => "mpeg4",
        b"apch" | b"apcn" | b"apcs" | b"apco" | b"ap4h" | b"ap4x" => "prores",
        b"jpeg" | b"mjpa" => "mjpeg",
        b"s263" | b"h263" => "h263",
        b"mp4a" => "aac",
        b"Opus" => "opus",
        b"fLaC" => "flac",
        b".mp3" => "mp3",
        b"ac-3" => "ac3",
        b"ec-3" => "eac3",
        b"alac" => "alac",
        b"sowt" | b"lpcm" => "pcm_s16le",
        b"twos" => "pcm_s16be",
        _ => return String::from_utf8_lossy(f).trim().to_ascii_lowercase(),
    }
    .to_owned()
}

fn codec_name(c: &mp4parse::CodecType) -> Option<&'static str> {
    use mp4parse::CodecType as C;
    Some(match c {
        C::MP3 => "mp3",
        C::AAC => "aac",
        C::FLAC => "flac",
        C::Opus => "opus",
        C::H264 => "h264",
        C::MP4V => "mpeg4",
        C::AV1 => "av1",
        C::VP9 => "vp9",
        C::VP8 => "vp8",
        C::LPCM => "pcm_s16le",
        C::ALAC => "alac",
        C::H263 => "h263",
        _ => return None,
    })
}

/// `(profile, level)` from an `avcC` record.
fn avc_profile_level(avcc: &[u8]) -> (Option<String>, Option<u32>) {
    if avcc.len() < 4 {
        return (None, None);
    }
    let constrained = avcc[2] & 0x40 != 0;
    let profile = match avcc[1] {
        66 if constrained => Some("Constrained Baseline"),
        66 => Some("Baseline"),
        77 => Some("Main"),
        88 => Some("Extended"),
        100 => Some("High"),
        110 => Some("High 10"),
        122 => Some("High 4:2:2"),
        244 => Some("High 4:4:4 Predictive"),
        _ => None,
    };
    (profile.map(str::to_owned), Some(u32::from(avcc[3])))
}

fn rotation(m: &mp4parse::Matrix) -> u32 {
    // 16.16 fixed point: a = cos, b = sin.
    match (m.a.signum(), m.b.signum(), m.c.signum(), m.d.signum()) {
        (0, 1, -1, 0) => 90,
        (-1, 0, 0, -1) => 180,
        (0, -1, 1, 0) => 270,
        _ => 0,
    }
}

fn probe_iso<R: Read + Seek>(r: &mut R, len: u64) -> Result<VideoInfo, VideoError> {
    let (brand, moov) = iso_top_level(r, len)?;
    let ctx = mp4parse::read_mp4(&mut &moov[..]).map_err(|e| match e {
        mp4parse::Error::OutOfMemory => VideoError::TooLarge("moov box"),
        e => VideoError::Malformed(e.to_string()),
    })?;
    let fourccs = stsd_fourccs(&moov);
    let mut info = VideoInfo {
        format: match brand.as_ref() {
            Some(b"qt  ") => "mov".into(),
            _ => "mp4".into(),
        },
        ..VideoInfo::default()
    };
    let mut duration: Option<f64> = None;
    for (index, track) in ctx.tracks.iter().enumerate() {
        let scale = track.timescale.map(|t| t.0).filter(|t| *t > 0);
        let seconds = match (track.duration, scale) {
            (Some(d), Some(s)) => Some(d.0 as f64 / s as f64),
            _ => None,
        };
        if let Some(s) = seconds {
            duration = Some(duration.map_or(s, |d: f64| d.max(s)));
        }
        let frames: Option<u64> = track
            .stts
            .as_ref()
            .map(|stts| stts.samples.iter().map(|s| u64::from(s.sample_count)).sum());
        let sample_bytes: Option<u64> = track.stsz.as_ref().map(|stsz| {
            if stsz.sample_size > 0 {
                u64::from(stsz.sample_size) * frames.unwrap_or(0)
            } else {
                stsz.sample_sizes.iter().map(|s| u64::from(*s)).sum()
            }
        });
        let bit_rate = match (sample_bytes, seconds) {
            (Some(b), Some(s)) if s > 0.0 && b > 0 => Some((b as f64 * 8.0 / s).round() as u64),
            _ => None,
        };
        let entry = track.stsd.as_ref().and_then(|d| d.descriptions.first());
        let fourcc = fourccs.get(index).map(fourcc_codec);
        match track.track_type {
            mp4parse::TrackType::Video if info.video.is_none() => {
                let mut stream = VideoStream {
                    time_base: scale.map(|s| format!("1/{s}")),
                    bit_rate,
                    ..VideoStream::default()
                };
                let (mut w, mut h) = (None, None);
                if let Some(mp4parse::SampleEntry::Video(v)) = entry {
                    stream.codec = codec_name(&v.codec_type)
                        .map(str::to_owned)
                        .or(fourcc.clone())
                        .unwrap_or_default();
                    if let mp4parse::VideoCodecSpecific::AVCConfig(avcc) = &v.codec_specific {
                        (stream.profile, stream.level) = avc_profile_level(avcc);
                    }
                    (w, h) = (Some(u32::from(v.width)), Some(u32::from(v.height)));
                } else {
                    stream.codec = fourcc.clone().unwrap_or_default();
                }
                if let Some(tkhd) = &track.tkhd {
                    let (tw, th) = (tkhd.width >> 16, tkhd.height >> 16);
                    if tw > 0 && th > 0 {
                        (w, h) = (Some(tw), Some(th));
                    }
                    info.rotation = rotation(&tkhd.matrix);
                }
                info.width = w.filter(|w| *w > 0);
                info.height = h.filter(|h| *h > 0);
                info.nb_frames = frames;
                info.frame_rate = match (frames, seconds) {
                    (Some(n), Some(s)) if s > 0.0 && n > 0 => Some(n as f64 / s),
                    _ => None,
                };
                info.video = Some(stream);
            }
            mp4parse::TrackType::Audio if info.audio.is_none() => {
                let mut stream = AudioStream {
                    bit_rate,
                    ..AudioStream::default()
                };
                if let Some(mp4parse::SampleEntry::Audio(a)) = entry {
                    stream.codec = codec_name(&a.codec_type)
                        .map(str::to_owned)
                        .or(fourcc.clone())
                        .unwrap_or_default();
                    let mut rate = a.samplerate.round() as u32;
                    let mut channels = a.channelcount;
                    if let mp4parse::AudioCodecSpecific::ES_Descriptor(es) = &a.codec_specific {
                        rate = es.audio_sample_rate.unwrap_or(rate);
                        channels = es.audio_channel_count.map_or(channels, u32::from);
                    }
                    stream.frequency = Some(rate).filter(|r| *r > 0);
                    stream.channels = Some(channels).filter(|c| *c > 0);
                } else {
                    stream.codec = fourcc.clone().unwrap_or_default();
                }
                info.audio = Some(stream);
            }
            _ => {}
        }
    }
    info.duration = duration;
    if info.video.is_none() && info.audio.is_some() && info.format == "mp4" {
        if let Some(b) = brand {
            if b.starts_with(b"M4A") {
                info.format = "m4a".into();
            }
        }
    }
    if info.video.is_none() && info.audio.is_none() {
        return Err(VideoError::Malformed("no audio or video track".into()));
    }
    Ok(info)
}

// ---------------------------------------------------------------- EBML

const EBML_DOCTYPE: u32 = 0x4282;
const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const DURATION: u32 = 0x4489;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_NUMBER: u32 = 0xD7;
const TRACK_TYPE: u32 = 0x83;
const CODEC_ID: u32 = 0x86;
const DEFAULT_DURATION: u32 = 0x23_E383;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const DISPLAY_WIDTH: u32 = 0x54B0;
const DISPLAY_HEIGHT: u32 = 0x54BA;
const AUDIO: u32 = 0xE1;
const SAMPLING_FREQUENCY: u32 = 0xB5;
const CHANNELS: u32 = 0x9F;
const CLUSTER: u32 = 0x1F43_B675;
const CLUSTER_TIMECODE: u32 = 0xE7;
const SIMPLE_BLOCK: u32 = 0xA3;
const BLOCK_GROUP: u32 = 0xA0;
const BLOCK: u32 = 0xA1;

/// Master elements whose children are read in line (their headers are stepped over).
const DESCEND: &[u32] = &[
    SEGMENT,
    INFO,
    TRACKS,
    TRACK_ENTRY,
    VIDEO,
    AUDIO,
    CLUSTER,
    BLOCK_GROUP,
];

#[derive(Debug, Default)]
struct EbmlTrack {
    number: u64,
    kind: u64,
    codec: String,
    default_duration: Option<u64>,
    width: Option<u64>,
    height: Option<u64>,
    display_width: Option<u64>,
    display_height: Option<u64>,
    frequency: Option<f64>,
    channels: Option<u64>,
    blocks: u64,
    bytes: u64,
}

/// Reads a variable-length integer: `(value, length)`; the marker bit is kept for ids.
fn read_vint<R: Read>(r: &mut R, keep_marker: bool) -> Result<(u64, usize), VideoError> {
    let mut first = [0u8; 1];
    r.read_exact(&mut first)?;
    let b = first[0];
    if b == 0 {
        return Err(VideoError::Malformed(
            "invalid EBML variable-length integer".into(),
        ));
    }
    let len = b.leading_zeros() as usize + 1;
    let mut v = if keep_marker {
        u64::from(b)
    } else {
        u64::from(b & (0xFF >> len))
    };
    let mut rest = [0u8; 8];
    r.read_exact(&mut rest[..len - 1])?;
    for x in &rest[..len - 1] {
        v = (v << 8) | u64::from(*x);
    }
    Ok((v, len))
}

/// An element header: `(id, size, header length)`; `size` is `None` for "unknown".
fn read_header<R: Read>(r: &mut R) -> Result<(u32, Option<u64>, usize), VideoError> {
    let (id, il) = read_vint(r, true)?;
    if il > 4 {
        return Err(VideoError::Malformed("EBML id longer than 4 bytes".into()));
    }
    let (size, sl) = read_vint(r, false)?;
    let unknown = size == (1u64 << (7 * sl)) - 1;
    Ok((id as u32, if unknown { None } else { Some(size) }, il + sl))
}

fn read_value<R: Read>(r: &mut R, size: u64) -> Result<Vec<u8>, VideoError> {
    let mut v = vec![0u8; size as usize];
    r.read_exact(&mut v)?;
    Ok(v)
}

fn uint(b: &[u8]) -> u64 {
    b.iter().take(8).fold(0, |v, x| (v << 8) | u64::from(*x))
}

fn float(b: &[u8]) -> Option<f64> {
    match b.len() {
        4 => Some(f64::from(f32::from_be_bytes([b[0], b[1], b[2], b[3]]))),
        8 => Some(f64::from_be_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ])),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

fn ebml_codec(id: &str) -> String {
    match id {
        "V_VP8" => "vp8",
        "V_VP9" => "vp9",
        "V_AV1" => "av1",
        "V_MPEG4/ISO/AVC" => "h264",
        "V_MPEGH/ISO/HEVC" => "hevc",
        "V_THEORA" => "theora",
        "V_MPEG4/ISO/SP" | "V_MPEG4/ISO/ASP" | "V_MPEG4/ISO/AP" => "mpeg4",
        "A_OPUS" => "opus",
        "A_VORBIS" => "vorbis",
        "A_MPEG/L3" => "mp3",
        "A_FLAC" => "flac",
        "A_AC3" => "ac3",
        "A_EAC3" => "eac3",
        "A_PCM/INT/LIT" => "pcm_s16le",
        other if other.starts_with("A_AAC") => "aac",
        other => {
            return other
                .trim_start_matches(['V', 'A', '_'])
                .to_ascii_lowercase()
        }
    }
    .to_owned()
}

fn probe_ebml<R: Read + Seek>(r: &mut R, len: u64) -> Result<VideoInfo, VideoError> {
    let mut doctype = String::new();
    let mut timecode_scale: u64 = 1_000_000;
    let mut duration: Option<f64> = None;
    let mut tracks: Vec<EbmlTrack> = Vec::new();
    let mut cluster_time: u64 = 0;
    let mut last_time: u64 = 0;
    let mut key_frame: Option<KeyFrame> = None;
    // The EBML header: its DocType, then the rest is skipped.
    let (id, size, hl) = read_header(r)?;
    if id != 0x1A45_DFA3 {
        return Err(VideoError::NotAVideo);
    }
    let header_end = hl as u64 + size.unwrap_or(0);
    while r.stream_position()? < header_end {
        let (id, size, _) = read_header(r)?;
        let size = size.ok_or_else(|| VideoError::Malformed("EBML header size".into()))?;
        if id == EBML_DOCTYPE && size <= MAX_EBML_VALUE {
            doctype = String::from_utf8_lossy(&read_value(r, size)?).into_owned();
        } else {
            r.seek(SeekFrom::Current(size as i64))?;
        }
    }
    r.seek(SeekFrom::Start(header_end))?;
    let mut elements = 0usize;
    loop {
        let pos = r.stream_position()?;
        if pos >= len {
            break;
        }
        elements += 1;
        if elements > MAX_EBML_ELEMENTS {
            return Err(VideoError::TooLarge("too many EBML elements"));
        }
        let (id, size, _) = match read_header(r) {
            Ok(h) => h,
            // A file cut inside an element header still tells what came before.
            Err(VideoError::Malformed(_)) if !tracks.is_empty() => break,
            Err(e) => return Err(e),
        };
        let here = r.stream_position()?;
        if let Some(s) = size {
            if s > len - here && !DESCEND.contains(&id) {
                if matches!(id, SIMPLE_BLOCK | BLOCK) && !tracks.is_empty() {
                    break; // a truncated last block
                }
                return Err(VideoError::Malformed(format!(
                    "element {id:#x} of {s} bytes does not fit in the file"
                )));
            }
        }
        if DESCEND.contains(&id) {
            if id == TRACK_ENTRY {
                tracks.push(EbmlTrack::default());
            }
            continue;
        }
        let Some(size) = size else {
            return Err(VideoError::Malformed(format!(
                "element {id:#x} of unknown size"
            )));
        };
        if matches!(id, SIMPLE_BLOCK | BLOCK) {
            let (number, nl) = read_vint(r, false)?;
            let mut rest = [0u8; 3];
            r.read_exact(&mut rest)?;
            let relative = i16::from_be_bytes([rest[0], rest[1]]);
            let time = cluster_time.saturating_add_signed(i64::from(relative));
            last_time = last_time.max(time);
            let payload = size.saturating_sub(nl as u64 + 3);
            if let Some(t) = tracks.iter_mut().find(|t| t.number == number) {
                t.blocks += 1;
                t.bytes += payload;
                let keyed = id == BLOCK || rest[2] & 0x80 != 0;
                let laced = rest[2] & 0x06 != 0;
                if key_frame.is_none()
                    && t.kind == 1
                    && t.codec == "V_VP8"
                    && keyed
                    && !laced
                    && payload <= MAX_FRAME_BYTES
                {
                    let data = read_value(r, payload)?;
                    if data.len() > 10 && data[0] & 1 == 0 && data[3..6] == [0x9d, 0x01, 0x2a] {
                        key_frame = Some(KeyFrame {
                            codec: "vp8".into(),
                            data,
                        });
                    }
                }
            }
            r.seek(SeekFrom::Start(here + size))?;
            continue;
        }
        let small = size <= MAX_EBML_VALUE;
        let track = tracks.last_mut();
        match (id, track) {
            (TIMECODE_SCALE, _) if small => {
                timecode_scale = uint(&read_value(r, size)?).max(1);
            }
            (DURATION, _) if small => duration = float(&read_value(r, size)?),
            (TRACK_NUMBER, Some(t)) if small => t.number = uint(&read_value(r, size)?),
            (TRACK_TYPE, Some(t)) if small => t.kind = uint(&read_value(r, size)?),
            (CODEC_ID, Some(t)) if small => {
                t.codec = String::from_utf8_lossy(&read_value(r, size)?)
                    .trim_end_matches('\0')
                    .to_owned();
            }
            (DEFAULT_DURATION, Some(t)) if small => {
                t.default_duration = Some(uint(&read_value(r, size)?)).filter(|d| *d > 0);
            }
            (PIXEL_WIDTH, Some(t)) if small => t.width = Some(uint(&read_value(r, size)?)),
            (PIXEL_HEIGHT, Some(t)) if small => t.height = Some(uint(&read_value(r, size)?)),
            (DISPLAY_WIDTH, Some(t)) if small => {
                t.display_width = Some(uint(&read_value(r, size)?));
            }
            (DISPLAY_HEIGHT, Some(t)) if small => {
                t.display_height = Some(uint(&read_value(r, size)?));
            }
            (SAMPLING_FREQUENCY, Some(t)) if small => t.frequency = float(&read_value(r, size)?),
            (CHANNELS, Some(t)) if small => t.channels = Some(uint(&read_value(r, size)?)),
            (CLUSTER_TIMECODE, _) if small => cluster_time = uint(&read_value(r, size)?),
            _ => {
                r.seek(SeekFrom::Start(here + size))?;
            }
        }
    }
    if !doctype.is_empty() && doctype != "webm" && doctype != "matroska" {
        return Err(VideoError::NotAVideo);
    }
    let scale = timecode_scale as f64 / 1e9;
    let duration = duration
        .map(|d| d * scale)
        .or_else(|| (last_time > 0).then_some(last_time as f64 * scale));
    let mut info = VideoInfo {
        format: if doctype == "webm" { "webm" } else { "mkv" }.into(),
        duration,
        key_frame,
        ..VideoInfo::default()
    };
    let bit_rate = |bytes: u64| -> Option<u64> {
        duration
            .filter(|d| *d > 0.0 && bytes > 0)
            .map(|d| (bytes as f64 * 8.0 / d).round() as u64)
    };
    if let Some(t) = tracks.iter().find(|t| t.kind == 1) {
        info.width = t
            .display_width
            .or(t.width)
            .and_then(|w| u32::try_from(w).ok());
        info.height = t
            .display_height
            .or(t.height)
            .and_then(|h| u32::try_from(h).ok());
        info.nb_frames = Some(t.blocks).filter(|n| *n > 0);
        info.frame_rate = match (t.default_duration, info.nb_frames, duration) {
            (Some(dd), _, _) => Some(1e9 / dd as f64),
            (None, Some(n), Some(d)) if d > 0.0 => Some(n as f64 / d),
            _ => None,
        };
        info.video = Some(VideoStream {
            codec: ebml_codec(&t.codec),
            bit_rate: bit_rate(t.bytes),
            time_base: Some(format!("1/{}", (1e9 / timecode_scale as f64).round())),
            ..VideoStream::default()
        });
    }
    if let Some(t) = tracks.iter().find(|t| t.kind == 2) {
        info.audio = Some(AudioStream {
            codec: ebml_codec(&t.codec),
            frequency: t.frequency.map(|f| f.round() as u32),
            channels: t.channels.and_then(|c| u32::try_from(c).ok()),
            bit_rate: bit_rate(t.bytes),
        });
    }
    if info.video.is_none() && info.audio.is_none() {
        return Err(VideoError::Malformed("no audio or video track".into()));
    }
    Ok(info)
}

// ---------------------------------------------------------------- frames

/// The formats a video is delivered as an image in.
pub const IMAGE_FORMATS: &[&str] = &["jpg", "jpeg", "png", "webp", "gif"];

/// Transformation keys of video-only parameters, dropped when a video is delivered as
/// an image (`so_2` picks the frame at 2 s on Cloudinary; the emulator has one frame).
const VIDEO_ONLY_KEYS: &[&str] = &[
    "so", "eo", "du", "sp", "vc", "ac", "br", "fps", "vs", "dl", "af", "ki", "pg",
];

/// Wraps a VP8 key frame in a WebP container (a lossy WebP is one VP8 key frame).
fn vp8_as_webp(frame: &[u8]) -> Vec<u8> {
    let pad = frame.len() % 2;
    let chunk = 8 + frame.len() + pad;
    let mut out = Vec::with_capacity(12 + chunk);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&((4 + chunk) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(b"VP8 ");
    out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
    out.extend_from_slice(frame);
    if pad == 1 {
        out.push(0);
    }
    out
}

/// The placeholder of a video whose frames the emulator cannot decode: `#303030` with a
/// `#a0a0a0` play triangle, `width` x `height` (640 x 360 when unknown), scaled down to
/// at most [`render::MAX_PIXELS`].
pub fn placeholder(width: Option<u32>, height: Option<u32>) -> RgbaImage {
    let (mut w, mut h) = match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => (u64::from(w), u64::from(h)),
        _ => (640, 360),
    };
    let area = w * h;
    if area > render::MAX_PIXELS {
        let f = (render::MAX_PIXELS as f64 / area as f64).sqrt();
        w = ((w as f64 * f).floor() as u64).max(1);
        h = ((h as f64 * f).floor() as u64).max(1);
    }
    let (w, h) = (w as u32, h as u32);
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    let r = f64::from(w.min(h)) / 6.0;
    RgbaImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (f64::from(x) + 0.5 - cx, f64::from(y) + 0.5 - cy);
        // A triangle pointing right: x from -r/2 to r, |y| shrinking towards the tip.
        let inside = dx >= -r / 2.0 && dx <= r && dy.abs() <= (r - dx) * (2.0 / 3.0) * 0.866;
        if inside {
            Rgba([0xa0, 0xa0, 0xa0, 0xff])
        } else {
            Rgba([0x30, 0x30, 0x30, 0xff])
        }
    })
}

/// The image of a video (its first key frame when it can be decoded, else the
/// [`placeholder`]), encoded as PNG for the renderer.
pub fn still_png(path: &Path, asset: &Asset) -> Result<Vec<u8>, render::RenderError> {
    let info = probe(path).ok();
    let decoded = info
        .as_ref()
        .and_then(|i| i.key_frame.as_ref())
        .filter(|k| k.codec == "vp8")
        .and_then(|k| render::decode(&vp8_as_webp(&k.data)).ok());
    let img = match decoded {
        Some(img) => img,
        None => {
            let (w, h) = match &info {
                Some(i) => (i.width.or(asset.width), i.height.or(asset.height)),
                None => (asset.width, asset.height),
            };
            DynamicImage::ImageRgba8(placeholder(w, h))
        }
    };
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| render::RenderError::Encode(e.to_string()))?;
    Ok(out.into_inner())
}

/// The transformation of a video delivered as an image, without its video-only
/// components (empty segments dropped).
pub fn image_transformation(segments: &[String]) -> Vec<String> {
    segments
        .iter()
        .map(|seg| {
            seg.split(',')
                .filter(|c| {
                    let key = c.split_once('_').map_or(*c, |(k, _)| k);
                    !VIDEO_ONLY_KEYS.contains(&key)
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The image format a video delivery asks for (an `f_` of the transformation, else the
/// URL's extension), if it is one of [`IMAGE_FORMATS`].
pub fn requested_image_format(segments: &[String], extension: Option<&str>) -> Option<String> {
    let from_f = segments
        .iter()
        .flat_map(|s| s.split(','))
        .filter_map(|c| c.strip_prefix("f_"))
        .rfind(|f| *f != "auto");
    let f = from_f.or(extension)?.to_ascii_lowercase();
    IMAGE_FORMATS
        .contains(&f.as_str())
        .then(|| if f == "jpeg" { "jpg".to_owned() } else { f })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vints() {
        let mut r: &[u8] = &[0x81];
        assert_eq!(read_vint(&mut r, false).unwrap(), (1, 1));
        let mut r: &[u8] = &[0x40, 0x02];
        assert_eq!(read_vint(&mut r, false).unwrap(), (2, 2));
        let mut r: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3];
        assert_eq!(read_vint(&mut r, true).unwrap(), (0x1A45_DFA3, 4));
        let mut r: &[u8] = &[0x00];
        assert!(read_vint(&mut r, false).is_err());
        // Unknown size: all value bits set.
        let mut r: &[u8] = &[0x1F, 0x43, 0xB6, 0x75, 0xFF];
        assert_eq!(read_header(&mut r).unwrap(), (CLUSTER, None, 5));
    }

    #[test]
    fn image_formats_and_video_only_keys() {
        let segs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            requested_image_format(&segs(&["so_2,w_100"]), Some("jpg")).as_deref(),
            Some("jpg")
        );
        assert_eq!(
            requested_image_format(&segs(&["f_png"]), Some("mp4")).as_deref(),
            Some("png")
        );
        assert_eq!(requested_image_format(&segs(&[]), Some("mp4")), None);
        assert_eq!(requested_image_format(&segs(&["f_auto"]), None), None);
        assert_eq!(
            image_transformation(&segs(&["so_2,w_100", "du_3", "c_fill,h_10"])),
            segs(&["w_100", "c_fill,h_10"])
        );
    }

    #[test]
    fn placeholders_keep_the_size_within_the_pixel_cap() {
        let p = placeholder(Some(40), Some(30));
        assert_eq!(p.dimensions(), (40, 30));
        assert_eq!(p.get_pixel(0, 0).0, [0x30, 0x30, 0x30, 0xff]);
        assert_eq!(p.get_pixel(20, 15).0, [0xa0, 0xa0, 0xa0, 0xff]);
        assert_eq!(placeholder(None, None).dimensions(), (640, 360));
        let (w, h) = placeholder(Some(20_000), Some(10_000)).dimensions();
        assert!(u64::from(w) * u64::from(h) <= render::MAX_PIXELS);
        assert!((f64::from(w) / f64::from(h) - 2.0).abs() < 0.01);
    }

    #[test]
    fn stsd_codes_in_track_order() {
        let mut moov = b"....moov".to_vec();
        for code in [b"hvc1", b"mp4a"] {
            moov.extend_from_slice(&[0, 0, 0, 40]);
            moov.extend_from_slice(b"stsd");
            moov.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 24]);
            moov.extend_from_slice(code);
            moov.extend_from_slice(&[0; 12]);
        }
        let codes: Vec<String> = stsd_fourccs(&moov).iter().map(fourcc_codec).collect();
        assert_eq!(codes, ["hevc", "aac"]);
    }
}
