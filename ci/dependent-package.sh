#!/usr/bin/env bash
# Shows that a separate package can depend on iscert by version and run its checks.
#
#   ci/dependent-package.sh
#
# Package.swift compiles the engine's modules with an unsafe flag (-O in debug
# builds). SwiftPM refused such flags in a dependency pinned to a version until
# tools version 6.2, so this is what a user's package meets: it clones the
# committed HEAD of this checkout, tags the clone 1.0.0, and builds a new package
# that names it by URL and `from: "1.0.0"`, then runs that package's `swift test`
# (a debug build, where the flag applies): one Swift Testing test that builds a
# scenario in Swift, as the README shows, and certifies it. It also checks that
# the dependency was compiled with -O, so the flag was not silently dropped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git -c safe.directory="$root" clone -q "$root" "$work/iscert"
git -C "$work/iscert" tag 1.0.0

mkdir -p "$work/consumer/Tests/ConsumerTests"
cat > "$work/consumer/Package.swift" <<EOF
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [
        .package(url: "file://$work/iscert", from: "1.0.0"),
    ],
    targets: [
        .testTarget(name: "ConsumerTests", dependencies: [
            .product(name: "ISCertification", package: "iscert"),
            .product(name: "ISScenario", package: "iscert"),
        ]),
    ]
)
EOF
cat > "$work/consumer/Tests/ConsumerTests/PolicyGapTests.swift" <<'EOF'
import ISCertification
import ISScenario
import Testing

@Test func newPolicyAgainstOld() throws {
    let scenario = Scenario(
        name: "my-policy-gap", summary: "new policy vs old",
        target: try .normal(mean: 0.3, sd: 1), behavior: try .normal(mean: 0, sd: 1),
        f: .x * .x, samples: 256, trials: 4000)
    let certifier = Certifier()
    let report = try certifier.certify(scenario, thresholds: certifier.thresholds(scenarios: 1))
    #expect(report.met, "\(report.verdict)")
    #expect(report.checks.count >= 3)
    print("consumer: \(scenario.name): \(report.verdict), \(report.checks.count) checks")
}
EOF

cd "$work/consumer"
log="$work/build.log"
if ! swift build --build-tests -v >"$log" 2>&1; then
    tail -30 "$log"
    echo "dependent-package: the consumer package did not build" >&2
    exit 1
fi
compile=$(grep -E -- "-module-name ISCertification( |$)" "$log" | head -1 || true)
if [[ -z "$compile" || " $compile " != *" -O "* ]]; then
    echo "dependent-package: ISCertification was not compiled with -O in the consumer's debug build" >&2
    exit 1
fi
swift test --skip-build 2>&1 | tee "$work/test.log" | grep -E "^consumer:|Test run with"
grep -q "Test run with 1 test .*passed" "$work/test.log"
echo "dependent-package: a package depending on iscert 1.0.0 by URL built it (engine at -O in debug) and ran its checks"
