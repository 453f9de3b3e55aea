import Foundation
import ISProbability
import ISScenario

/// Certifies scenarios: exact references, simulation, checks, verdict.
public struct Certifier: Sendable {
    public var simulator: Simulator
    /// Family-wise false-alarm rate of a run.
    public var alpha: Double
    /// Power at which the smallest detectable effects are stated.
    public var power: Double
    /// Overrides each scenario's K and N when set (for quick runs).
    public var trialsOverride: Int?
    public var samplesOverride: Int?
    /// The number of checks sharing `alpha`; by default every check of the run.
    /// Replay commands pass it so that a scenario rerun alone meets the same threshold.
    public var familyChecks: Int?

    public init(simulator: Simulator = Simulator(), alpha: Double = Thresholds.defaultAlpha, power: Double = 0.8,
                trials: Int? = nil, samples: Int? = nil) {
        self.simulator = simulator
        self.alpha = alpha
        self.power = power
        trialsOverride = trials
        samplesOverride = samples
    }

    /// The checks a scenario plans, applicable or not: per point, a mean and a
    /// variance check per estimator, one ESS check and one per MSE claim; per sweep
    /// over N, one slope check per self-normalised estimator. Counting them all
    /// keeps the threshold independent of the exact analysis.
    public static func plannedChecks(_ s: Scenario) -> Int {
        let perPoint = 2 * s.estimators.count + 1 + s.mseBelowIS.count
        let slope = s.sweep?.variable == "samples" ? s.estimators.filter { $0 == .selfNormalized }.count : 0
        return s.points.count * perPoint + slope
    }

    /// The thresholds for a run of these scenarios.
    public func thresholds(for scenarios: [Scenario]) -> Thresholds {
        Thresholds(alpha: alpha, checks: familyChecks ?? scenarios.map(Self.plannedChecks).reduce(0, +), power: power)
    }

    /// The thresholds for a run of `count` scenarios with the default estimator.
    public func thresholds(scenarios count: Int) -> Thresholds {
        Thresholds(alpha: alpha, checks: familyChecks ?? count * Thresholds.checksPerScenario, power: power)
    }

    /// The scenario as it will run, with any overrides applied.
    public func effective(_ scenario: Scenario) -> Scenario {
        var s = scenario
        if let k = trialsOverride { s.trials = k }
        if let n = samplesOverride, s.sweep?.variable != "samples" { s.samples = n }
        return s
    }

    /// Certifies every scenario, sharing the run's false-alarm rate among them.
    public func certify(_ scenarios: [Scenario]) throws -> CertificationReport {
        let t = thresholds(for: scenarios)
        var singles: [ScenarioReport] = [], sweeps: [SweepReport] = []
        for s in scenarios {
            if s.sweep != nil { sweeps.append(try certifySweep(s, thresholds: t)) } else {
                singles.append(try certify(s, thresholds: t))
            }
        }
        return CertificationReport(scenarios: singles, sweeps: sweeps, thresholds: t)
    }

    /// Certifies every point of a swept scenario, then the checks across points.
    public func certifySweep(_ scenario: Scenario, thresholds: Thresholds) throws -> SweepReport {
        let points = try scenario.points.map { point -> ScenarioReport in
            var p = point
            if p.file == nil { p.file = scenario.file }
            return try certify(p, thresholds: thresholds)
        }
        var checks: [CheckResult] = []
        if scenario.sweep?.variable == "samples" {
            for (i, spec) in scenario.estimators.enumerated() where spec == .selfNormalized {
                checks.append(SweepChecks.biasSlope(spec.canonicalText, index: i, points: points, thresholds: thresholds))
            }
        }
        return SweepReport(scenario: scenario, points: points, checks: checks)
    }

