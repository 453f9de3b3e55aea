import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks across the points of a sweep.
enum SweepChecks {
    /// Self-normalised IS's bias shrinks like 1/N: the weighted least-squares slope
    /// of log |observed bias| on log N against the same slope of the exact bias.
    ///
    /// Only points whose exact bias is at least 5 standard errors of the mean enter,
    /// so that the observed bias has the sign of the exact one (a log needs it);
    /// each weighs (bias / SE)^2, the inverse variance of log |bias| to first order.
    /// The exact slope is reported beside -1, and the observed N x bias beside the
    /// first-order constant N (mu E_q[r^2] - E_q[r^2 f]) / N.
    static func biasSlope(_ name: String, index: Int, points: [ScenarioReport], thresholds: Thresholds) -> CheckResult {
        let label = CheckResult.Label(check: .biasSlope, estimator: name)
        var xs: [Double] = [], observed: [Double] = [], exact: [Double] = [], weights: [Double] = []
        var table: [String] = []
        for p in points {
            let t = p.reference.estimators[index]
            guard let mu = p.reference.mean.value, let m = t.mean.value, let v = t.variance.value else { continue }
            let n = Double(p.scenario.samples)
            let se = (v / Double(p.scenario.trials)).squareRoot()
            let bias = m - mu, seen = p.statistics.estimates[index].mean - mu
            table.append("N = \(p.scenario.samples): N x bias observed \(n * seen), exact \(n * bias)"
                         + (t.firstOrderBias.map { ", first order \(n * $0)" } ?? ""))
            guard abs(bias) >= 5 * se, seen * bias > 0 else { continue }
            xs.append(log(n)); observed.append(log(abs(seen))); exact.append(log(abs(bias)))
            weights.append((bias / se) * (bias / se))
        }
        guard xs.count >= 3 else {
            return .notApplicable(label, "fewer than 3 sample sizes with an exact bias of at least 5 standard errors; " + table.joined(separator: "; "))
        }
        func slope(_ ys: [Double]) -> (Double, Double) {
            let w = weights.reduce(0, +)
            let mx = zip(weights, xs).map { $0 * $1 }.reduce(0, +) / w
            let my = zip(weights, ys).map { $0 * $1 }.reduce(0, +) / w
            var sxy = 0.0, sxx = 0.0
            for i in xs.indices { sxy += weights[i] * (xs[i] - mx) * (ys[i] - my); sxx += weights[i] * (xs[i] - mx) * (xs[i] - mx) }
            return (sxy / sxx, (1 / sxx).squareRoot())
        }
        let (seenSlope, se) = slope(observed)
        let (exactSlope, _) = slope(exact)
        return .zTest(label, observed: seenSlope, expected: exactSlope, standardError: se, skewness: 0,
                      thresholds: thresholds,
                      reason: "log-log slope of the bias over N = \(points.map { "\($0.scenario.samples)" }.joined(separator: ", ")); exact slope \(exactSlope) (first order: -1); " + table.joined(separator: "; "),
                      trials: points.first?.scenario.trials ?? 0)
    }
}
