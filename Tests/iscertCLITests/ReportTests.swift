import Foundation
import Testing

@Suite("Reports of a passing run")
struct ReportTests {
    @Test("a passing scenario exits 0 with MET and the summary line")
    func passingText() {
        let run = runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "400"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let out = lines(run.stdout)
        #expect(out.first?.hasPrefix("MET     beta-uniform: ") == true)
        #expect(!run.stdout.contains("NOT MET"))
        #expect(!run.stdout.contains("replay:"), "a met scenario prints no replay line")
        #expect(run.stdout.contains("  file: Scenarios/beta-uniform.iscert"))
        #expect(run.stdout.contains("N = 200   K = 400   seed = 1   expect = pass"))
        for check in ["mean", "variance", "ess"] {
            #expect(out.contains { $0.hasPrefix("  \(check)") && $0.contains(" pass ") }, "no passing \(check) row")
        }
        #expect(out.last?.hasPrefix("1 scenario: 1 met, 0 not met (family-wise false-alarm rate 0.01 over 3 checks: |z| <= 2.935;") == true)
    }

    static let topKeys: Set = ["schema_version", "passed", "alpha", "checks_in_family", "z_star", "power", "scenarios", "sweeps"]
    static let scenarioKeys: Set = ["name", "description", "file", "target", "behavior", "f", "samples", "trials", "seed",
                                    "expect", "regime", "met", "verdict", "replay", "exact", "observed", "estimators", "checks"]
    static let exactKeys: Set = ["mean", "is_mean", "r2", "rf2", "rf4", "ess_fraction", "variance_n", "ess_mean", "ess_sd",
                                 "ess_delta_method", "method", "notes"]
    static let observedKeys: Set = ["mean_estimate", "variance_estimate", "mean_ess_fraction", "non_finite_trials"]
    static let checkKeys: Set = ["name", "estimator", "status", "observed", "expected", "tolerance", "z", "min_detectable", "reason"]

    @Test("--format json follows the documented schema, key for key")
    func jsonKeys() throws {
        let run = runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "400", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let top = try jsonObject(run.stdout)
        #expect(Set(top.keys) == Self.topKeys)
        let scenarios = try #require(top["scenarios"] as? [[String: Any]])
        #expect(scenarios.count == 1)
        let scenario = try #require(scenarios.first)
        #expect(Set(scenario.keys) == Self.scenarioKeys)
        #expect(Set(try #require(scenario["exact"] as? [String: Any]).keys) == Self.exactKeys)
        #expect(Set(try #require(scenario["observed"] as? [String: Any]).keys) == Self.observedKeys)
        let checks = try #require(scenario["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["mean", "variance", "ess"])
        for check in checks {
            let status = try #require(check["status"] as? String)
            #expect(["pass", "fail", "not_applicable"].contains(status))
            // z_acceptance is present exactly when a z-test was made.
            let keys = status == "not_applicable" ? Self.checkKeys : Self.checkKeys.union(["z_acceptance"])
            #expect(Set(check.keys) == keys)
        }
    }

