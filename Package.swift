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

// The export layers import nothing they do not name (no Concurrency or string-processing runtime).
let noImplicitModules = [
    "-Xfrontend", "-disable-implicit-concurrency-module-import",
    "-Xfrontend", "-disable-implicit-string-processing-module-import",
]

let package = Package(
    name: "liblosses",
    products: [
        .library(name: "Losses", targets: ["Losses"]),
        .library(name: "losses", type: .dynamic, targets: ["LossesExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
        // `swift package generate-documentation` (make docs-swift): a command plugin, never linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "Losses",
            dependencies: ["CLossesMath", "CLossesSupport", "CLossesLapack", .product(name: "RealModule", package: "swift-numerics")],
            exclude: ["README.md"]
        ),
        // The same two Swift layers again, compiled for AVX2: LossesAVX2 and LossesExportAVX2 are
        // symbolic links to Losses and LossesExport (one source), built with -mavx2 (no FMA:
        // the same operations in the same order, so the same bits). The @_cdecl twins call into
        // this copy when the CPU has AVX2 (CLossesSupport/cpu.c, decided once at load). The
        // export layer reads the core only: the public Swift API and its catalogue stay out of it.
        .target(
            name: "LossesAVX2",
            dependencies: ["CLossesMath", "CLossesSupport", "CLossesLapack", .product(name: "RealModule", package: "swift-numerics")],
            path: "Sources/LossesAVX2",
            exclude: ["README.md", "API", "Losses.docc"],
            swiftSettings: [.unsafeFlags(["-Xcc", "-mavx2"])]
        ),
        .target(
            name: "LossesExportAVX2",
            dependencies: ["LossesAVX2", "CLossesSupport"],
            path: "Sources/LossesExportAVX2",
            exclude: ["README.md", "Generated", "Unpaired"],
            swiftSettings: [
                .unsafeFlags(["-Xcc", "-mavx2", "-module-alias", "Losses=LossesAVX2"] + noImplicitModules),
            ]
        ),
        // exp, log, log1p and the softmax row in both dtypes, compiled once per instruction set (ifunc).
        .target(name: "CLossesMath", exclude: ["README.md"]),
        // Thread-local error message, version strings, the worker pool and the thread count.
        .target(name: "CLossesSupport", exclude: ["README.md"], cSettings: [.headerSearchPath("../../include")]),
        // LAPACK for the Fréchet distance, behind one lock (CLossesLapack/README.md). It names
        // OpenBLAS for whoever links the Swift API (a program, the tests: libopenblas.so from
        // Debian's libopenblas-dev). liblosses.so carries it: the Makefile puts Debian's static
        // serial archive as libopenblas.a in the build folder, which the linker searches before
        // the system's folders, and checks that the library needs no libopenblas.
        .target(name: "CLossesLapack", exclude: ["README.md"], linkerSettings: [.linkedLibrary("openblas")]),
        // hypot and hypotf bound to their pre-2.35 glibc versions: the .so loads on glibc 2.34.
        .target(name: "CLossesGlibcFloor", exclude: ["README.md"]),
        .target(
            name: "LossesExport",
            dependencies: ["Losses", "LossesExportAVX2", "CLossesSupport", "CLossesGlibcFloor"],
            exclude: ["README.md", "Variant"],
            swiftSettings: [
                .unsafeFlags(["-static-stdlib"] + noImplicitModules),
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
