import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks of one scenario over K trials of N samples.
enum Checks {
    /// Each estimator's mean: z = (mean of the K estimates - expected) / sqrt(Var Z / K),
    /// with Var Z exact. Expected is E_p[f] for an estimator that claims to be
    /// unbiased (ordinary IS), else its own exact expectation, the bias against
    /// E_p[f] being reported beside it. Needs Var Z finite.
    static func mean(_ name: String, _ t: TrialMoments, claimsUnbiased: Bool, targetMean: Moment,
                     _ stats: RunningMoments, trials k: Int, thresholds: Thresholds, notes: [String]) -> CheckResult {
        let label = CheckResult.Label(check: .mean, estimator: name)
        guard let mu = targetMean.value else {
            return .notApplicable(label, "E_p[f] is \(describe(targetMean))")
        }
        guard let own = t.mean.value else { return .notApplicable(label, "the estimator's expectation is \(describe(t.mean))") }
        switch t.variance {
        case .infinite:
            return .notApplicable(label, "the estimate has infinite variance, so no central limit theorem holds and a z-score means nothing")
        case let .undetermined(why):
            return .notApplicable(label, "the estimator's variance could not be determined: \(why)")
        case let .finite(v, _):
            let se = (Swift.max(v, 0) / Double(k)).squareRoot()
            let expected = claimsUnbiased ? mu : own
            var reason = claimsUnbiased
                ? "mean of \(k) estimates vs E_p[f]; Var Z exact"
                : "mean of \(k) estimates vs the estimator's own exact expectation; bias against E_p[f] = \(own - mu)"
            if let b = t.firstOrderBias { reason += "; first-order bias (mu E_q[r^2] - E_q[r^2 f])/N = \(b)" }
            if claimsUnbiased, abs(own - mu) > 1e-9 * Swift.max(1, abs(mu)) {
                reason += "; q misses part of the support of p f: the estimator converges to \(own), not E_p[f] = \(mu)"
            }
            reason += notes.map { "; " + $0 }.joined()
            let skew = t.central3.value.map { $0 / pow(v, 1.5) / Double(k).squareRoot() }
            return .zTest(label, observed: stats.mean, expected: expected, standardError: se,
                          skewness: v > 0 ? skew : 0, thresholds: thresholds, reason: reason, trials: k,
                          numericalError: t.mean.error)
        }
    }

    /// Each estimator's variance: s^2 of the K estimates vs Var Z, with
    /// Var(s^2) = Var Z^2 (2/(K-1) + g2/K), g2 the exact excess kurtosis of Z.
    /// Needs E[(Z - EZ)^4] finite.
    static func variance(_ name: String, _ t: TrialMoments, _ stats: RunningMoments, trials k: Int,
                         thresholds: Thresholds) -> CheckResult {
        let label = CheckResult.Label(check: .variance, estimator: name)
        if case .infinite = t.variance {
            return .notApplicable(label, "the estimate has infinite variance: there is no finite variance to compare with")
        }
        if case .infinite = t.central4 {
            return .notApplicable(label, "E[(Z - EZ)^4] is infinite: the variance is finite but its estimate has infinite variance, so it cannot be tested (mean check only)")
        }
        guard let sigma2 = t.variance.value, let mu4 = t.central4.value, sigma2 > 0 else {
            return .notApplicable(label, "the trial moments up to the fourth could not be determined, or the estimate has no variance")
        }
        let g2 = mu4 / (sigma2 * sigma2) - 3
        let K = Double(k)
        let se = sigma2 * Swift.max(2 / (K - 1) + g2 / K, 0).squareRoot()
        return .zTest(label, observed: stats.variance, expected: sigma2, standardError: se,
                      skewness: varianceSkewness(variance: sigma2, central4: mu4, central6: t.central6.value, trials: k),
                      thresholds: thresholds,
                      reason: "sample variance of \(k) estimates vs the exact Var Z; sd(s^2) = Var Z sqrt(2/(K-1) + g2/K), g2 = \(g2)",
                      trials: k, numericalError: t.variance.error)
    }

    /// The skewness of the sample variance of K copies of Z, to leading order:
    /// skew(W) / sqrt(K) with W = (Z - EZ)^2, from Z's central moments 2, 4 and 6.
    /// Nil when the sixth is infinite or unknown.
    static func varianceSkewness(variance k2: Double, central4 mu4: Double, central6 mu6: Double?, trials k: Int) -> Double? {
        guard let mu6 else { return nil }
        let varW = mu4 - k2 * k2
        guard varW > 0 else { return 0 }
        let third = mu6 - 3 * mu4 * k2 + 2 * k2 * k2 * k2
        return third / pow(varW, 1.5) / Double(k).squareRoot()
    }