    @Test("--format json of a passing scenario holds its exact moments and consistent checks")
    func jsonValues() throws {
        let run = runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "400", "--format", "json"])
        #expect(run.status == 0)
        let report = try decode(Report.self, run.stdout)
        #expect(report.schemaVersion == 1)
        #expect(report.passed)
        #expect(report.alpha == 0.01)
        #expect(report.checksInFamily == 3)
        #expect(close(report.zStar, 2.9351994688667054, 1e-9))  // Phi^-1(1 - 0.01 / 6)
        #expect(report.power == 0.8)
        let s = try #require(report.scenarios.first)
        #expect(report.scenarios.count == 1)
        #expect(s.name == "beta-uniform")
        #expect(s.file == "Scenarios/beta-uniform.iscert")
        #expect(s.target == "beta(a: 2, b: 5)")
        #expect(s.behavior == "uniform(low: 0, high: 1)")
        #expect(s.f == "x")
        #expect(s.samples == 200 && s.trials == 400 && s.seed == 1)
        #expect(s.expect == "pass")
        #expect(s.regime == "finite_variance")
        #expect(s.met)
        #expect(s.replay == "iscert check Scenarios/beta-uniform.iscert --seed 1 --trials 400")

        // beta(2, 5) behind uniform(0, 1): r = 30 x (1 - x)^4.
        #expect(close(s.exact.mean.value, 2.0 / 7, 1e-10))
        #expect(close(s.exact.isMean.value, 2.0 / 7, 1e-10))
        #expect(close(s.exact.r2.value, 20.0 / 11, 1e-10))
        #expect(close(s.exact.rf2.value, 20.0 / 143, 1e-10))
        #expect(close(s.exact.varianceN.value, 20.0 / 143 - 4.0 / 49, 1e-10))
        #expect(close(s.exact.essFraction.value, 11.0 / 20, 1e-10))
        #expect(s.exact.notes.allSatisfy { !$0.contains("infinite") })
        #expect(s.observed.nonFiniteTrials == 0)

        let n = Double(s.samples), k = Double(s.trials)
        let mean = try #require(s.check("mean")), variance = try #require(s.check("variance")), ess = try #require(s.check("ess"))
        #expect(mean.observed == s.observed.meanEstimate && mean.expected == s.exact.mean)
        #expect(variance.observed == s.observed.varianceEstimate)
        #expect(close(variance.expected.value, try #require(s.exact.varianceN.value) / n))
        #expect(ess.observed == s.observed.meanEssFraction && ess.expected == s.exact.essMean)
        // The mean's standard error is sqrt(variance_n / N / K); tolerance = z* se.
        #expect(close(mean.tolerance.value, report.zStar * (try #require(s.exact.varianceN.value) / n / k).squareRoot(), 1e-9))

        let zPower = 0.8416212335729143  // Phi^-1(0.8)
        for c in s.checks {
            #expect(c.status == "pass", "\(c.name): \(c.reason)")
            let observed = try #require(c.observed.value), expected = try #require(c.expected.value)
            let tolerance = try #require(c.tolerance.value), z = try #require(c.z.value)
            let se = tolerance / report.zStar
            #expect(close(z, (observed - expected) / se, 1e-9), "\(c.name): z is not (observed - expected) / se")
            #expect(close(c.minDetectable.value, (report.zStar + zPower) * se, 1e-9), "\(c.name): min_detectable")
            let bounds = c.zAcceptance?.compactMap { $0.value }
            let acceptance = try #require(bounds)
            #expect(acceptance.count == 2)
            #expect(acceptance[0] <= z && z <= acceptance[1])
            #expect(abs(observed - expected) <= tolerance * 1.2, "\(c.name): a pass well outside the tolerance")
        }
    }

    @Test("infinite moments are the string \"inf\" and the z-tests that need them do not apply")
    func infiniteMoments() throws {
        let run = runISCert(["check", CLI.scenario("narrow-behavior-infinite"), "--trials", "200", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let top = try jsonObject(run.stdout)
        let raw = try #require((top["scenarios"] as? [[String: Any]])?.first)
        let exact = try #require(raw["exact"] as? [String: Any])
        for key in ["r2", "rf2", "rf4", "variance_n"] {
            #expect(exact[key] as? String == "inf", "exact.\(key) is \(String(describing: exact[key]))")
        }
        let rawChecks = try #require(raw["checks"] as? [[String: Any]])
        for check in rawChecks where check["name"] as? String != "ess" {
            #expect(check["status"] as? String == "not_applicable")
            for key in ["observed", "expected", "tolerance", "z", "min_detectable"] {
                #expect(check[key] is NSNull, "\(key) of a check that does not apply should be null")
            }
            #expect(check["z_acceptance"] == nil)
        }

        let report = try decode(Report.self, run.stdout)
        let s = try #require(report.scenarios.first)
        #expect(s.exact.r2.value == .infinity)
        #expect(s.exact.mean.value == 1)
        #expect(s.regime == "infinite_variance")
        #expect(s.expect == "infinite_variance")
        #expect(s.met)
        #expect(s.check("mean")?.status == "not_applicable")
        #expect(s.check("variance")?.status == "not_applicable")
        #expect(s.check("mean")?.reason.contains("infinite") == true)
        #expect(s.exact.notes.contains { $0.hasPrefix("E_q[r^2] is infinite") })

        let text = runISCert(["check", CLI.scenario("narrow-behavior-infinite"), "--trials", "200"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("E_q[r^2] = inf"))
        #expect(text.stdout.contains("regime: infinite variance"))
    }

    @Test("a scenario with infinite variance that expects pass is not met")
    func infiniteVarianceExpectingPass() throws {
        try withTemporaryDirectory { dir in
            let text = try shippedScenario("narrow-behavior-infinite")
                .replacingOccurrences(of: "expect      = infinite_variance", with: "expect      = pass")
            #expect(text.contains("expect      = pass"))
            let path = try write(text, to: "narrow.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200"])
            #expect(run.status == 1)
            #expect(run.stdout.hasPrefix("NOT MET narrow-behavior-infinite: the estimator has infinite variance"))
            #expect(bytes(of: path) == Array(text.utf8))
        }
    }
}
