import ISProbability
import ISScenario

/// The mean and variance checks of an estimator without exact moments (`psis`),
/// against the independent simulation the scenario declares for it
/// (``SimulatedReference``): two-sample z-tests, the reference's own sampling
/// error counted beside the run's.
extension Checks {
    /// The mean and variance checks of estimator `name`, which claims to compute
    /// `key`, or why they do not apply: no reference declared, or one simulated
    /// for other inputs than the scenario as it runs (`--samples`).
    static func simulated(_ name: String, _ key: EstimatorSpec, scenario s: Scenario, _ stats: RunningMoments,
                          trials k: Int, thresholds: Thresholds, targetMean: Moment) -> [CheckResult] {
        let mean = CheckResult.Label(check: .mean, estimator: name)
        let variance = CheckResult.Label(check: .variance, estimator: name)
        guard let r = s.simulatedReference(for: key) else {
            let why = "\(key.canonicalText) has no exact finite-N moments (its weights depend on the order statistics of the whole trial) and the scenario declares no simulated reference for it; simulate one with 'python3 ci/psis-reference.py FILE --write'"
            return [.notApplicable(mean, why), .notApplicable(variance, why)]
        }
        if let (recorded, current) = s.referenceMismatch(r.inputs) {
            let why = "the scenario's reference was simulated for '\(recorded)', and this run has '\(current)'"
            return [.notApplicable(mean, why), .notApplicable(variance, why)]
        }
        return [simulatedMean(mean, r, stats, trials: k, thresholds: thresholds, targetMean: targetMean),
                simulatedVariance(variance, r, stats, trials: k, thresholds: thresholds)]
    }

    /// Mean of the K estimates against the reference's mean of R:
    /// z = (mean_K - mean_R) / sqrt(v/K + v/R), v the reference's variance of one
    /// estimate. Under the null both means estimate the same E[Z] from independent
    /// draws, so z is standard normal up to the skewness of the difference,
    /// (mu3/K^2 - mu3/R^2) / (v/K + v/R)^(3/2), which shifts the acceptance region
    /// as in every mean check.
    static func simulatedMean(_ label: CheckResult.Label, _ r: SimulatedReference, _ stats: RunningMoments,
                              trials k: Int, thresholds: Thresholds, targetMean: Moment) -> CheckResult {
        let K = Double(k), R = Double(r.trials)
        let seK = (r.variance / K).squareRoot(), seR = r.meanStandardError
        let total = (seK * seK + seR * seR).squareRoot()
        let skew = total > 0 ? (r.central3 / (K * K) - r.central3 / (R * R)) / (total * total * total) : 0
        var reason = "mean of \(k) estimates vs the mean of \(r.trials) trials of an independent simulation (\(r.source)); "
            + "two-sample z, sd sqrt(v/K + v/R) = \(TextReport.g(total, 3)), v = \(TextReport.g(r.variance, 4)) "
            + "the simulated variance of one estimate, the reference's own sd sqrt(v/R) = \(TextReport.g(seR, 2))"
        if let mu = targetMean.value {
            reason += "; the reference's bias against E_p[f] = \(TextReport.g(r.mean - mu, 4)) ± \(TextReport.g(seR, 2))"
        }
        reason += falseAlarmNote(thresholds, standardError: total)
        return .zTest(label, observed: stats.mean, expected: r.mean, standardError: seK, skewness: skew,
                      thresholds: thresholds, reason: reason, trials: k, numericalError: seR)
    }

    /// Sample variance of the K estimates against the reference's of R:
    /// z = (s2_K - s2_R) / sqrt(Var s2_K + Var s2_R), each Var s2 the exact variance
    /// of a sample variance, (mu4 - v^2 (n - 3)/(n - 1)) / n, from the simulated
    /// moments; the skewness of the difference from each side's leading-order
    /// skewness (``varianceSkewness(variance:central3:central4:central6:trials:)``).
    static func simulatedVariance(_ label: CheckResult.Label, _ r: SimulatedReference, _ stats: RunningMoments,
                                  trials k: Int, thresholds: Thresholds) -> CheckResult {
        let seK = SimulatedReference.sampleVarianceSD(variance: r.variance, central4: r.central4, count: k)
        let seR = r.varianceStandardError
        let total = (seK * seK + seR * seR).squareRoot()
        let gK = varianceSkewness(variance: r.variance, central3: r.central3, central4: r.central4,
                                  central6: r.central6, trials: k) ?? 0
        let gR = varianceSkewness(variance: r.variance, central3: r.central3, central4: r.central4,
                                  central6: r.central6, trials: r.trials) ?? 0
        let skew = total > 0 ? (gK * seK * seK * seK - gR * seR * seR * seR) / (total * total * total) : 0
        let g2 = r.central4 / (r.variance * r.variance) - 3
        let reason = "sample variance of \(k) estimates vs that of \(r.trials) trials of an independent simulation "
            + "(\(r.source)); two-sample z, sd sqrt(Var s2_K + Var s2_R) = \(TextReport.g(total, 3)), "
            + "excess kurtosis of one estimate \(TextReport.g(g2, 3)), the reference's own sd \(TextReport.g(seR, 2))"
            + falseAlarmNote(thresholds, standardError: total)
        return .zTest(label, observed: stats.variance, expected: r.variance, standardError: seK, skewness: skew,
                      thresholds: thresholds, reason: reason, trials: k, numericalError: seR)
    }

    /// "; false-alarm rate alpha/m ..., detects ... with probability 0.8".
    static func falseAlarmNote(_ t: Thresholds, standardError se: Double) -> String {
        "; false-alarm rate \(TextReport.g(t.alpha / Double(t.checks), 3)) for this check (alpha \(TextReport.g(t.alpha, 3)) "
            + "over \(t.checks) checks), detects a shift of \(TextReport.g(t.minDetectable(standardError: se), 3)) "
            + "with probability \(TextReport.g(t.power, 2))"
    }
}

extension Certifier {
    /// The moments sample sizes are planned with for estimator `i`: its exact trial
    /// moments, or, when its checks compare with a simulated reference, the
    /// reference's, each with its sampling error as the error (which the checks add
    /// to their standard error as they add a quadrature error).
    static func plannedMoments(_ i: Int, _ s: Scenario, _ estimators: [any Estimator],
                               _ reference: ExactReference) -> TrialMoments {
        guard let key = estimators[i].specification.simulatedReference, let r = s.simulatedReference(for: key),
              s.referenceMismatch(r.inputs) == nil else { return reference.estimators[i] }
        return TrialMoments(mean: .finite(r.mean, error: r.meanStandardError),
                            variance: .finite(r.variance, error: r.varianceStandardError),
                            central3: .finite(r.central3, error: 0), central4: .finite(r.central4, error: 0),
                            central6: .finite(r.central6, error: 0),
                            method: "independent simulation of \(r.trials) trials (\(r.source))")
    }
}
