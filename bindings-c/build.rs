//! Gives the shared library the soname it is installed under.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcldkit.so.0");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
