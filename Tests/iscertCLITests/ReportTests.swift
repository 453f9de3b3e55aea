import Foundation
import Testing

@Suite("Reports of a passing run")
struct ReportTests {
    @Test("a passing scenario exits 0 with MET and the summary line")
    func passingText() throws {
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
        // r = 30 x (1 - x)^4 is bounded: exact k = 0, so the fourth check, k-hat, does not apply and says why.
        #expect(out.contains { $0.hasPrefix("  khat") && $0.contains(" not_applicable ") }, "no k-hat row")
        #expect(out.contains { $0.hasPrefix("      every moment of r is finite (exact k = 0)") })
        // KL(p||q) = log 30 + E_p[log x] + 4 E_p[log(1 - x)] = log 30 - 29/20 - 22/15; chi^2 = E_q[r^2] - 1 = 9/11.
        let diagnostics = try #require(out.first { $0.hasPrefix("  diagnostics: ") })
        #expect(diagnostics.hasPrefix("  diagnostics: tail index k = 0, mean k-hat "))
        #expect(diagnostics.contains("(threshold 0.565, above in 0 trials)"))
        #expect(diagnostics.contains("   KL(p||q) = 0.484531   chi^2 = 0.818182"))
        #expect(diagnostics.contains("KL(q||p) = "))
        #expect(!run.stdout.contains("support violation"))
        #expect(out.last?.hasPrefix("1 scenario: 1 met, 0 not met (family-wise false-alarm rate 0.01 over 4 checks: |z| <= 3.023;") == true)
    }

    static let topKeys: Set = ["schema_version", "passed", "alpha", "checks_in_family", "z_star", "power", "scenarios", "sweeps"]
    static let scenarioKeys: Set = ["name", "description", "file", "target", "behavior", "f", "samples", "trials", "seed",
                                    "expect", "regime", "met", "verdict", "replay", "exact", "observed", "estimators", "checks"]
    static let exactKeys: Set = ["mean", "is_mean", "r2", "rf2", "rf4", "ess_fraction", "variance_n", "ess_mean", "ess_sd",
                                 "ess_delta_method", "method", "notes",
                                 "tail_index", "kl_qp", "kl_pq", "chi_square", "support_violations"]
    static let observedKeys: Set = ["mean_estimate", "variance_estimate", "mean_ess_fraction", "non_finite_trials",
                                    "mean_khat", "khat_threshold", "khat_above_threshold_trials"]
    static let supportRegionKeys: Set = ["lower", "upper", "mass"]
    static let checkKeys: Set = ["name", "estimator", "status", "observed", "expected", "tolerance", "z", "min_detectable", "reason"]

    /// beta-uniform at K = 400 in JSON, run once for the schema and the values.
    static let json = runISCert(["check", CLI.scenario("beta-uniform"), "--trials", "400", "--format", "json"])

    @Test("--format json follows the documented schema, key for key")
    func jsonKeys() throws {
        let run = Self.json
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
        #expect(checks.map { $0["name"] as? String } == ["mean", "variance", "extreme_weights", "ess", "khat"])
        #expect(checks.map { $0["estimator"] as? String } == ["is", "is", "is", nil, nil], "ess and khat are about the weights")
        for check in checks {
            let status = try #require(check["status"] as? String)
            #expect(["pass", "fail", "not_applicable"].contains(status))
            // z_acceptance is present exactly when a z-test was made (extreme_weights is not one).
            let zTest = status != "not_applicable" && check["name"] as? String != "extreme_weights"
            let keys = zTest ? Self.checkKeys.union(["z_acceptance"]) : Self.checkKeys
            #expect(Set(check.keys) == keys)
        }
        // A region of a support violation has three keys; beta-uniform has none.
        let exact = try #require(scenario["exact"] as? [String: Any])
        #expect((exact["support_violations"] as? [Any])?.isEmpty == true)
        try withTemporaryDirectory { dir in
            let path = try write(supportViolation(), to: "miss.iscert", in: dir)
            let miss = try jsonObject(runISCert(["check", path, "--trials", "20", "--format", "json"]).stdout)
            let missScenario = try #require((miss["scenarios"] as? [[String: Any]])?.first)
            let regions = try #require((missScenario["exact"] as? [String: Any])?["support_violations"] as? [[String: Any]])
            #expect(regions.count == 1)
            #expect(regions.allSatisfy { Set($0.keys) == Self.supportRegionKeys })
        }
    }

