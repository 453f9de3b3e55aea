import ISProbability
import ISScenario

/// The certification of one scenario: its exact references, what simulation
/// observed, each check, and whether the scenario's expectation was met.
public struct ScenarioReport: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let reference: ExactReference
    public let statistics: RunStatistics
    public let checks: [CheckResult]
    public let thresholds: Thresholds
    /// How the variance of the estimator behaves, from the exact moments.
    public let regime: Regime
    /// Whether the outcome is what the scenario declared (`expect = ...`).
    public let met: Bool
    /// One line saying why `met` is what it is.
    public let verdict: String
    /// A command that reruns this scenario with the same seed.
    public let replay: String

    public enum Regime: String, Sendable, Codable {
        case finiteVariance = "finite_variance"
        /// E_q[r^2 f^2] finite but E_q[r^4 f^4] infinite: mean check only.
        case unstableVariance = "unstable_variance"
        case infiniteVariance = "infinite_variance"
        case undetermined
    }

    public func check(_ name: CheckName) -> CheckResult? { checks.first { $0.name == name } }
}

/// The certification of a whole run.
public struct CertificationReport: Sendable {
    public let scenarios: [ScenarioReport]
    public let thresholds: Thresholds
    /// True when every scenario met its expectation.
    public var passed: Bool { scenarios.allSatisfy(\.met) }
}
