import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of trials K a check needs to detect a given shift of its statistic
/// with the run's power: the inverse of the `detects` column.
///
/// A check detects a shift Δ with probability at least 1 − β when
/// (z* + z_β) SE ≤ Δ, z_β = Φ⁻¹(1 − β), under the normal approximation of its
/// statistic, with z* the run's Bonferroni threshold (``Thresholds``), exactly as
/// ``CheckResult/minDetectable`` is stated. Hence:
///
/// - mean check, SE = sd(Z)/√K with Var Z exact: K ≥ ((z* + z_β) sd(Z) / Δ)².
/// - variance check, SE = Var Z √(2/(K − 1) + g₂/K) with g₂ the exact excess
///   kurtosis of Z: a relative change ρ of Var Z needs
///   2/(K − 1) + g₂/K ≤ (ρ / (z* + z_β))², solved exactly for K.
///
/// The numerical error of the exact reference is added to SE in quadrature, as the
/// checks add it; for an estimator checked against a simulated reference (`psis`),
/// the reference's moments stand for the exact ones and its sampling error for
/// that error. A check also applies only where its statistic's exact skewness
/// is at most ``CheckResult/maxSkewness`` (it falls like 1/√K), which sets a floor
/// on K; and some checks apply at no K (infinite variance, an infinite third or
/// fourth moment, a support violation). The answer is confirmed on the check
/// itself at that K. Two approximations remain and are the checks' own: the
/// normal approximation of the statistic under the alternative, and the
/// acceptance region's skewness shift, which a detectable shift of the stated
/// size ignores (as `detects` does).
public struct SampleSize: Sendable, Hashable {
    /// The check (mean or variance) and its estimator.
    public let label: CheckResult.Label
    /// The shift to detect: a bias of E[Z] (mean), or a relative change of Var Z (variance).
    public let shift: Double
    /// The smallest K at which the check applies and detects `shift` with the run's
    /// power; nil when no K does (see `reason`). A Double: it may exceed any Int.
    public let trials: Double?
    /// The power requirement alone, ((z* + z_β) sd(Z) / Δ)² for the mean check.
    public let powerTrials: Double?
    /// The smallest K at which the statistic's skewness lets the check apply.
    public let applicableFrom: Double?
    /// sd(Z) for the mean check, the excess kurtosis g₂ of Z for the variance check.
    public let moment: Double?
    /// Why no K suffices; empty otherwise.
    public let reason: String
}

extension Certifier {
    /// For each estimator of one scenario (or one sweep point), the trials its mean
    /// check needs to detect a bias `bias` of E[Z] and, given `varianceShift`, the
    /// trials its variance check needs to detect that relative change of Var Z.
    ///
    /// - Parameters:
    ///   - bias: finite and > 0.
    ///   - varianceShift: finite and > 0 (0.1 is a 10% change of Var Z), or nil.
    public func sampleSizes(_ scenario: Scenario, bias: Double, varianceShift: Double?,
                            thresholds: Thresholds) -> (reference: ExactReference, sizes: [SampleSize]) {
        let s = effective(scenario)
        let estimators: [any Estimator] = Self.runSpecs(s).map { BuiltinEstimator($0) }
        let reference = Self.reference(s, estimators: estimators)
        var sizes: [SampleSize] = []
        for i in estimators.indices {
            sizes.append(Self.meanSampleSize(s, estimators: estimators, index: i, reference: reference,
                                             bias: bias, thresholds: thresholds))
            if let shift = varianceShift {
                sizes.append(Self.varianceSampleSize(s, estimators: estimators, index: i, reference: reference,
                                                     shift: shift, thresholds: thresholds))
            }
        }
        return (reference, sizes)
    }

    /// The trials estimator `index`'s mean check needs to detect `bias`.
    static func meanSampleSize(_ s: Scenario, estimators: [any Estimator], index i: Int, reference: ExactReference,
                               bias: Double, thresholds: Thresholds) -> SampleSize {
        let t = plannedMoments(i, s, estimators, reference)
        let z = thresholds.zStar + thresholds.zPower
        let label = CheckResult.Label(check: .mean, estimator: estimators[i].name)
        func none(_ reason: String, sd: Double? = nil) -> SampleSize {
            SampleSize(label: label, shift: bias, trials: nil, powerTrials: nil, applicableFrom: nil, moment: sd, reason: reason)
        }
        guard let v = t.variance.value, v.isFinite, let c3 = t.central3.value, c3.isFinite else {
            return none(check(.mean, of: i, s, estimators, reference, thresholds, trials: s.trials).reason)
        }
        let sd = Swift.max(v, 0).squareRoot()
        let d = bias / z, e = t.mean.error
        guard d > e else {
            return none("a bias of \(bias) is within (z* + z_beta) times the error \(e) of the expectation it is compared with", sd: sd)
        }
        let power = Swift.max((v / (d * d - e * e)).rounded(.up), 2)
        let skewness = v > 0 ? abs(c3) / pow(v, 1.5) : 0
        let floor = Swift.max(((skewness / CheckResult.maxSkewness) * (skewness / CheckResult.maxSkewness)).rounded(.up), 2)
        return confirmed(label, shift: bias, from: Swift.max(power, floor), powerTrials: power, applicableFrom: floor,
                         moment: sd) { k in check(.mean, of: i, s, estimators, reference, thresholds, trials: k) }
    }

