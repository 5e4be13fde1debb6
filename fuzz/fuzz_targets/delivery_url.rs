//! The emulator's delivery URLs:
//! `/<cloud>/<resource_type>/<type>/[s--sig--/][<transformation>/…][v<version>/]<public_id>[.<ext>]`
//! split into parts, the transformation parsed, and its sizes planned for originals
//! of every size, through to pixels when the plan is small.
//!
//! Input: two bytes choosing the original's width and height, then the URL path.
//! Checked: no panic; a planned result is at least 1 x 1 and at most `MAX_PIXELS`
//! with at most `MAX_WORK_PIXELS` of work, and a refused one is a 400 (a 404 for an
//! image layer, which the target does not supply); for a small original and a plan
//! of little work (text layers, effects, rotations and all), the rendered PNG has
//! exactly the planned size (the renderer also checks every operation's size with
//! debug assertions).
//! Nothing large is ever rendered: plans over a few thousand pixels stop at planning.
#![no_main]

use cldkit_emulator::render::{self, MAX_PIXELS, MAX_WORK_PIXELS};
use cldkit_emulator::{delivery, state};
use libfuzzer_sys::fuzz_target;

/// Original sizes to plan for: small, ordinary, at the limit and far past it.
const SIDES: &[u32] = &[1, 2, 3, 5, 8, 13, 640, 5000, 25_000_000, u32::MAX];

/// Plans whose pixel work stays under this are rendered.
const RENDER_WORK: u64 = 20_000;

/// A PNG of exactly `w` x `h` pixels.
fn original(w: u32, h: u32) -> Vec<u8> {
    render::solid_png(w, h, render::color::WHITE).expect("small image")
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let Ok(path) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let segs = state::segments(path);
    let Some(parts) = delivery::parse_path(&segs) else {
        return;
    };
    assert!(!parts.source.is_empty());
    assert!(segs.len() >= 4 + parts.transformation.len());
    let Ok(plan) = render::parse(&parts.transformation) else {
        return;
    };
    let pick = |b: u8| SIDES[usize::from(b) % SIDES.len()];
    let (iw, ih) = (pick(data[0]), pick(data[1]));
    match render::plan_work(iw, ih, &plan) {
        Ok((w, h, work)) => {
            assert!(w >= 1 && h >= 1, "{w}x{h}");
            assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}x{h}");
            assert!(work <= MAX_WORK_PIXELS, "{work}");
            let small = u64::from(iw) * u64::from(ih) <= 64;
            if small && work <= RENDER_WORK && u64::from(w) * u64::from(h) <= RENDER_WORK {
                let png = original(iw, ih);
                let out = render::render(&png, &plan, "png").expect("renders");
                assert_eq!(render::dimensions(&out), Ok((w, h)), "{path}");
            }
        }
        Err(e) => {
            assert!(matches!(e.status(), 400 | 404), "{e}");
            assert!(!e.to_string().is_empty());
        }
    }
});
