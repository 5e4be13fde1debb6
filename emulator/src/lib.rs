//! The local Cloudinary emulator (in progress).
