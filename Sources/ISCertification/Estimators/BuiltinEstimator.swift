import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// iscert's reference implementations of the estimators a scenario can name.
///
/// The implementations loop over the draws directly; the specifications state
/// the same estimators as per-sample formulas. They are written separately on
/// purpose: the certification tests one against the other.
public struct BuiltinEstimator: Estimator {
    public let spec: EstimatorSpec

    public init(_ spec: EstimatorSpec) { self.spec = spec }

    public var name: String { spec.canonicalText }

    public func estimate(_ d: TrialDraws) -> Double {
        // Raw pointers: these loops run over every draw of every trial, and buffer
        // subscripts are bounds-checked calls in debug builds. With no draws every
        // estimate below would be 0/0.
        guard let lr = d.logRatios.baseAddress, let r = d.ratios.baseAddress, let f = d.values.baseAddress else {
            return .nan
        }
        let count = d.count
        let n = Double(count)
        var sum = 0.0
        switch spec {
        case .importanceSampling:
            for i in 0..<count where r[i] != 0 { sum += r[i] * f[i] }
            return sum / n
        case .selfNormalized:
            var weights = 0.0
            for i in 0..<count where r[i] != 0 {
                sum += r[i] * f[i]
                weights += r[i]
            }
            return sum / weights
        case let .truncated(cap):
            for i in 0..<count where r[i] != 0 { sum += Swift.min(r[i], cap) * f[i] }
            return sum / n
        case let .clamped(low, high):
            for i in 0..<count {
                let w = Swift.min(Swift.max(r[i], low), high)
                if w != 0 { sum += w * f[i] }
            }
            return sum / n
        case let .masked(low, high):
            // Decided in log space: a ratio of exp(1000) is masked out, never
            // formed as inf and multiplied by 0.
            let lo = log(low), hi = log(high)
            for i in 0..<count where lr[i] >= lo && lr[i] <= hi {
                sum += r[i] * f[i]
            }
            return sum / n
        case let .ppoClip(eps):
            for i in 0..<count {
                let ri = r[i], a = f[i]
                if a == 0 { continue }
                let clipped = Swift.min(Swift.max(ri, 1 - eps), 1 + eps)
                sum += Swift.min(ri * a, clipped * a)
            }
            return sum / n
        case .paretoSmoothed:
            // Self-normalised IS with the largest weights replaced by the quantiles of
            // a generalized Pareto fit to them (Vehtari et al. 2024).
            let smoothed = ParetoSmoothing.smooth(logWeights: Array(d.logRatios)).logWeights
            let top = smoothed.max() ?? 0
            var weights = 0.0
            for i in 0..<count {
                let w = exp(smoothed[i] - top)
                if w != 0 { sum += w * f[i]; weights += w }
            }
            return sum / weights
        case .klK1:
            for i in 0..<count { sum -= lr[i] }
            return sum / n
        case .klK2:
            for i in 0..<count { sum += lr[i] * lr[i] }
            return sum / (2 * n)
        case .klK3:
            // r - 1 - log r, with expm1 so that r near 1 keeps its digits.
            for i in 0..<count { sum += expm1(lr[i]) - lr[i] }
            return sum / n
        }
    }

    public var specification: EstimatorSpecification { Self.specification(spec) }

    /// The weight w(r) of the per-sample estimators, from log r, without overflow.
    static func specification(_ spec: EstimatorSpec) -> EstimatorSpecification {
        switch spec {
        case .importanceSampling:
            return EstimatorSpecification(form: .sampleMean { lr, f in lr == -.infinity ? 0 : exp(lr) * f },
                                          ratioGrowth: 1, growthIsTight: true, claimsUnbiased: true)
        case .selfNormalized:
            return EstimatorSpecification(
                form: .ratio(numerator: { lr, f, c in lr == -.infinity ? 0 : exp(lr) * (f - c) },
                             denominator: { lr in exp(lr) }),
                ratioGrowth: 1, growthIsTight: false)
        case let .truncated(cap):
            let lc = log(cap)
            return EstimatorSpecification(form: .sampleMean { lr, f in lr == -.infinity ? 0 : (lr >= lc ? cap : exp(lr)) * f },
                                          ratioThresholds: [cap], ratioGrowth: 0, growthIsTight: false)
        case let .clamped(low, high):
            let ll = log(low), lh = log(high)
            return EstimatorSpecification(form: .sampleMean { lr, f in
                let w = lr <= ll ? low : (lr >= lh ? high : exp(lr))
                return w == 0 ? 0 : w * f
            }, ratioThresholds: [low, high].filter { $0 > 0 }, ratioGrowth: 0, growthIsTight: false)
        case let .masked(low, high):
            let ll = log(low), lh = log(high)
            return EstimatorSpecification(form: .sampleMean { lr, f in (lr >= ll && lr <= lh) ? exp(lr) * f : 0 },
                                          ratioThresholds: [low, high].filter { $0 > 0 }, ratioGrowth: 0, growthIsTight: false)
        case let .ppoClip(eps):
            // min(r A, clip(r) A) = A min(r, 1 + eps) for A >= 0 and A max(r, 1 - eps) for A < 0.
            return EstimatorSpecification(form: .sampleMean { lr, a in
                if a == 0 { return 0 }
                let r = exp(lr)
                return a > 0 ? a * Swift.min(r, 1 + eps) : a * Swift.max(r, 1 - eps)
            }, ratioThresholds: [1 - eps, 1 + eps], ratioGrowth: 1, growthIsTight: false)
        case .paretoSmoothed:
            return EstimatorSpecification(
                form: .none(reason: "Pareto-smoothed IS has no exact finite-N expectation: its weights depend on the order statistics of the whole trial; its smoothing is tested against arviz-stats on fixed vectors, and its observed bias is reported"),
                ratioGrowth: 0, growthIsTight: false)
        case .klK1:
            return EstimatorSpecification(form: .sampleMean { lr, _ in -lr }, ratioGrowth: 0, growthIsTight: false,
                                          claimsUnbiased: true, estimand: .klBehaviorToTarget, finitenessFromIntegrand: true)
        case .klK2:
            return EstimatorSpecification(form: .sampleMean { lr, _ in lr * lr / 2 }, ratioGrowth: 0, growthIsTight: false,
                                          estimand: .klBehaviorToTarget, finitenessFromIntegrand: true)
        case .klK3:
            return EstimatorSpecification(form: .sampleMean { lr, _ in expm1(lr) - lr }, ratioGrowth: 0, growthIsTight: false,
                                          claimsUnbiased: true, estimand: .klBehaviorToTarget, finitenessFromIntegrand: true)
        }
    }
}
