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
        let n = Double(d.count)
        var sum = 0.0
        switch spec {
        case .importanceSampling:
            for i in 0..<d.count where d.ratios[i] != 0 { sum += d.ratios[i] * d.values[i] }
            return sum / n
        case .selfNormalized:
            var weights = 0.0
            for i in 0..<d.count where d.ratios[i] != 0 {
                sum += d.ratios[i] * d.values[i]
                weights += d.ratios[i]
            }
            return sum / weights
        case let .truncated(cap):
            for i in 0..<d.count where d.ratios[i] != 0 { sum += Swift.min(d.ratios[i], cap) * d.values[i] }
            return sum / n
        case let .clamped(low, high):
            for i in 0..<d.count {
                let w = Swift.min(Swift.max(d.ratios[i], low), high)
                if w != 0 { sum += w * d.values[i] }
            }
            return sum / n
        case let .masked(low, high):
            // Decided in log space: a ratio of exp(1000) is masked out, never
            // formed as inf and multiplied by 0.
            let lo = log(low), hi = log(high)
            for i in 0..<d.count where d.logRatios[i] >= lo && d.logRatios[i] <= hi {
                sum += d.ratios[i] * d.values[i]
            }
            return sum / n
        case let .ppoClip(eps):
            for i in 0..<d.count {
                let r = d.ratios[i], a = d.values[i]
                if a == 0 { continue }
                let clipped = Swift.min(Swift.max(r, 1 - eps), 1 + eps)
                sum += Swift.min(r * a, clipped * a)
            }
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
        }
    }
}
