import ISScenario

/// The outcome of one check.
public enum CheckStatus: String, Sendable, Hashable, Codable {
    case pass
    case fail
    /// The check's assumptions do not hold (an infinite moment, say); it never
    /// counts as passed.
    case notApplicable = "not_applicable"
}

/// One check of one scenario: a z-test of an observed statistic against its exact
/// expectation, or the reason it does not apply.
public struct CheckResult: Sendable, Hashable {
    /// Which check, and of which estimator (nil for checks of the weights, like ESS).
    public struct Label: Sendable, Hashable {
        public var check: CheckName
        public var estimator: String?
    }

    public var label: Label
    public var name: CheckName { label.check }
    public var estimator: String? { label.estimator }
    public var status: CheckStatus
    /// The statistic over K trials, and its exact expectation.
    public var observed: Double?
    public var expected: Double?
    /// The check passes iff |observed - expected| <= tolerance (= z* standard errors).
    public var tolerance: Double?
    public var z: Double?
    public var standardError: Double?
    /// The smallest |observed - expected| shift detected with the run's power.
    public var minDetectable: Double?
    /// What was compared, or why the check does not apply.
    public var reason: String
    /// The interval z must fall in to pass (shifted for skewness).
    public var zAcceptance: [Double]? = nil

    static func notApplicable(_ label: Label, _ reason: String) -> CheckResult {
        CheckResult(label: label, status: .notApplicable, reason: reason)
    }

    /// Largest |skewness| of a statistic for which its normal approximation, with
    /// the Cornish-Fisher shift, is trusted. At z* = 3.7 the shift is then at most 0.5.
    public static let maxSkewness = 0.25

    /// A z-test with exact standard error `se`.
    ///
    /// - Parameters:
    ///   - skewness: the statistic's exact skewness gamma (nil: unknown, the check
    ///     does not apply). The acceptance region for z is shifted by the one-term
    ///     Cornish-Fisher expansion, [-z* + s, z* + s] with s = gamma (z*^2 - 1) / 6,
    ///     so that heavy right tails of the weights do not inflate the false-alarm rate.
    ///   - numericalError: the uncertainty of `expected` itself (quadrature), added
    ///     in quadrature to `se`.
    static func zTest(_ name: Label, observed: Double, expected: Double, standardError se: Double,
                      skewness: Double?, thresholds: Thresholds, reason: String, trials k: Int,
                      numericalError: Double = 0) -> CheckResult {
        // Moments that overflow double precision (a variance near 1e300) give an
        // infinite or NaN standard error or skewness: nothing can be tested then.
        guard se.isFinite, numericalError.isFinite, skewness.map({ $0.isFinite }) ?? true else {
            return .notApplicable(name, "the exact moments of this statistic overflow double precision (standard error \(se), skewness \(skewness.map { "\($0)" } ?? "unknown")), so it cannot be tested")
        }
        guard let gamma = skewness else {
            return .notApplicable(name, "the sixth moment E_q[r^6 f^6] is infinite, so the skewness of the statistic is unknown and its normal approximation cannot be trusted")
        }
        if abs(gamma) > maxSkewness {
            // Skewness falls like 1/sqrt(K); a Double, since the answer can exceed Int.max.
            let needed = (Double(k) * (gamma / maxSkewness) * (gamma / maxSkewness)).rounded(.up)
            return .notApplicable(name, String(format: "the statistic's exact skewness at K = %d is %.3g (> %.2g): rare, huge weights dominate its higher moments, so a z-test would raise false alarms more often than declared; K >= %.3g would make it apply", k, gamma, maxSkewness, needed))
        }
        let total = (se * se + numericalError * numericalError).squareRoot()
        let z = total > 0 ? (observed - expected) / total : (observed == expected ? 0 : .infinity)
        let shift = gamma * (thresholds.zStar * thresholds.zStar - 1) / 6
        let lower = -thresholds.zStar + shift, upper = thresholds.zStar + shift
        // A NaN observation (non-finite samples) fails: comparisons with NaN are false.
        let pass = z >= lower && z <= upper
        var why = reason
        if abs(shift) >= 1e-3 { why += String(format: "; skewness %.3g shifts the z acceptance region to [%.3g, %.3g]", gamma, lower, upper) }
        return CheckResult(label: name, status: pass ? .pass : .fail, observed: observed, expected: expected,
                           tolerance: thresholds.zStar * total, z: z, standardError: total,
                           minDetectable: thresholds.minDetectable(standardError: total), reason: why,
                           zAcceptance: [lower, upper])
    }
}
