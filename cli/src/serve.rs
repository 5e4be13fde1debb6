//! `cldkit serve`: runs the local Cloudinary emulator (crate `cldkit-emulator`).

/// Runs `cldkit serve [--port N] [--data DIR] [--cloudinary-url URL ...] ...`; prints
/// the `CLOUDINARY_URL` of each served account and blocks until the process is stopped.
pub fn run(args: &[String]) -> Result<(), String> {
    cldkit_emulator::cli::run(args)
}
