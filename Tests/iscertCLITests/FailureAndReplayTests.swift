import Foundation
import Testing

@Suite("A failing run and its replay")
struct FailureAndReplayTests {
    @Test("a support violation that expects pass exits 1 with NOT MET and a replay line")
    func failingText() throws {
        try withTemporaryDirectory { dir in
            let text = supportViolation()
            let path = try write(text, to: "support-miss.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200"])
            #expect(run.status == 1)
            #expect(run.stderr.isEmpty)
            let out = lines(run.stdout)
            #expect(out.first == "NOT MET temp-support-miss: failed: mean[is]")
            #expect(out.contains { $0.hasPrefix("  mean") && $0.contains(" fail ") })
            #expect(run.stdout.contains("the estimator converges to 0.25"))
            #expect(out.contains("  replay: iscert check \(path) --seed 1 --trials 200"))
            #expect(out.last?.hasPrefix("1 scenario: 0 met, 1 not met") == true)
            #expect(bytes(of: path) == Array(text.utf8), "the scenario file was changed")
        }
    }

    @Test("a failing run's JSON says which check failed and why")
    func failingJSON() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "support-miss.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200", "--format", "json"])
            #expect(run.status == 1)
            #expect(run.stderr.isEmpty)
            let report = try decode(Report.self, run.stdout)
            #expect(!report.passed)
            let s = try #require(report.scenarios.first)
            #expect(!s.met)
            #expect(s.verdict == "failed: mean[is]")
            #expect(s.file == path)
            #expect(s.check("mean")?.status == "fail")
            #expect(s.check("variance")?.status == "pass")
            #expect(s.check("ess")?.status == "pass")
            #expect(close(s.exact.mean.value, 1, 1e-10))
            #expect(close(s.exact.isMean.value, 0.25, 1e-10))
            #expect(try #require(s.check("mean")?.z.value) < -100)
        }
    }

    struct ReplayCase: Sendable, CustomTestStringConvertible {
        var label: String
        var options: [String]
        /// Run a passing scenario alongside, so the family holds 6 checks.
        var withCompanion: Bool
        var testDescription: String { label }
    }

    static let replayCases = [
        ReplayCase(label: "trials override", options: ["--trials", "200"], withCompanion: false),
        ReplayCase(label: "seed, samples, alpha", options: ["--trials", "150", "--samples", "50", "--seed", "7", "--alpha", "0.05"],
                   withCompanion: false),
        ReplayCase(label: "two scenarios (family of 6 checks)", options: ["--trials", "200", "--seed", "99"], withCompanion: true),
        ReplayCase(label: "explicit --family-checks", options: ["--trials", "200", "--family-checks", "30"], withCompanion: false),
    ]

    @Test("the replay command reproduces the failing scenario's JSON bit for bit", arguments: replayCases)
    func replayReproduces(_ c: ReplayCase) throws {
        try withTemporaryDirectory(awkward: true) { dir in
            let text = supportViolation()
            let path = try write(text, to: "support miss.iscert", in: dir)
            let files = c.withCompanion ? [CLI.scenario("beta-uniform"), path] : [path]

            let textRun = runISCert(["check"] + files + c.options)
            #expect(textRun.status == 1)
            let replayLines = lines(textRun.stdout).filter { $0.hasPrefix("  replay: ") }
            #expect(replayLines.count == 1, "one scenario failed, so one replay line")
            let replay = try #require(replayLines.first).dropFirst("  replay: ".count)
            #expect(replay.hasPrefix("iscert check "))

            let original = runISCert(["check"] + files + c.options + ["--format", "json"])
            #expect(original.status == 1)
            let originalReport = try decode(Report.self, original.stdout)
            let originalEntry = try #require(originalReport.scenario("temp-support-miss"))
            #expect(originalEntry.replay == String(replay), "text and JSON replay commands differ")

            let binary = try #require(CLI.binary)
            let command = shellQuoted(binary.path) + replay.dropFirst("iscert".count) + " --format json"
            let replayed = runShell(command)
            #expect(replayed.status == 1, "\(command)\n\(replayed.stderr)")
            let replayedReport = try decode(Report.self, replayed.stdout)
            #expect(replayedReport.scenarios.count == 1)
            let replayedEntry = try #require(replayedReport.scenarios.first)
            #expect(replayedEntry == originalEntry)
            #expect(replayedEntry.observed == originalEntry.observed)
            #expect(replayedEntry.checks == originalEntry.checks)
            #expect(replayedReport.zStar.bitPattern == originalReport.zStar.bitPattern)
            #expect(replayedReport.checksInFamily == originalReport.checksInFamily)
            #expect(replayedReport.alpha == originalReport.alpha)
            #expect(bytes(of: path) == Array(text.utf8), "the scenario file was changed")
        }
    }
}