    @Test("--format json of a passing scenario holds its exact moments and consistent checks")
    func jsonValues() throws {
        let run = Self.json
        #expect(run.status == 0)
        let report = try decode(Report.self, run.stdout)
        #expect(report.schemaVersion == 1)
        #expect(report.passed)
        #expect(report.alpha == 0.01)
        #expect(report.checksInFamily == 4)  // mean, variance, ess, khat
        #expect(close(report.zStar, zStarFourChecks, 1e-9))  // Phi^-1(1 - 0.01 / 8)
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
        // The diagnostics: r is bounded (k = 0), q covers p, chi^2 = E_q[r^2] - 1 = 9/11,
        // KL(p||q) = E_p[log r] = log 30 + (psi(2) - psi(7)) + 4 (psi(5) - psi(7)) = log 30 - 29/20 - 22/15.
        #expect(s.exact.tailIndex.value == 0)
        #expect(s.exact.supportViolations.isEmpty)
        #expect(close(s.exact.chiSquare.value, 9.0 / 11, 1e-10))
        #expect(close(s.exact.klPq.value, log(30) - 29.0 / 20 - 22.0 / 15, 1e-9))
        // KL(q||p) = E_q[-log r] = 5 - log 30 (once reported undetermined: the tail test
        // could not decide a bounded integrand at a finite endpoint).
        #expect(close(s.exact.klQp.value, 5 - log(30), 1e-9))
        // k-hat: threshold 1 - 1/log10(N) at N = 200, mean over the trials (k-hat is fitted on at most 500).
        #expect(close(s.observed.khatThreshold, 1 - 1 / log10(200), 1e-12))
        #expect(s.observed.khatAboveThresholdTrials == 0)
        #expect(s.observed.meanKhat.value.map { $0 < s.observed.khatThreshold } == true)

        let n = Double(s.samples), k = Double(s.trials)
        let mean = try #require(s.check("mean")), variance = try #require(s.check("variance")), ess = try #require(s.check("ess"))
        #expect(mean.observed == s.observed.meanEstimate && mean.expected == s.exact.mean)
        #expect(variance.observed == s.observed.varianceEstimate)
        #expect(close(variance.expected.value, try #require(s.exact.varianceN.value) / n))
        #expect(ess.observed == s.observed.meanEssFraction && ess.expected == s.exact.essMean)
        // The mean's standard error is sqrt(variance_n / N / K); tolerance = z* se.
        #expect(close(mean.tolerance.value, report.zStar * (try #require(s.exact.varianceN.value) / n / k).squareRoot(), 1e-9))

        let khat = try #require(s.check("khat"))
        #expect(khat.status == "not_applicable")
        #expect(khat.estimator == nil)
        #expect(khat.reason.hasPrefix("every moment of r is finite (exact k = 0)"))
        #expect(khat.observed == Num(nil) && khat.z == Num(nil) && khat.tolerance == Num(nil) && khat.zAcceptance == nil)

        let extreme = try #require(s.check("extreme_weights"))
        #expect(extreme.status == "pass" && extreme.estimator == "is" && extreme.z == Num(nil) && extreme.zAcceptance == nil)
        for c in s.checks where c.name != "khat" && c.name != "extreme_weights" {
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
        for key in ["r2", "rf2", "rf4", "variance_n", "chi_square"] {
            #expect(exact[key] as? String == "inf", "exact.\(key) is \(String(describing: exact[key]))")
        }
        let rawChecks = try #require(raw["checks"] as? [[String: Any]])
        #expect(rawChecks.map { $0["name"] as? String } == ["mean", "variance", "extreme_weights", "ess", "khat"])
        for check in rawChecks where ["mean", "variance"].contains(check["name"] as? String) {
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
        // Exact k = 1 - sq^2/sp^2 = 0.64 >= 1 - 1/log10(200) = 0.565: both outcomes happen and both are declared.
        #expect(s.expect == "infinite_variance, khat_above_threshold")
        #expect(s.met)
        #expect(s.verdict == "as declared: infinite_variance, khat_above_threshold")
        #expect(s.check("mean")?.status == "not_applicable")
        #expect(s.check("variance")?.status == "not_applicable")
        #expect(s.check("mean")?.reason.contains("infinite") == true)
        #expect(s.exact.notes.contains { $0.hasPrefix("E_q[r^2] is infinite") })

        // The diagnostics, in closed form for q = N(0, 0.6^2) behind p = N(0, 1).
        let threshold = 1 - 1 / log10(200.0)
        #expect(close(s.exact.tailIndex.value, 0.64, 1e-9))
        #expect(close(s.exact.klQp.value, log(1 / 0.6) + 0.36 / 2 - 0.5, 1e-9))  // log(sp/sq) + sq^2/(2 sp^2) - 1/2
        #expect(close(s.exact.klPq.value, log(0.6) + 1 / 0.72 - 0.5, 1e-9))  // log(sq/sp) + sp^2/(2 sq^2) - 1/2
        #expect(s.exact.chiSquare.value == .infinity)
        #expect(s.exact.supportViolations.isEmpty)
        #expect(close(s.observed.khatThreshold, threshold, 1e-12))

        // k = 0.64 lies in (0, 0.75], so the k-hat check applies: the mean k-hat over the
        // trials against (M k + 5)/(M + 10), M = ceil(min(N/5, 3 sqrt(N))) = 40, within
        // 0.1 (k-hat's measured bias) plus z* standard errors.
        let khat = try #require(s.check("khat"))
        #expect(khat.status == "pass", "\(khat.reason)")
        #expect(khat.estimator == nil)
        #expect(khat.observed == s.observed.meanKhat)
        #expect(close(khat.expected.value, (40 * 0.64 + 5) / 50, 1e-9))
        let observed = try #require(khat.observed.value), expected = try #require(khat.expected.value)
        let z = try #require(khat.z.value), tolerance = try #require(khat.tolerance.value)
        let se = (observed - expected) / z
        #expect(se > 0)
        #expect(close(tolerance, 0.1 + report.zStar * se, 1e-9))
        #expect(close(khat.minDetectable.value, 0.1 + (report.zStar + zPower) * se, 1e-9))
        #expect(abs(observed - expected) <= tolerance)
        let acceptance = try #require(khat.zAcceptance).compactMap(\.value)
        #expect(acceptance.count == 2 && close(acceptance[1], tolerance / se, 1e-9) && acceptance[0] == -acceptance[1])
        #expect(khat.reason.hasPrefix("mean k-hat over 200 trials vs the exact tail index k = 0.64"))
        #expect(khat.reason.contains("M = 40"))
        #expect(khat.reason.hasSuffix("exceeded in \(s.observed.khatAboveThresholdTrials) of 200 trials"))
        #expect(s.observed.khatAboveThresholdTrials > 0 && s.observed.khatAboveThresholdTrials < 200)

        let text = runISCert(["check", CLI.scenario("narrow-behavior-infinite"), "--trials", "200"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("E_q[r^2] = inf"))
        #expect(text.stdout.contains("regime: infinite variance"))
        #expect(text.stdout.contains("expect = infinite_variance, khat_above_threshold"))
        let diagnostics = try #require(lines(text.stdout).first { $0.hasPrefix("  diagnostics: ") })
        #expect(diagnostics.hasPrefix("  diagnostics: tail index k = 0.64, mean k-hat "))
        #expect(diagnostics.contains("(threshold 0.565, above in \(s.observed.khatAboveThresholdTrials) trials)"))
        #expect(diagnostics.hasSuffix("   KL(q||p) = 0.190826   KL(p||q) = 0.378063   chi^2 = inf"))
        #expect(lines(text.stdout).contains { $0.hasPrefix("  khat") && $0.contains(" pass ") })
    }

    @Test("a scenario with infinite variance that expects pass is not met")
    func infiniteVarianceExpectingPass() throws {
        try withTemporaryDirectory { dir in
            // The shipped file declares `infinite_variance, khat_above_threshold`; `pass`
            // must replace the whole set (`pass, khat_above_threshold` is an error).
            let shipped = try shippedScenario("narrow-behavior-infinite")
            #expect(shipped.contains("expect      = infinite_variance, khat_above_threshold\n"))
            let text = shipped.replacingOccurrences(of: "expect      = infinite_variance, khat_above_threshold\n",
                                                    with: "expect      = pass\n")
            #expect(text.contains("expect      = pass\n"))
            let path = try write(text, to: "narrow.iscert", in: dir)
            let run = runISCert(["check", path, "--trials", "200"])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.isEmpty)
            // Both undeclared outcomes are named, in this order.
            #expect(lines(run.stdout).first == "NOT MET narrow-behavior-infinite: "
                + "the estimator has infinite variance (E_q[r^2 f^2] = inf), so it cannot be certified; declare `infinite_variance` if that is intended; "
                + "the ratio's exact tail index is above the k-hat reliability threshold; declare `khat_above_threshold` if that is intended")
            #expect(run.stdout.contains("  replay: iscert check \(path) --seed 1 --trials 200"))
            #expect(bytes(of: path) == Array(text.utf8))
        }
    }

    @Test("`pass` combined with another outcome is bad input, exit 2")
    func passWithAnOutcome() throws {
        try withTemporaryDirectory { dir in
            // What a textual replacement of `infinite_variance` by `pass` in the shipped file gives.
            let text = try shippedScenario("narrow-behavior-infinite")
                .replacingOccurrences(of: "expect      = infinite_variance", with: "expect      = pass")
            #expect(text.contains("expect      = pass, khat_above_threshold\n"))
            let path = try write(text, to: "narrow.iscert", in: dir)
            let line = try #require(lines(text).firstIndex { $0.hasPrefix("expect") }) + 1
            let run = runISCert(["check", path, "--trials", "200"])
            #expect(run.status == 2)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix(path + ":\(line):21: error: 'khat_above_threshold' cannot be combined with 'pass'"), "\(run.stderr)")
        }
    }
}
