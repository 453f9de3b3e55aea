import ISProbability
import ISScenario

/// The certification of one scenario (or one point of a sweep): its exact
/// references, what simulation observed, each check, and whether the scenario's
/// expectation was met.
public struct ScenarioReport: Sendable {
    public let scenario: Scenario
    public let estimators: [String]
    public let seed: UInt64
    public let reference: ExactReference
    public let statistics: RunStatistics
    public let checks: [CheckResult]
    public let thresholds: Thresholds
    /// How the variance of the first estimator (ordinary IS by default) behaves.
    public let regime: Regime
    /// Whether the outcome is what the scenario declared (`expect = ...`).
    public let met: Bool
    /// One line saying why `met` is what it is.
    public let verdict: String
    /// What the run could not do that the scenario asked for (a `detect_bias` its K
    /// cannot detect); they do not change `met`.
    public let warnings: [String]
    /// A command that reruns this scenario with the same seed.
    public let replay: String
    /// For a gradient scenario: the exact gradient and each estimator's exact
    /// expectation and moments, component by component.
    public var gradient: GradientReference? = nil
    /// The independent simulations the checks of estimators without exact
    /// moments compared with, by estimator name (empty when none did).
    public internal(set) var simulatedReferences: [String: SimulatedReference] = [:]

    public enum Regime: String, Sendable, Codable {
        case finiteVariance = "finite_variance"
        /// Variance finite, fourth central moment infinite: mean check only.
        case unstableVariance = "unstable_variance"
        case infiniteVariance = "infinite_variance"
        case undetermined
    }

    /// What estimator i estimates, exactly: E_p[f], KL(q || p) for the kl_*
    /// estimators, or dJ/dtheta_c for component c of a gradient estimator.
    public func estimand(_ i: Int) -> Moment {
        if let g = gradient { return .finite(g.gradient[i % g.parameterNames.count], error: 0) }
        return estimators[i].hasPrefix("kl_") ? reference.klBehaviorToTarget : reference.mean
    }

    /// The first check of this kind, for the first estimator that has one.
    public func check(_ name: CheckName, estimator: String? = nil) -> CheckResult? {
        checks.first { $0.name == name && (estimator == nil || $0.estimator == estimator) }
    }
}

/// A swept scenario: one report per point, and the checks across points.
public struct SweepReport: Sendable {
    public let scenario: Scenario
    public let points: [ScenarioReport]
    /// Checks across points (the 1/N decay of self-normalised IS's bias).
    public let checks: [CheckResult]
    public var met: Bool { points.allSatisfy(\.met) && !checks.contains { $0.status == .fail } }
}

/// The certification of a whole run.
public struct CertificationReport: Sendable {
    /// Unswept scenarios, in the order given.
    public let scenarios: [ScenarioReport]
    /// Swept scenarios, in the order given.
    public let sweeps: [SweepReport]
    public let thresholds: Thresholds
    /// True when every scenario and every sweep met its expectation.
    public var passed: Bool { scenarios.allSatisfy(\.met) && sweeps.allSatisfy(\.met) }
}
