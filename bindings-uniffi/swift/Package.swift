// swift-tools-version:5.9
// The Swift binding of cldkit: the uniffi-generated sources (Sources/Cldkit/Cldkit.swift
// and the C header/module map of the FFI in Sources/cldkit_uniffiFFI) over the shared or
// static library built from bindings-uniffi (libcldkit_uniffi). See ../README.md.
//
// Build the library first, then point the linker at it, e.g. on Linux:
//   cargo build --release -p cldkit-uniffi
//   swift build -Xlinker -L../../target/release
//   LD_LIBRARY_PATH=../../target/release swift test -Xlinker -L../../target/release
import PackageDescription

let package = Package(
    name: "Cldkit",
    products: [
        .library(name: "Cldkit", targets: ["Cldkit"]),
    ],
    targets: [
        // The C declarations of the FFI (generated header + module map).
        .target(
            name: "cldkit_uniffiFFI",
            path: "Sources/cldkit_uniffiFFI",
            linkerSettings: [.linkedLibrary("cldkit_uniffi")]
        ),
        // The generated Swift API (Client, Value, CldkitError, ...).
        .target(
            name: "Cldkit",
            dependencies: ["cldkit_uniffiFFI"],
            path: "Sources/Cldkit"
        ),
        .testTarget(
            name: "CldkitTests",
            dependencies: ["Cldkit"],
            path: "Tests/CldkitTests"
        ),
    ]
)
