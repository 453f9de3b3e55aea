import ISProbability

/// Decision thresholds for a run: a family-wise false-alarm rate split over the
/// run's checks by Bonferroni, and the power used to state detectable effects.
public struct Thresholds: Sendable, Hashable, Codable {
    /// Family-wise false-alarm rate: the probability that a run of correct
    /// estimators reports any failure at all.
    public let alpha: Double
    /// Number of checks in the run that share `alpha`.
    public let checks: Int
    /// Two-sided per-check threshold z* = Phi^-1(1 - alpha / (2 m)).
    public let zStar: Double
    /// Probability of detecting an effect of size `minDetectable` (1 - beta).
    public let power: Double
    /// z_beta = Phi^-1(power).
    public let zPower: Double

    /// - Parameters:
    ///   - alpha: in (0, 1); 0.01 by default.
    ///   - checks: >= 1.
    ///   - power: in (0, 1); 0.8 by default.
    public init(alpha: Double = Thresholds.defaultAlpha, checks: Int, power: Double = 0.8) {
        self.alpha = alpha
        self.checks = Swift.max(1, checks)
        self.power = power
        zStar = StandardNormal.upperQuantile(alpha / (2 * Double(self.checks)))
        zPower = StandardNormal.quantile(power)
    }

    public static let defaultAlpha = 0.01
    /// The checks each scenario plans with ordinary IS alone (mean, variance, ESS,
    /// k-hat), applicable or not:
    /// counting them all keeps the threshold independent of the exact analysis.
    public static let checksPerScenario = 4

    /// The smallest shift of a statistic with standard error `se` that a check
    /// detects with probability `power`: (z* + z_beta) se.
    public func minDetectable(standardError se: Double) -> Double { (zStar + zPower) * se }
}