    /// The trials estimator `index`'s variance check needs to detect a relative change
    /// `shift` of Var Z.
    static func varianceSampleSize(_ s: Scenario, estimators: [any Estimator], index i: Int, reference: ExactReference,
                                   shift: Double, thresholds: Thresholds) -> SampleSize {
        let t = plannedMoments(i, s, estimators, reference)
        let z = thresholds.zStar + thresholds.zPower
        let label = CheckResult.Label(check: .variance, estimator: estimators[i].name)
        func none(_ reason: String, g2: Double? = nil) -> SampleSize {
            SampleSize(label: label, shift: shift, trials: nil, powerTrials: nil, applicableFrom: nil, moment: g2, reason: reason)
        }
        guard let v = t.variance.value, v > 0, v.isFinite, let mu4 = t.central4.value, mu4.isFinite,
              let c3 = t.central3.value,
              let skewness = Checks.varianceSkewness(variance: v, central3: c3, central4: mu4,
                                                     central6: t.central6.value, trials: 1), skewness.isFinite else {
            return none(check(.variance, of: i, s, estimators, reference, thresholds, trials: s.trials).reason)
        }
        let g2 = mu4 / (v * v) - 3
        let d = shift * v / z, e = t.variance.error
        guard d > e else {
            return none("a change of \(shift * v) in Var Z is within (z* + z_beta) times the error \(e) of the variance it is compared with", g2: g2)
        }
        // 2/(K - 1) + g2/K <= c  <=>  c K^2 - (c + 2 + g2) K + g2 >= 0 (K >= 2, where the
        // left side falls with K since g2 >= -2): K at least the larger root.
        let c = (d * d - e * e) / (v * v)
        let b = c + 2 + g2
        let root = (b + Swift.max(b * b - 4 * c * g2, 0).squareRoot()) / (2 * c)
        var power = Swift.max(root.rounded(.up), 2)
        // The root in floating point may be one too small or too large.
        while power > 2, 2 / (power - 2) + g2 / (power - 1) <= c { power -= 1 }
        while 2 / (power - 1) + g2 / power > c { power += 1 }
        let floor = Swift.max(((skewness / CheckResult.maxSkewness) * (skewness / CheckResult.maxSkewness)).rounded(.up), 2)
        return confirmed(label, shift: shift * v, from: Swift.max(power, floor), powerTrials: power, applicableFrom: floor,
                         moment: g2, reportedShift: shift) { k in check(.variance, of: i, s, estimators, reference, thresholds, trials: k) }
    }

    /// K from the formulas, confirmed on the check itself: it must apply at K and
    /// detect `shift` (rounding may move the boundary by a trial).
    private static func confirmed(_ label: CheckResult.Label, shift: Double, from start: Double, powerTrials: Double,
                                  applicableFrom: Double, moment: Double, reportedShift: Double? = nil,
                                  _ check: (Int) -> CheckResult) -> SampleSize {
        var k = start
        var reason = ""
        // Beyond Int's range no run can be made, and the formulas stand alone.
        if k < 1e15 {
            var confirmed = false
            for _ in 0..<8 {
                let c = check(Int(k))
                if c.status != .notApplicable, let detects = c.minDetectable, detects <= shift * (1 + 1e-12) {
                    confirmed = true
                    break
                }
                reason = c.reason
                k += 1
            }
            if !confirmed {
                return SampleSize(label: label, shift: reportedShift ?? shift, trials: nil, powerTrials: powerTrials,
                                  applicableFrom: applicableFrom, moment: moment, reason: reason)
            }
        }
        return SampleSize(label: label, shift: reportedShift ?? shift, trials: k, powerTrials: powerTrials,
                          applicableFrom: applicableFrom, moment: moment, reason: "")
    }

    /// Estimator `index`'s `name` check as it would be at K = `trials`.
    private static func check(_ name: CheckName, of i: Int, _ s: Scenario, _ estimators: [any Estimator],
                              _ reference: ExactReference, _ thresholds: Thresholds, trials: Int) -> CheckResult {
        var atK = s
        atK.trials = trials
        let checks = checksWithoutTrials(atK, estimators: estimators, reference: reference, thresholds: thresholds)
        return checks.first { $0.name == name && $0.estimator == estimators[i].name }!
    }
}

extension Certifier {
    /// For a scenario that declares `detect_bias`: one warning per estimator whose mean
    /// check, at the run's K, does not detect that bias with the run's power, with the
    /// K that would (or why none would).
    static func detectBiasWarnings(_ s: Scenario, bias: Double, estimators: [any Estimator], reference: ExactReference,
                                   checks: [CheckResult], thresholds: Thresholds) -> [String] {
        var warnings: [String] = []
        for (i, e) in estimators.enumerated() {
            guard let c = checks.first(where: { $0.name == .mean && $0.estimator == e.name }) else { continue }
            if c.status != .notApplicable, let detects = c.minDetectable, detects <= bias { continue }
            let need = meanSampleSize(s, estimators: estimators, index: i, reference: reference, bias: bias,
                                      thresholds: thresholds)
            let cure = need.trials.map { "K >= \(SampleSize.formatted(trials: $0)) would detect it" }
                ?? "no K would detect it: \(need.reason)"
            let head = "detect_bias = \(canonicalNumber(bias)): "
            if c.status == .notApplicable {
                warnings.append(head + "the mean check of \(e.name) does not apply at K = \(s.trials) (\(c.reason)); " + cure)
            } else {
                warnings.append(head + "at K = \(s.trials) the mean check of \(e.name) detects a bias of "
                    + "\(TextReport.g(c.minDetectable, 3)) or more with probability \(TextReport.g(thresholds.power, 3)), "
                    + "not \(canonicalNumber(bias)); " + cure)
            }
        }
        return warnings
    }
}

extension SampleSize {
    /// A number of trials as a whole number, or in %g form beyond 10^12.
    public static func formatted(trials k: Double) -> String {
        k < 1e12 ? String(Int(k)) : TextReport.g(k, 3)
    }
}
