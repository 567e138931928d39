// swift-tools-version:6.0
// liblosses: loss functions and their gradients, in Swift, behind a stable C ABI.
//
// Two products, on purpose:
// - `Losses` is the pure-Swift API (generic over Float/Double). It carries no unsafe flags, so
//   other Swift packages can depend on it as a versioned dependency.
// - `losses` is the shippable `liblosses.so`. Its export target carries the linker flags that make
//   the .so self-contained (static Swift runtime), export only the `losses_*` names (version
//   script), refuse undefined symbols (`-z defs`) and carry an SONAME with the ABI major version.
import PackageDescription

let abiMajor = "1"

// A sanitizer or fuzzing build (make test-sanitize, make fuzz) leaves the runtime's symbols to
// the instrumented executable, so `-z defs` must not refuse them there.
let sanitizing = Context.environment["LOSSES_SANITIZE"] != nil
let noUndefinedSymbols = sanitizing ? [] : ["-Xlinker", "-z", "-Xlinker", "defs"]

let package = Package(
    name: "liblosses",
    products: [
        .library(name: "Losses", targets: ["Losses"]),
        .library(name: "losses", type: .dynamic, targets: ["LossesExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
    ],
    targets: [
        .target(
            name: "Losses",
            dependencies: ["CLossesMath", "CLossesSupport", .product(name: "RealModule", package: "swift-numerics")],
            exclude: ["README.md"]
        ),
        // exp and log1p over float32 blocks, compiled once per instruction set (ifunc).
        .target(name: "CLossesMath", exclude: ["README.md"]),
        // Thread-local error message, version strings, the worker pool and the thread count.
        .target(name: "CLossesSupport", exclude: ["README.md"], cSettings: [.headerSearchPath("../../include")]),
        .target(
            name: "LossesExport",
            dependencies: ["Losses", "CLossesSupport"],
            exclude: ["README.md"],
            swiftSettings: [
                .unsafeFlags([
                    "-static-stdlib",
                    "-Xfrontend", "-disable-implicit-concurrency-module-import",
                    "-Xfrontend", "-disable-implicit-string-processing-module-import",
                ]),
            ],
            linkerSettings: [
                .unsafeFlags([
                    "-static-stdlib",
                    "-Xlinker", "--version-script=abi/losses.map",
                    "-Xlinker", "-soname=liblosses.so.\(abiMajor)",
                ] + noUndefinedSymbols),
            ]
        ),
        .testTarget(name: "LossesTests", dependencies: ["Losses"]),
    ]
)
