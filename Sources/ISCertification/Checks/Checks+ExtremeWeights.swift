import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The extreme-weights check: an estimator's implementation, run on fixed trials
/// whose log-ratios lie far outside anything a simulation draws (log r = ±1000,
/// 710 just past exp's overflow, -inf where p = 0), returns a finite estimate
/// wherever its specification's value on the same draws is finite.
///
/// Why fixed trials: code that multiplies a mask into exp(log r) gives inf x 0 =
/// NaN only where log r > 709.78, and draws from q reach that with probability at
/// most e^-709.78 (Markov's inequality, E_q[r] = 1). No simulation shows the bug;
/// the numbers that break real RL code do. The check is deterministic: a correct
/// implementation passes it always (false-alarm rate 0), so it is not counted in
/// the family of statistical checks that shares alpha.
///
/// Only finiteness is compared, not the value: an implementation may sum in
/// another order or in lower precision and still be correct, while NaN or inf
/// where the mathematics is finite is a bug at any precision. Where the
/// specification's own value is not finite (IS with r = inf), nothing is required.
extension Checks {
    /// One fixed trial: sequence-level log-ratios and values, and the tokens of
    /// a policy scenario.
    struct ExtremeTrial {
        var logRatios: [Double]
        var values: [Double]
        var tokenLogRatios: [Double]?
        var rewards: [Double]?
        var length: Int
        /// How the trial differs from an ordinary one, for the report.
        var description: String

        func withDraws<R>(_ body: (TrialDraws) -> R) -> R {
            let ratios = logRatios.map { exp($0) }
            return logRatios.withUnsafeBufferPointer { lr in ratios.withUnsafeBufferPointer { r in values.withUnsafeBufferPointer { f in
                guard let tokenLogRatios, let rewards else { return body(TrialDraws(logRatios: lr, ratios: r, values: f)) }
                return tokenLogRatios.withUnsafeBufferPointer { tl in rewards.withUnsafeBufferPointer { g in
                    body(TrialDraws(logRatios: lr, ratios: r, values: f, tokens: TokenDraws(length: length, logRatios: tl, rewards: g)))
                } }
            } } }
        }
    }

    /// The extreme log-ratios placed on the first draw.
    static let extremeLogRatios: [Double] = [1000, 710, -1000, -.infinity]
    /// The first draw's value (reward, advantage) beside the extreme log-ratio.
    static let extremeValues: [Double] = [1, 0, -1]

    /// The fixed trials of a scenario: N = 4 draws, the first with each extreme
    /// log-ratio and value, the others ordinary (r = 1, 1/2, 2 with f = 1, -1, 1/2).
    /// For a policy of T tokens, the extreme log-ratio is the first token's and the
    /// reward is scored on the last token; every other token has r = 1.
    static func extremeTrials(length T: Int, policy: Bool) -> [ExtremeTrial] {
        let ordinary: [(Double, Double)] = [(0, 1), (log(0.5), -1), (log(2.0), 0.5)]
        var trials: [ExtremeTrial] = []
        for l in extremeLogRatios {
            for v in extremeValues {
                let draws = [(l, v)] + ordinary
                let description = "log r = \(l == -.infinity ? "-inf" : canonicalNumber(l)) on a draw with f = \(canonicalNumber(v))"
                guard policy else {
                    trials.append(ExtremeTrial(logRatios: draws.map(\.0), values: draws.map(\.1), length: 1,
                                               description: description))
                    continue
                }
                var tokens = Array(repeating: 0.0, count: draws.count * T), rewards = tokens
                for (i, d) in draws.enumerated() {
                    tokens[i * T] = d.0
                    rewards[i * T + T - 1] = d.1
                }
                trials.append(ExtremeTrial(logRatios: draws.map(\.0), values: draws.map(\.1), tokenLogRatios: tokens,
                                           rewards: rewards, length: T,
                                           description: description + (T > 1 ? " (its first token's log r; reward on the last token)" : "")))
            }
        }
        return trials
    }

    /// The specification's value on a trial: the token recursion when it has one
    /// and the trial has tokens, else the sample mean or ratio of its form; nil
    /// when the form has no closed value (Pareto smoothing).
    static func specifiedValue(_ spec: EstimatorSpecification, _ d: TrialDraws) -> Double? {
        let n = d.count
        if let tokens = d.tokens, let step = spec.tokenStep {
            let T = tokens.length
            var sum = 0.0
            for i in 0..<n {
                var w = 1.0, x = 0.0
                for t in 0..<T {
                    let s = step(tokens.logRatios[i * T + t], tokens.rewards[i * T + t], t, T)
                    x = s.a * x + s.b * w + s.e
                    w *= s.rho
                }
                sum += x
            }
            return sum / Double(n)
        }
        switch spec.form {
        case let .sampleMean(h):
            var sum = 0.0
            for i in 0..<n { sum += h(d.logRatios[i], d.values[i]) }
            return sum / Double(n)
        case let .ratio(numerator, denominator):
            var u = 0.0, v = 0.0
            for i in 0..<n {
                u += numerator(d.logRatios[i], d.values[i], 0)
                v += denominator(d.logRatios[i])
            }
            return u / v
        case .none:
            return nil
        }
    }

    /// The extreme-weights check of one estimator.
    static func extremeWeights(_ e: any Estimator, length: Int, policy: Bool) -> CheckResult {
        let label = CheckResult.Label(check: .extremeWeights, estimator: e.name)
        let spec = e.specification
        if case let .none(reason) = spec.form {
            return .notApplicable(label, "no closed form to evaluate on fixed trials: \(reason)")
        }
        var compared = 0
        for trial in extremeTrials(length: length, policy: policy) {
            let (specified, implemented) = trial.withDraws { d in (specifiedValue(spec, d), e.estimate(d)) }
            guard let specified, specified.isFinite else { continue }
            compared += 1
            if !implemented.isFinite {
                return CheckResult(label: label, status: .fail, observed: implemented, expected: specified,
                                   reason: "on a fixed trial of 4 draws with \(trial.description), the estimate is \(implemented) where its specification gives \(canonicalNumber(specified))")
            }
        }
        guard compared > 0 else {
            return .notApplicable(label, "the specification's value is not finite on any of the fixed extreme trials")
        }
        return CheckResult(label: label, status: .pass,
                           reason: "finite on all \(compared) fixed trials (log r = 1000, 710, -1000, -inf beside f = 1, 0, -1) where the specification is finite")
    }
}
