import Foundation
import Testing

@Suite("A failing run and its replay")
struct FailureAndReplayTests {
    /// The reason of ordinary IS's mean check under `supportViolation()`.
    static let supportReason = "support violation: q never draws from [1, 2] (mass of p |f| 0.75), so the estimator cannot be unbiased for E_p[f]; it converges to E_q[r f] = 0.25"
    static let supportVerdict = "q misses part of the region where p f != 0 (a support violation); declare `support_violation` if that is intended"

    @Test("an undeclared support violation exits 1 with NOT MET, the region, a mean check that does not apply, and a replay line")
    func failingText() throws {
        try withTemporaryDirectory { dir in
            let text = supportViolation()
            let path = try write(text, to: "support-miss.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200"])
            #expect(run.status == 1)
            #expect(run.stderr.isEmpty)
            let out = lines(run.stdout)
            #expect(out.first == "NOT MET temp-support-miss: " + Self.supportVerdict)
            #expect(out.contains("  support violation: q never draws from [1, 2], where p |f| has mass 0.75"))
            // A support violation is an outcome, never a z-test: the mean row does not
            // apply and says why; the variance and ESS still run and pass.
            #expect(out.contains { $0.hasPrefix("  mean") && $0.contains(" not_applicable ") })
            #expect(out.contains("      " + Self.supportReason))
            #expect(!out.contains { $0.hasPrefix("  mean") && $0.contains(" fail ") })
            for check in ["variance", "ess"] {
                #expect(out.contains { $0.hasPrefix("  \(check)") && $0.contains(" pass ") }, "no passing \(check) row")
            }
            #expect(out.contains("  replay: iscert check \(path) --seed 1 --trials 200"))
            #expect(out.last?.hasPrefix("1 scenario: 0 met, 1 not met (family-wise false-alarm rate 0.01 over 4 checks: |z| <= 3.023;") == true)
            #expect(bytes(of: path) == Array(text.utf8), "the scenario file was changed")
        }
    }

    @Test("an undeclared support violation's JSON lists the region and makes the mean check not apply")
    func failingJSON() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "support-miss.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200", "--format", "json"])
            #expect(run.status == 1)
            #expect(run.stderr.isEmpty)
            let report = try decode(Report.self, run.stdout)
            #expect(!report.passed)
            #expect(report.checksInFamily == 4)
            let s = try #require(report.scenarios.first)
            #expect(!s.met)
            #expect(s.expect == "pass")
            #expect(s.verdict == Self.supportVerdict)
            #expect(s.file == path)
            #expect(s.checks.map(\.name) == ["mean", "variance", "extreme_weights", "ess", "khat"])
            let mean = try #require(s.check("mean"))
            #expect(mean.status == "not_applicable")
            #expect(mean.estimator == "is")
            #expect(mean.reason == Self.supportReason)
            for value in [mean.observed, mean.expected, mean.tolerance, mean.z, mean.minDetectable] {
                #expect(value == Num(nil), "a check that does not apply has no numbers")
            }
            #expect(mean.zAcceptance == nil)
            #expect(s.check("variance")?.status == "pass")
            #expect(s.check("ess")?.status == "pass")
            // The ratio is bounded (r = 1/2 on [0, 1]): exact k = 0, so k-hat does not apply.
            #expect(s.exact.tailIndex.value == 0)
            #expect(s.check("khat")?.status == "not_applicable")
            #expect(s.check("khat")?.reason.hasPrefix("every moment of r is finite (exact k = 0)") == true)
            #expect(close(s.exact.mean.value, 1, 1e-10))
            #expect(close(s.exact.isMean.value, 0.25, 1e-10))
            // [1, 2] is the part of p's support q misses; p |f| = x / 2 there has mass 3/4.
            let region = try #require(s.exact.supportViolations.first)
            #expect(s.exact.supportViolations.count == 1)
            #expect(region.lower.value == 1 && region.upper.value == 2)
            #expect(close(region.mass.value, 0.75, 1e-10))
            #expect(s.regime == "finite_variance")
        }
    }

    @Test("declaring the support violation makes the same scenario met")
    func declaredSupportViolation() throws {
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(expect: "support_violation"), to: "support-miss.iscert", in: dir)
            let text = runISCert(["check", path, "--trials", "200"])
            #expect(text.status == 0)
            #expect(text.stderr.isEmpty)
            #expect(lines(text.stdout).first == "MET     temp-support-miss: as declared: support_violation")
            #expect(text.stdout.contains("expect = support_violation"))
            #expect(text.stdout.contains("  support violation: q never draws from [1, 2], where p |f| has mass 0.75"))
            #expect(!text.stdout.contains("replay:"))

            let json = runISCert(["check", path, "--trials", "200", "--format", "json"])
            #expect(json.status == 0)
            let s = try #require(try decode(Report.self, json.stdout).scenarios.first)
            #expect(s.met)
            #expect(s.expect == "support_violation")
            #expect(s.check("mean")?.status == "not_applicable")
            #expect(s.check("mean")?.reason == Self.supportReason)
            #expect(s.exact.supportViolations.count == 1)
        }
    }

    @Test("a check that really fails: status fail with its z, tolerance, acceptance interval and reason")
    func failingCheck() throws {
        try withTemporaryDirectory { dir in
            let text = falseAlarm()
            let path = try write(text, to: "false-alarm.iscert", in: dir)
            let run = runISCert(["check", path, "--format", "json"])
            #expect(run.status == 1, Comment(rawValue: FalseAlarm.streamsChanged))
            #expect(run.stderr.isEmpty)
            let report = try decode(Report.self, run.stdout)
            #expect(!report.passed)
            #expect(report.checksInFamily == 4)
            #expect(close(report.zStar, zStarFourChecks, 1e-12))
            let s = try #require(report.scenarios.first)
            #expect(s.name == FalseAlarm.name && s.seed == FalseAlarm.seed)
            #expect(s.samples == FalseAlarm.samples && s.trials == FalseAlarm.trials)
            #expect(!s.met)
            #expect(s.verdict == "failed: mean[is]", Comment(rawValue: FalseAlarm.streamsChanged))
            #expect(s.replay == "iscert check \(path) --seed \(FalseAlarm.seed)")
            #expect(s.exact.supportViolations.isEmpty)
            #expect(s.check("variance")?.status == "pass")
            #expect(s.check("ess")?.status == "pass")
            #expect(s.check("khat")?.status == "not_applicable")

            let mean = try #require(s.check("mean"))
            #expect(mean.status == "fail", Comment(rawValue: FalseAlarm.streamsChanged))
            #expect(mean.estimator == "is")
            #expect(mean.observed == s.observed.meanEstimate)
            #expect(close(mean.expected.value, 2.0 / 7, 1e-10))
            #expect(mean.expected == s.exact.mean, "ordinary IS's mean is checked against E_p[f]")
            // se = sqrt(variance_n / N / K); tolerance = z* se; z = (observed - expected) / se.
            let n = Double(s.samples), k = Double(s.trials)
            let se = (try #require(s.exact.varianceN.value) / n / k).squareRoot()
            let observed = try #require(mean.observed.value), expected = try #require(mean.expected.value)
            let z = try #require(mean.z.value), tolerance = try #require(mean.tolerance.value)
            #expect(close(tolerance, report.zStar * se, 1e-9))
            #expect(close(z, (observed - expected) / se, 1e-9))
            #expect(close(mean.minDetectable.value, (report.zStar + zPower) * se, 1e-9))
            #expect(z > 3.5, "the false alarm lies 3.7 standard errors above E_p[f]")
            #expect(abs(observed - expected) > tolerance)
            let acceptance = try #require(mean.zAcceptance).compactMap(\.value)
            #expect(acceptance.count == 2)
            #expect(acceptance.count == 2 && acceptance[0] < 0 && acceptance[1] > 0 && !(acceptance[0]...acceptance[1]).contains(z),
                    "a failed check's z lies outside its acceptance interval")
            #expect(mean.reason.hasPrefix("mean of \(FalseAlarm.trials) estimates vs E_p[f]; Var Z exact"))
            #expect(!mean.reason.contains("converges to"), "IS is unbiased here: the reason names no other limit")

            let textRun = runISCert(["check", path])
            #expect(textRun.status == 1)
            let out = lines(textRun.stdout)
            #expect(out.first == "NOT MET \(FalseAlarm.name): failed: mean[is]")
            #expect(out.contains { $0.hasPrefix("  mean") && $0.contains(" fail ") })
            #expect(out.contains("      " + mean.reason))
            #expect(out.contains("  replay: iscert check \(path) --seed \(FalseAlarm.seed)"))
            #expect(bytes(of: path) == Array(text.utf8), "the scenario file was changed")
        }
    }

    struct Declared: Sendable, CustomTestStringConvertible {
        var label: String
        /// The scenario's text, from the package root.
        var text: @Sendable () throws -> String
        var met: Bool
        var verdict: String
        /// The false alarm keeps the K of its file; the others run at K = 200.
        var options = ["--trials", "200"]
        var testDescription: String { label }
    }

    /// A shipped scenario with its `expect` line (if any) replaced by `expect`.
    static func shipped(_ name: String, expect: String) throws -> String {
        let kept = lines(try shippedScenario(name)).filter { !$0.hasPrefix("expect") }
        return (kept + ["expect      = \(expect)"]).joined(separator: "\n") + "\n"
    }

    static let declared = [
        Declared(label: "support violation declared", text: { supportViolation(expect: "support_violation") },
                 met: true, verdict: "as declared: support_violation"),
        Declared(label: "support violation undeclared", text: { supportViolation() }, met: false, verdict: supportVerdict),
        Declared(label: "declared support violation that does not happen",
                 text: { try shipped("support-covered", expect: "support_violation") },
                 met: false, verdict: "expected a support violation, but q covers p f"),
        Declared(label: "fail(variance) on a passing variance check",
                 text: { try shipped("beta-uniform", expect: "fail(variance)") },
                 met: false, verdict: "expected to fail [variance], failed []"),
        Declared(label: "fail(mean) on the failing mean check", text: { falseAlarm(expect: "fail(mean)") },
                 met: true, verdict: "as declared: fail(mean) (failed: mean[is])", options: []),
        Declared(label: "fail(variance) when the mean check fails", text: { falseAlarm(expect: "fail(variance)") },
                 met: false, verdict: "expected to fail [variance], failed [mean[is]]", options: []),
        Declared(label: "infinite variance without the k-hat outcome",
                 text: { try shipped("narrow-behavior-infinite", expect: "infinite_variance") },
                 met: false,
                 verdict: "the ratio's exact tail index is above the k-hat reliability threshold; declare `khat_above_threshold` if that is intended"),
        Declared(label: "the k-hat outcome without infinite variance",
                 text: { try shipped("narrow-behavior-infinite", expect: "khat_above_threshold") },
                 met: false,
                 verdict: "the estimator has infinite variance (E_q[r^2 f^2] = inf), so it cannot be certified; declare `infinite_variance` if that is intended"),
    ]

    @Test("expect is the exact set of outcomes: met iff the observed outcomes equal the declared ones", arguments: declared)
    func declaredOutcomes(_ c: Declared) throws {
        try withTemporaryDirectory { dir in
            let path = try write(try c.text(), to: "declared.iscert", in: dir)
            let run = runISCert(["check", path, "--format", "json"] + c.options)
            #expect(run.status == (c.met ? 0 : 1), "\(run.stderr)")
            #expect(run.stderr.isEmpty)
            let s = try #require(try decode(Report.self, run.stdout).scenarios.first)
            #expect(s.met == c.met)
            #expect(s.verdict == c.verdict)
        }
    }

    struct ReplayCase: Sendable, CustomTestStringConvertible {
        var label: String
        var options: [String]
        /// Run a passing scenario alongside, so the family holds 8 checks.
        var withCompanion: Bool
        /// The failing scenario: the undeclared support violation, or the false alarm
        /// (which fails only at its own seed, K and N, so takes no overrides).
        var falseAlarm = false
        var testDescription: String { label }
    }

    static let replayCases = [
        ReplayCase(label: "trials override", options: ["--trials", "200"], withCompanion: false),
        ReplayCase(label: "seed, samples, alpha", options: ["--trials", "150", "--samples", "50", "--seed", "7", "--alpha", "0.05"],
                   withCompanion: false),
        ReplayCase(label: "two scenarios (family of 8 checks)", options: ["--trials", "200", "--seed", "99"], withCompanion: true),
        ReplayCase(label: "explicit --family-checks", options: ["--trials", "200", "--family-checks", "30"], withCompanion: false),
        ReplayCase(label: "a failed mean check", options: [], withCompanion: false, falseAlarm: true),
    ]

    @Test("the replay command reproduces the failing scenario's JSON bit for bit", arguments: replayCases)
    func replayReproduces(_ c: ReplayCase) throws {
        try withTemporaryDirectory(awkward: true) { dir in
            let text = c.falseAlarm ? falseAlarm() : supportViolation()
            let name = c.falseAlarm ? FalseAlarm.name : "temp-support-miss"
            let path = try write(text, to: "failing scenario.iscert", in: dir)
            let files = c.withCompanion ? [CLI.scenario("beta-uniform"), path] : [path]
            let options = c.options

            let textRun = runISCert(["check"] + files + options)
            #expect(textRun.status == 1)
            let replayLines = lines(textRun.stdout).filter { $0.hasPrefix("  replay: ") }
            #expect(replayLines.count == 1, "one scenario failed, so one replay line")
            let replay = try #require(replayLines.first).dropFirst("  replay: ".count)
            #expect(replay.hasPrefix("iscert check "))
            if c.withCompanion { #expect(replay.contains("--family-checks 8"), "the replay keeps the run's z*") }

            let original = runISCert(["check"] + files + options + ["--format", "json"])
            #expect(original.status == 1)
            let originalReport = try decode(Report.self, original.stdout)
            #expect(originalReport.checksInFamily == (options.contains("--family-checks") ? 30 : 4 * files.count))
            let originalEntry = try #require(originalReport.scenario(name))
            #expect(!originalEntry.met)
            #expect(originalEntry.replay == String(replay), "text and JSON replay commands differ")
            if c.falseAlarm {
                #expect(originalEntry.check("mean")?.status == "fail", Comment(rawValue: FalseAlarm.streamsChanged))
            } else {
                #expect(originalEntry.check("mean")?.status == "not_applicable")
                #expect(originalEntry.verdict == Self.supportVerdict)
            }

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
            #expect(replayedEntry.exact == originalEntry.exact)
            #expect(replayedReport.zStar.bitPattern == originalReport.zStar.bitPattern)
            #expect(replayedReport.checksInFamily == originalReport.checksInFamily)
            #expect(replayedReport.alpha == originalReport.alpha)
            #expect(bytes(of: path) == Array(text.utf8), "the scenario file was changed")
        }
    }
}
