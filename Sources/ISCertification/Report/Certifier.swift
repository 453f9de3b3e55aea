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

    /// The thresholds for a run of `count` scenarios.
    public func thresholds(scenarios count: Int) -> Thresholds {
        Thresholds(alpha: alpha, checks: familyChecks ?? count * Thresholds.checksPerScenario, power: power)
    }

    /// The scenario as it will run, with any overrides applied.
    public func effective(_ scenario: Scenario) -> Scenario {
        var s = scenario
        if let k = trialsOverride { s.trials = k }
        if let n = samplesOverride { s.samples = n }
        return s
    }

    /// Certifies every scenario, sharing the run's false-alarm rate among them.
    public func certify(_ scenarios: [Scenario]) throws -> CertificationReport {
        let t = thresholds(scenarios: scenarios.count)
        return CertificationReport(scenarios: try scenarios.map { try certify($0, thresholds: t) }, thresholds: t)
    }

    /// Certifies one scenario.
    ///
    /// - Parameters:
    ///   - recipe: how a trial weights its draws; ordinary IS unless a test plants a bug.
    public func certify(_ scenario: Scenario, thresholds: Thresholds,
                        recipe: TrialRecipe = .importanceSampling) throws -> ScenarioReport {
        let s = effective(scenario)
        let reference = ExactReference(target: s.target, behavior: s.behavior, f: s.f, samples: s.samples)
        let stats = try simulator.run(s, recipe: recipe)
        let checks = [
            Checks.mean(reference, stats, samples: s.samples, trials: s.trials, thresholds: thresholds),
            Checks.variance(reference, stats, samples: s.samples, trials: s.trials, thresholds: thresholds),
            Checks.ess(reference, stats, trials: s.trials, thresholds: thresholds),
        ]
        let regime = Self.regime(reference)
        let (met, verdict) = Self.verdict(s.expectation, regime: regime, checks: checks)
        return ScenarioReport(scenario: s, seed: simulator.seed(for: s), reference: reference, statistics: stats,
                              checks: checks, thresholds: thresholds, regime: regime, met: met, verdict: verdict,
                              replay: replayCommand(s, familyChecks: thresholds.checks == Thresholds.checksPerScenario ? nil : thresholds.checks))
    }

    static func regime(_ ref: ExactReference) -> ScenarioReport.Regime {
        switch (ref.y2, ref.y4) {
        case (.infinite, _): return .infiniteVariance
        case (.undetermined, _): return .undetermined
        case (.finite, .infinite): return .unstableVariance
        case (.finite, .finite): return .finiteVariance
        case (.finite, .undetermined): return .undetermined
        }
    }

    static func verdict(_ expectation: ExpectedOutcome, regime: ScenarioReport.Regime,
                        checks: [CheckResult]) -> (Bool, String) {
        let failed = Set(checks.filter { $0.status == .fail }.map(\.name))
        let failedList = failed.map(\.rawValue).sorted().joined(separator: ", ")
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
                return (false, "expected infinite variance, but E_q[r^2 f^2] is \(regime == .undetermined ? "undetermined" : "finite")")
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

import Foundation
