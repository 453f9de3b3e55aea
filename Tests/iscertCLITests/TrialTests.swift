import Foundation
import Testing

@Suite("--trial")
struct TrialTests {
    @Test("--trial k --format json prints that trial's summary, the same every time")
    func oneTrialJSON() throws {
        let args = ["check", CLI.scenario("beta-uniform"), "--trial", "5", "--format", "json"]
        let run = runISCert(args)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let keys = Set(try jsonObject(run.stdout).keys)
        #expect(keys == ["scenario", "seed", "trial", "samples", "estimate", "estimates", "sum_r", "sum_r2", "ess_fraction", "non_finite"])
        let t = try decode(TrialOutput.self, run.stdout)
        #expect(t.scenario == "beta-uniform" && t.trial == 5 && t.samples == 200 && t.seed == 1 && t.nonFinite == 0)
        let sumR = try #require(t.sumR.value), sumR2 = try #require(t.sumR2.value)
        #expect(close(t.essFraction.value, sumR * sumR / (200 * sumR2), 1e-12))
        #expect(abs(try #require(t.estimate.value) - 2.0 / 7) < 0.05)

        #expect(runISCert(args).stdout == run.stdout, "a second run differs")
        #expect(runISCert(args + ["--jobs", "1"]).stdout == run.stdout, "--jobs changes a replayed trial")
        #expect(try decode(TrialOutput.self, runISCert(["check", CLI.scenario("beta-uniform"), "--trial", "6", "--format", "json"]).stdout)
                    .estimate != t.estimate, "trials 5 and 6 agree")
    }

    @Test("--trial k in text names the trial, seed and N")
    func oneTrialText() throws {
        let json = try decode(TrialOutput.self, runISCert(["check", CLI.scenario("beta-uniform"), "--trial", "5", "--format", "json"]).stdout)
        let run = runISCert(["check", CLI.scenario("beta-uniform"), "--trial", "5", "--seed", "1"])
        #expect(run.status == 0)
        let out = lines(run.stdout)
        #expect(out.first == "beta-uniform trial 5 (seed 1, N = 200)")
        let estimate = try #require(json.estimate.value)
        #expect(out.contains { $0.hasPrefix("  estimate is ") && $0.hasSuffix("= \(estimate)") })
    }

    @Test("the replayed trials are the ones the run averaged")
    func trialsMakeTheRun() throws {
        let base = ["check", CLI.scenario("beta-uniform"), "--trials", "4", "--seed", "11", "--format", "json"]
        let report = try decode(Report.self, runISCert(base).stdout)
        let s = try #require(report.scenarios.first)
        let trials = try (0..<4).map { try decode(TrialOutput.self, runISCert(base + ["--trial", "\($0)"]).stdout) }
        #expect(trials.map(\.trial) == [0, 1, 2, 3])
        #expect(trials.allSatisfy { $0.seed == 11 })
        let estimates = trials.compactMap(\.estimate.value)
        let mean = estimates.reduce(0, +) / 4
        let variance = estimates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
        #expect(close(s.observed.meanEstimate.value, mean, 1e-12))
        #expect(close(s.observed.varianceEstimate.value, variance, 1e-9))
        #expect(close(s.observed.meanEssFraction.value, trials.compactMap(\.essFraction.value).reduce(0, +) / 4, 1e-12))
    }

    /// A gradient scenario replays every component of every estimator (they used to
    /// be refused as "not a component"), and long names are printed whole.
    @Test("--trial on a gradient scenario prints each component, as the run averaged them")
    func gradientTrial() throws {
        let file = CLI.scenario("markov-gradient")
        let base = ["check", file, "--trials", "3", "--seed", "5", "--format", "json"]
        let report = try jsonObject(runISCert(base).stdout)
        let scenario = try #require((report["scenarios"] as? [[String: Any]])?.first)
        let estimators = try #require(scenario["estimators"] as? [[String: Any]])
        let names = estimators.compactMap { $0["name"] as? String }
        let trials = try (0..<3).map { k in
            let run = runISCert(base + ["--trial", "\(k)"])
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(try jsonObject(run.stdout)["estimates"] as? [String: Double])
        }
        #expect(trials.allSatisfy { Set($0.keys) == Set(names) } && names.count > 12)
        for e in estimators {
            let name = try #require(e["name"] as? String), mean = try #require(e["observed_mean"] as? Double)
            #expect(close(mean, trials.map { $0[name] ?? .nan }.reduce(0, +) / 3, 1e-12), "\(name)")
        }
        let text = runISCert(["check", file, "--trials", "3", "--seed", "5", "--trial", "0"])
        for name in names { #expect(text.stdout.contains("  estimate \(name) "), "\(name) cut in the text printout") }
    }

    @Test("--trial with two scenarios exits 2")
    func twoScenarios() {
        let run = runISCert(["check", CLI.scenario("beta-uniform"), CLI.scenario("gamma-pair"), "--trial", "1"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("--trial replays one scenario; 2 were given"))
    }

    @Test("--trial beyond K exits 2", arguments: [(["--trial", "4000"], "--trial 4000 is outside 0..<4000"),
                                                  (["--trials", "4", "--trial", "4"], "--trial 4 is outside 0..<4")])
    func beyondK(_ args: [String], _ message: String) {
        let run = runISCert(["check", CLI.scenario("beta-uniform")] + args)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("--trial K - 1 is the last valid trial")
    func lastTrial() throws {
        let run = runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "4", "--trial", "3", "--format", "json"])
        #expect(run.status == 0)
        #expect(try decode(TrialOutput.self, run.stdout).trial == 3)
    }
}
