// swift-tools-version: 6.2
import PackageDescription

/// The engine's modules are compiled with optimisation in debug builds too, so that
/// plain `swift test` certifies thousands of trials per scenario in seconds: at
/// -Onone every buffer subscript and range step is a call. Set ISCERT_ONONE=1 (for
/// building and testing alike) to compile them at -Onone for a debugger.
/// Tools version 6.2 is what lets a package that depends on iscert by version build
/// it with these flags (ci/dependent-package.sh shows one doing so).
let engineSettings: [SwiftSetting] = Context.environment["ISCERT_ONONE"] == "1"
    ? [] : [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "iscert",
    platforms: [.macOS(.v15)],
    // MARK: - Public products
    products: [
        .library(name: "ISCertification", targets: ["ISCertification"]),
        .library(name: "ISScenario", targets: ["ISScenario"]),
        .library(name: "ISProbability", targets: ["ISProbability"]),
        .executable(name: "iscert", targets: ["iscert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Internal targets
        // The C surface of GSL. Only ISProbability imports it.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Random sources, distribution families, quadrature; GSL errors as Swift errors.
        .target(name: "ISProbability", dependencies: ["CGSL"], swiftSettings: engineSettings),
        // The scenario language: lexer, parser, expressions, diagnostics, Scenario.
        .target(name: "ISScenario", dependencies: ["ISProbability"], swiftSettings: engineSettings),
        // Exact references, simulation, checks, verdicts.
        .target(name: "ISCertification", dependencies: ["ISProbability", "ISScenario"], swiftSettings: engineSettings),
        // The command line.
        .executableTarget(
            name: "iscert",
            dependencies: [
                "ISCertification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Benchmarks
        // The yardstick: a hand-written C loop over GSL.
        // It seeds each trial's stream with shim.h's functions, exactly as the engine does.
        .target(name: "GSLYardstick", dependencies: ["CGSL"], path: "Benchmarks/GSLYardstick",
                cSettings: [.headerSearchPath("../../Sources/CGSL")]),
        // `swift run -c release iscert-bench`: the engine beside the yardstick.
        .executableTarget(
            name: "iscert-bench",
            dependencies: ["ISCertification", "GSLYardstick"],
            path: "Benchmarks/iscert-bench"
        ),

        // MARK: - Tests
        .testTarget(name: "ISProbabilityTests", dependencies: ["ISProbability"]),
        .testTarget(name: "ISScenarioTests", dependencies: ["ISScenario"]),
        // References/ holds independent reference values (and the scripts that made
        // them); the tests read them through #filePath.
        .testTarget(name: "ISCertificationTests", dependencies: ["ISCertification"], exclude: ["References"]),
        // Every file in Scenarios/ becomes one case of a parameterized test.
        .testTarget(name: "ScenarioSuiteTests", dependencies: ["ISCertification"]),
        // Runs the built binary end to end.
        .testTarget(name: "iscertCLITests", dependencies: ["iscert"]),
    ],
    swiftLanguageModes: [.v6]
)
