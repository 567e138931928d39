// swift-tools-version:6.0
// A package outside liblosses that depends on its product Losses by path, as the README's
// Quick start: Swift tells a user to (make test-swiftpm builds and runs it).
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which the clone chose ("liblosses", "main"…).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../..").standardizedFileURL
let liblosses = root.lastPathComponent

let package = Package(
    name: "Consumer",
    dependencies: [
        .package(path: root.path),
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [.product(name: "Losses", package: liblosses)]),
    ]
)