    /// ESS: mean of ESS_k/N = (sum r)^2/(N sum r^2) vs its exact expectation at
    /// this N, with its exact sd. ESS/N lies in (0, 1], so the test needs no moment
    /// of r to be finite.
    static func ess(_ ref: ExactReference, _ stats: RunStatistics, trials k: Int, thresholds: Thresholds) -> CheckResult {
        let label = CheckResult.Label(check: .ess, estimator: nil)
        guard let e = ref.ess else {
            return .notApplicable(label, "the exact E[ESS/N] could not be computed: \(ref.essFailure ?? "unknown reason")")
        }
        var reason = "mean of ESS/N over \(k) trials vs exact E[(sum r)^2/(N sum r^2)]"
        if let f = ref.essFraction { reason += "; population value (N -> inf) E_q[r]^2/E_q[r^2] = 1/(1 + Var r) = \(f)" }
        if let d = ref.essDeltaMethod { reason += "; delta-method approximation \(d)" }
        return .zTest(label, observed: stats.essFraction.mean, expected: e.mean,
                      standardError: e.sd / Double(k).squareRoot(), skewness: 0, thresholds: thresholds,
                      reason: reason, trials: k, numericalError: e.error)
    }

    /// The claim that estimator e has lower mean squared error against E_p[f] than
    /// ordinary IS (estimator 0). Exactly: MSE = Var Z + (EZ - mu)^2 for both. By
    /// simulation: the mean over trials of d = (Z_0 - mu)^2 - (Z_e - mu)^2, paired
    /// within each trial, against the exact difference, with the sample sd of d.
    /// Passes when the exact claim holds and the simulation agrees with it.
    static func mse(_ name: String, _ t: TrialMoments, is t0: TrialMoments, targetMean: Moment,
                    paired: RunningCovariance, trials k: Int, thresholds: Thresholds) -> CheckResult {
        let label = CheckResult.Label(check: .mse, estimator: name)
        guard let mu = targetMean.value, let m = t.mean.value, let v = t.variance.value else {
            return .notApplicable(label, "the estimator's exact mean and variance are needed")
        }
        let mse = v + (m - mu) * (m - mu)
        switch (t0.mean, t0.variance) {
        case (.finite, .infinite):
            return CheckResult(label: label, status: .pass, observed: nil, expected: mse, reason:
                "exact: ordinary IS has infinite variance, so any finite MSE (here \(mse)) is lower; no finite difference to simulate")
        case let (.finite(m0, _), .finite(v0, _)):
            let mse0 = v0 + (m0 - mu) * (m0 - mu)
            let exactDifference = mse0 - mse
            guard exactDifference > 0 else {
                return CheckResult(label: label, status: .fail, observed: nil, expected: exactDifference, reason:
                    "exact: MSE \(mse) is not below ordinary IS's \(mse0); the claim is false")
            }
            // The simulated difference of squared errors has a finite variance only
            // when both estimates have finite fourth moments.
            guard t0.central4.value != nil, t.central4.value != nil else {
                return CheckResult(label: label, status: .pass, observed: nil, expected: exactDifference, reason:
                    "exact: MSE \(mse) below ordinary IS's \(mse0); not simulated, because a fourth moment is infinite and the squared errors have no finite variance")
            }
            // d = V - 2 mu W with V = Z_0^2 - Z_e^2 and W = Z_0 - Z_e.
            let observed = paired.x.mean - 2 * mu * paired.y.mean
            let varD = paired.x.variance - 4 * mu * paired.covariance + 4 * mu * mu * paired.y.variance
            let se = (Swift.max(varD, 0) / Double(k)).squareRoot()
            return .zTest(label, observed: observed, expected: exactDifference, standardError: se, skewness: 0,
                          thresholds: thresholds,
                          reason: "exact MSE \(mse) below ordinary IS's \(mse0); mean of the paired difference of squared errors vs the exact difference (sd estimated from the trials)",
                          trials: k)
        default:
            return .notApplicable(label, "ordinary IS's exact mean or variance is undetermined")
        }
    }

    static func describe(_ m: Moment) -> String {
        switch m {
        case .finite(let v, _): return "\(v)"
        case .infinite(let why): return "infinite (\(why))"
        case .undetermined(let why): return "undetermined (\(why))"
        }
    }
}