    /// Certifies one scenario (one point of a sweep) with its own estimators, or
    /// with `estimators` (a user's own, or planted bugs) when given.
    public func certify(_ scenario: Scenario, estimators custom: [any Estimator]? = nil,
                        thresholds: Thresholds, drawFrom: DrawSource = .behavior) throws -> ScenarioReport {
        let s = effective(scenario)
        // With MSE claims, ordinary IS goes first: the paired statistics are kept
        // against the first estimator of each trial.
        let specs = s.mseBelowIS.isEmpty ? s.estimators
            : [.importanceSampling] + s.estimators.filter { $0 != .importanceSampling }
        let estimators: [any Estimator] = custom ?? specs.map { BuiltinEstimator($0) }
        let reference = ExactReference(target: s.target, behavior: s.behavior, f: s.f, samples: s.samples,
                                       estimators: estimators)
        let stats = try simulator.run(s, estimators: estimators, drawFrom: drawFrom)
        var notes: [String] = []
        if stats.nonFiniteTrials > 0 {
            notes.append("\(stats.nonFiniteTrials) trials had non-finite weights or values (first: trial \(stats.firstNonFiniteTrial!))")
        }
        var checks: [CheckResult] = []
        for (i, e) in estimators.enumerated() {
            let t = reference.estimators[i]
            checks.append(Checks.mean(e.name, t, claimsUnbiased: e.specification.claimsUnbiased, targetMean: reference.mean,
                                      stats.estimates[i], trials: s.trials, thresholds: thresholds, notes: notes))
            checks.append(Checks.variance(e.name, t, stats.estimates[i], trials: s.trials, thresholds: thresholds))
        }
        checks.append(Checks.ess(reference, stats, trials: s.trials, thresholds: thresholds))
        if custom == nil, specs.first == .importanceSampling {
            for claim in s.mseBelowIS {
                guard let i = specs.firstIndex(of: claim) else { continue }
                checks.append(Checks.mse(claim.canonicalText, reference.estimators[i], is: reference.estimators[0],
                                         targetMean: reference.mean, paired: stats.pairedWithFirst[i],
                                         trials: s.trials, thresholds: thresholds))
            }
        }
        let regime = Self.regime(reference.estimators.first)
        let (met, verdict) = Self.verdict(s.expectation, regime: regime, checks: checks)
        return ScenarioReport(scenario: s, estimators: estimators.map(\.name), seed: simulator.seed(for: s),
                              reference: reference, statistics: stats, checks: checks, thresholds: thresholds,
                              regime: regime, met: met, verdict: verdict,
                              replay: replayCommand(s, familyChecks: familyChecks
                                  ?? (thresholds.checks == Self.plannedChecks(s) ? nil : thresholds.checks)))
    }

    static func regime(_ t: TrialMoments?) -> ScenarioReport.Regime {
        guard let t else { return .undetermined }
        switch (t.variance, t.central4) {
        case (.infinite, _): return .infiniteVariance
        case (.undetermined, _): return .undetermined
        case (.finite, .infinite): return .unstableVariance
        case (.finite, .finite): return .finiteVariance
        case (.finite, .undetermined): return .undetermined
        }
    }

    static func verdict(_ expectation: ExpectedOutcome, regime: ScenarioReport.Regime,
                        checks: [CheckResult]) -> (Bool, String) {
        let failedChecks = checks.filter { $0.status == .fail }
        let failed = Set(failedChecks.map(\.name))
        let failedList = failedChecks.map { c in c.estimator.map { "\(c.name.rawValue)[\($0)]" } ?? c.name.rawValue }
            .joined(separator: ", ")
        switch expectation {
        case .pass:
            if regime == .infiniteVariance {
                return (false, "the estimator has infinite variance (E_q[r^2 f^2] = inf), so it cannot be certified; declare `expect = infinite_variance` if that is intended")
            }
            if regime == .undetermined {
                return (false, "the exact moments could not be determined, so nothing was certified")
            }
            if !failed.isEmpty { return (false, "failed: \(failedList)") }
            // A scenario where no check applies has certified nothing.
            guard checks.contains(where: { $0.status == .pass }) else {
                return (false, "no check applies, so nothing was certified: " + checks.map { "\($0.name.rawValue): \($0.reason)" }.joined(separator: "; "))
            }
            return (true, "every applicable check passed")
        case .infiniteVariance:
            guard regime == .infiniteVariance else {
                return (false, "expected infinite variance, but the estimator's variance is \(regime == .undetermined ? "undetermined" : "finite")")
            }
            if !failed.isEmpty { return (false, "infinite variance as expected, but failed: \(failedList)") }
            return (true, "infinite variance, as expected: the z-tests of mean and variance do not apply")
        case let .fail(expected):
            if failed == expected { return (true, "failed exactly as expected: \(failedList)") }
            let want = expected.map(\.rawValue).sorted().joined(separator: ", ")
            return (false, "expected to fail [\(want)], failed [\(failedList)]")
        }
    }

    /// `iscert check FILE --seed S` plus any overrides in force.
    public func replayCommand(_ s: Scenario, familyChecks: Int? = nil) -> String {
        var parts = ["iscert", "check", s.file.map(Self.shellQuote) ?? "<scenario \(s.name)>",
                     "--seed", "\(simulator.seed(for: s))"]
        if let k = trialsOverride { parts += ["--trials", "\(k)"] }
        if let n = samplesOverride { parts += ["--samples", "\(n)"] }
        if alpha != Thresholds.defaultAlpha { parts += ["--alpha", "\(alpha)"] }
        if let m = familyChecks { parts += ["--family-checks", "\(m)"] }
        if simulator.algorithm != .mt19937 { parts += ["--rng", simulator.algorithm.rawValue] }
        return parts.joined(separator: " ")
    }

    static func shellQuote(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
