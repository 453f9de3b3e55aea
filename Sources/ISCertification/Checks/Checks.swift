import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three checks of ordinary importance sampling over K trials of N samples.
enum Checks {
    /// Unbiasedness: z = (mean of the K estimates - E_p[f]) / (sigma1 / sqrt K),
    /// sigma1^2 = (E_q[r^2 f^2] - mu^2) / N exactly. Needs E_q[r^2 f^2] finite
    /// (else no central limit theorem).
    static func mean(_ ref: ExactReference, _ stats: RunStatistics, samples n: Int, trials kTrials: Int,
                     thresholds: Thresholds) -> CheckResult {
        let k = kTrials
        guard let mu = ref.mean.value else {
            return .notApplicable(.mean, "E_p[f] is \(describe(ref.mean))")
        }
        switch ref.varianceN {
        case .infinite:
            return .notApplicable(.mean, "E_q[r^2 f^2] is infinite: the estimate has infinite variance, so no central limit theorem holds and a z-score means nothing")
        case let .undetermined(why):
            return .notApplicable(.mean, "the estimator's variance could not be determined: \(why)")
        case let .finite(vN, _):
            let se = (Swift.max(vN, 0) / Double(n) / Double(k)).squareRoot()
            var reason = "mean of \(k) estimates vs E_p[f]; sigma1^2 = (E_q[r^2 f^2] - mu^2)/N"
            if let m = ref.isMean.value, abs(m - mu) > 1e-9 * Swift.max(1, abs(mu)) {
                reason += "; q misses part of the support of p f: IS converges to E_q[r f] = \(m), not E_p[f] = \(mu)"
            }
            if stats.nonFiniteTrials > 0 {
                reason += "; \(stats.nonFiniteTrials) trials had non-finite samples (first: trial \(stats.firstNonFiniteTrial!))"
            }
            // Skewness of the grand mean of K N draws: skew(Y) / sqrt(N K).
            let k = ref.cumulantsY
            let skew = k.count >= 2 && k[0] > 0 ? k[1] / pow(k[0], 1.5) / (Double(n) * Double(kTrials)).squareRoot() : 0
            return .zTest(.mean, observed: stats.estimates.mean, expected: mu, standardError: se,
                          skewness: skew, thresholds: thresholds, reason: reason, trials: kTrials)
        }
    }

    /// Variance: sample variance s^2 of the K estimates vs sigma1^2, with
    /// Var(s^2) = sigma1^4 (2/(K-1) + g2/K), g2 = g2(r f)/N the excess kurtosis of
    /// one trial's estimate. Needs E_q[(r f)^4] finite.
    static func variance(_ ref: ExactReference, _ stats: RunStatistics, samples n: Int, trials k: Int,
                         thresholds: Thresholds) -> CheckResult {
        if ref.y2.isInfinite {
            return .notApplicable(.variance, "E_q[r^2 f^2] is infinite: there is no finite variance to compare with")
        }
        if ref.y4.isInfinite {
            return .notApplicable(.variance, "E_q[r^4 f^4] is infinite: the variance is finite but its estimate has infinite variance, so it cannot be tested (mean check only)")
        }
        guard let vN = ref.varianceN.value, let g2Y = ref.kurtosisY else {
            return .notApplicable(.variance, "the moments up to E_q[r^4 f^4] could not be determined")
        }
        let sigma2 = vN / Double(n)
        let g2 = g2Y / Double(n)
        let K = Double(k)
        let se = sigma2 * (2 / (K - 1) + g2 / K).squareRoot()
        return .zTest(.variance, observed: stats.estimates.variance, expected: sigma2, standardError: se,
                      skewness: varianceSkewness(ref.cumulantsY, samples: n, trials: k), thresholds: thresholds,
                      reason: "sample variance of \(k) estimates vs (E_q[r^2 f^2] - mu^2)/N; sd(s^2) = sigma1^2 sqrt(2/(K-1) + g2/K), g2 = \(g2)",
                      trials: k)
    }

    /// ESS: mean of ESS_k/N = (sum r)^2/(N sum r^2) vs its exact expectation at
    /// this N, with its exact sd. ESS/N lies in (0, 1], so the test needs no moment
    /// of r to be finite.
    static func ess(_ ref: ExactReference, _ stats: RunStatistics, trials k: Int, thresholds: Thresholds) -> CheckResult {
        guard let e = ref.ess else {
            return .notApplicable(.ess, "the exact E[ESS/N] could not be computed: \(ref.essFailure ?? "unknown reason")")
        }
        var reason = "mean of ESS/N over \(k) trials vs exact E[(sum r)^2/(N sum r^2)]"
        if let f = ref.essFraction { reason += "; population value (N -> inf) E_q[r]^2/E_q[r^2] = 1/(1 + Var r) = \(f)" }
        if let d = ref.essDeltaMethod { reason += "; delta-method approximation \(d)" }
        return .zTest(.ess, observed: stats.essFraction.mean, expected: e.mean,
                      standardError: e.sd / Double(k).squareRoot(), skewness: 0, thresholds: thresholds,
                      reason: reason, trials: k, numericalError: e.error)
    }

    /// The skewness of the sample variance s^2 of K trial estimates Z (each the mean
    /// of N draws of Y), to leading order: skew(W) / sqrt(K) with W = (Z - mu)^2.
    /// Cumulants of Z are those of Y divided by N^(j-1); W's moments follow from
    /// Z's central moments up to the sixth. Nil when E_q[Y^6] is infinite.
    static func varianceSkewness(_ kY: [Double], samples n: Int, trials k: Int) -> Double? {
        guard kY.count == 5 else { return nil }
        let N = Double(n)
        let k2 = kY[0] / N, k3 = kY[1] / (N * N), k4 = kY[2] / pow(N, 3), k6 = kY[4] / pow(N, 5)
        let mu4 = k4 + 3 * k2 * k2
        let mu6 = k6 + 15 * k4 * k2 + 10 * k3 * k3 + 15 * k2 * k2 * k2
        let varW = mu4 - k2 * k2
        guard varW > 0 else { return 0 }
        let third = mu6 - 3 * mu4 * k2 + 2 * k2 * k2 * k2
        return third / pow(varW, 1.5) / Double(k).squareRoot()
    }

    static func describe(_ m: Moment) -> String {
        switch m {
        case .finite(let v, _): return "\(v)"
        case .infinite(let why): return "infinite (\(why))"
        case .undetermined(let why): return "undetermined (\(why))"
        }
    }
}
