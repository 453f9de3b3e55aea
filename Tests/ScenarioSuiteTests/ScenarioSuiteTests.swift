import Foundation
import ISCertification
import ISScenario
import Testing

/// Every file in Scenarios/ is one case of this parameterized test, named after the
/// scenario. Each check becomes one expectation whose message carries observed vs
/// expected, z, the seed and a command that replays the scenario.
///
/// All scenarios of the suite share one family-wise false-alarm rate
/// (Thresholds.defaultAlpha over 3 checks per scenario), exactly as
/// `iscert check Scenarios` does, so the two agree verdict for verdict.
@Suite struct ScenarioSuite {
    /// The package's Scenarios/ folder, found from this file's path.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios").path

    struct File: Sendable, CustomTestStringConvertible {
        let path: String
        let scenario: Scenario?
        let error: String?
        var testDescription: String { scenario?.name ?? URL(fileURLWithPath: path).lastPathComponent }
    }

    static let files: [File] = {
        let paths = (try? ScenarioParser.scenarioFiles(in: folder)) ?? []
        return paths.map { path in
            do {
                var s = try ScenarioParser.load(path: path)
                s.file = "Scenarios/" + URL(fileURLWithPath: path).lastPathComponent
                return File(path: path, scenario: s, error: nil)
            } catch {
                return File(path: path, scenario: nil, error: "\(error)")
            }
        }
    }()

    static let certifier = Certifier()
    static let thresholds = certifier.thresholds(for: files.compactMap(\.scenario))

    @Test func theSuiteShipsScenarios() {
        #expect(Self.files.count >= 12, "Scenarios/ holds \(Self.files.count) files in \(Self.folder)")
    }

    @Test(arguments: files)
    func scenario(_ file: File) throws {
        let scenario = try #require(file.scenario, "\(file.error ?? "unreadable")")
        let expectedToFail: Set<CheckName>
        expectedToFail = scenario.expectation.failing
        let reports: [ScenarioReport]
        var sweepChecks: [CheckResult] = []
        if scenario.sweep != nil {
            let sweep = try Self.certifier.certifySweep(scenario, thresholds: Self.thresholds)
            reports = sweep.points
            sweepChecks = sweep.checks
        } else {
            reports = [try Self.certifier.certify(scenario, thresholds: Self.thresholds)]
        }
        for check in sweepChecks {
            #expect(check.status != .fail, Comment(rawValue: "\(scenario.name) \(check.name.rawValue)[\(check.estimator ?? "-")]: observed \(check.observed.map { "\($0)" } ?? "-") vs expected \(check.expected.map { "\($0)" } ?? "-"), z = \(check.z.map { "\($0)" } ?? "-"); \(check.reason)"))
        }
        for report in reports { try Self.expectations(report, expectedToFail: expectedToFail) }
    }

    /// One expectation per check, then the verdict.
    static func expectations(_ report: ScenarioReport, expectedToFail: Set<CheckName>) throws {
        let scenario = report.scenario
        for check in report.checks {
            let message = Comment(rawValue: """
                \(scenario.name) \(check.name.rawValue)[\(check.estimator ?? "-")]: \(check.status.rawValue); \
                observed \(check.observed.map { "\($0)" } ?? "-") vs expected \(check.expected.map { "\($0)" } ?? "-"), \
                z = \(check.z.map { "\($0)" } ?? "-"), seed \(report.seed); \(check.reason)
                replay: \(report.replay)
                """)
            if expectedToFail.contains(check.name) {
                #expect(check.status == .fail, message)
            } else {
                #expect(check.status != .fail, message)
            }
        }
        #expect(report.met, Comment(rawValue: "\(scenario.name): \(report.verdict)\nreplay: \(report.replay)"))
    }
}
