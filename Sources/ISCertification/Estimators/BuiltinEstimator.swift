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
        // Raw pointers and while loops with wrapping counters: these loops run over
        // every draw of every trial, and buffer subscripts and range iterators are
        // calls in -Onone builds, overflow checks a third of a step (and the generic
        // min and max are calls too: see `lesser` and `greater`).
        // With no draws every estimate below would be 0/0.
        guard let lr = d.logRatios.baseAddress, let r = d.ratios.baseAddress, let f = d.values.baseAddress else {
            return .nan
        }
        let count = d.count
        let n = Double(count)
        var sum = 0.0
        var i = 0
        switch spec {
        case .importanceSampling:
            while i < count { if r[i] != 0 { sum += r[i] * f[i] }; i &+= 1 }
            return sum / n
        case .selfNormalized:
            var weights = 0.0
            while i < count {
                if r[i] != 0 {
                    sum += r[i] * f[i]
                    weights += r[i]
                }
                i &+= 1
            }
            return sum / weights
        case let .truncated(cap):
            while i < count { if r[i] != 0 { sum += Self.lesser(r[i], cap) * f[i] }; i &+= 1 }
            return sum / n
        case let .clamped(low, high):
            while i < count {
                let w = Self.lesser(Self.greater(r[i], low), high)
                if w != 0 { sum += w * f[i] }
                i &+= 1
            }
            return sum / n
        case let .masked(low, high):
            // Decided in log space: a ratio of exp(1000) is masked out, never
            // formed as inf and multiplied by 0.
            let lo = log(low), hi = log(high)
            while i < count {
                if lr[i] >= lo && lr[i] <= hi { sum += r[i] * f[i] }
                i &+= 1
            }
            return sum / n
        case let .ppoClip(eps):
            while i < count {
                let ri = r[i], a = f[i]
                i &+= 1
                if a == 0 { continue }
                let clipped = Self.lesser(Self.greater(ri, 1 - eps), 1 + eps)
                sum += Self.lesser(ri * a, clipped * a)
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
            while i < count { sum -= lr[i]; i &+= 1 }
            return sum / n
        case .klK2:
            while i < count { sum += lr[i] * lr[i]; i &+= 1 }
            return sum / (2 * n)
        case .klK3:
            // r - 1 - log r, with expm1 so that r near 1 keeps its digits.
            while i < count { sum += expm1(lr[i]) - lr[i]; i &+= 1 }
            return sum / n
        case .perDecision, .perToken, .geometricMean, .tokenTruncated, .tokenMasked:
            guard let tokens = d.tokens else { return .nan }
            return Self.tokenLevel(spec, d, tokens) / n
        case .reinforce, .isGradient, .perDecisionGradient, .ppoClipGradient, .truncatedGradient:
            // A gradient is a vector: BuiltinGradient computes it, component by component.
            return .nan
        }
    }

    /// Swift.min and Swift.max written out, same operands, same result (nan
    /// included): the generic functions are unspecialised calls in -Onone builds.
    @_transparent static func lesser(_ x: Double, _ y: Double) -> Double { y < x ? y : x }
    @_transparent static func greater(_ x: Double, _ y: Double) -> Double { y >= x ? y : x }

    /// The sum over sequences of a token-level estimator's per-sequence term.
    /// Weights are formed in log space and a reward of 0 is never multiplied, so a
    /// weight of exp(1000) on an unscored token gives no inf * 0.
    static func tokenLevel(_ spec: EstimatorSpec, _ d: TrialDraws, _ tokens: TokenDraws) -> Double {
        // Raw pointers and while loops, as in `estimate`: these run over every token
        // of every trial, and range iterators are calls in -Onone builds too (so are
        // overflow checks: the counters wrap, below n T).
        let T = tokens.length, count = d.count, all = count * T
        guard let lr = tokens.logRatios.baseAddress, let g = tokens.rewards.baseAddress,
              let logW = d.logRatios.baseAddress, let f = d.values.baseAddress else { return 0 }
        var sum = 0.0
        var t = 0
        switch spec {
        case .perDecision:
            var i = 0
            while i < count {
                var w = 0.0
                let end = (i &+ 1) &* T
                while t < end {
                    w += lr[t]
                    if g[t] != 0 { sum += exp(w) * g[t] }
                    t &+= 1
                }
                i &+= 1
            }
        case .perToken:
            while t < all {
                if g[t] != 0 { sum += exp(lr[t]) * g[t] }
                t &+= 1
            }
        case .geometricMean:
            for i in 0..<count where f[i] != 0 { sum += exp(logW[i] / Double(T)) * f[i] }
        case let .tokenTruncated(cap):
            let lc = log(cap)
            while t < all {
                if g[t] != 0 { sum += (lr[t] >= lc ? cap : exp(lr[t])) * g[t] }
                t &+= 1
            }
        case let .tokenMasked(low, high):
            let lo = log(low), hi = log(high)
            while t < all {
                if g[t] != 0 && lr[t] >= lo && lr[t] <= hi { sum += exp(lr[t]) * g[t] }
                t &+= 1
            }
        default:
            return .nan
        }
        return sum
    }

    public var specification: EstimatorSpecification { Self.specification(spec) }

    /// The specification, with the token recursion of the estimators built token by token.
    static func specification(_ spec: EstimatorSpec) -> EstimatorSpecification {
        var s = sampleSpecification(spec)
        s.tokenStep = tokenStep(spec)
        return s
    }

    /// W' = rho W, X' = a X + b W + e per token (see ``TokenStep``); nil for the
    /// estimators that are not such a recursion.
    static func tokenStep(_ spec: EstimatorSpec) -> (@Sendable (Double, Double, Int, Int) -> TokenStep)? {
        @Sendable func ratio(_ lr: Double) -> Double { lr == -.infinity ? 0 : exp(lr) }
        switch spec {
        case .importanceSampling:
            return { lr, g, _, _ in let r = ratio(lr); return TokenStep(rho: r, a: r, b: g == 0 ? 0 : r * g) }
        case .perDecision:
            return { lr, g, _, _ in let r = ratio(lr); return TokenStep(rho: r, a: 1, b: g == 0 ? 0 : r * g) }
        case .perToken:
            return { lr, g, _, _ in TokenStep(e: g == 0 ? 0 : ratio(lr) * g) }
        case .geometricMean:
            return { lr, g, _, n in let r = lr == -.infinity ? 0 : exp(lr / Double(n)); return TokenStep(rho: r, a: r, b: g == 0 ? 0 : r * g) }
        case let .tokenTruncated(cap):
            let lc = log(cap)
            return { lr, g, _, _ in TokenStep(e: g == 0 ? 0 : (lr >= lc ? cap : ratio(lr)) * g) }
        case let .tokenMasked(low, high):
            let lo = log(low), hi = log(high)
            return { lr, g, _, _ in TokenStep(e: g == 0 || lr < lo || lr > hi ? 0 : exp(lr) * g) }
        case .klK1:
            return { lr, _, _, _ in TokenStep(e: -lr) }
        case .klK3:
            // X = W - 1 - log W: X' = X + (r - 1) W - log r.
            return { lr, _, _, _ in let r = ratio(lr); return TokenStep(rho: r, a: 1, b: r - 1, e: -lr) }
        default:
            return nil
        }
    }

    /// The weight w(r) of the per-sample estimators, from log r, without overflow.
    /// A token-level estimator's per-sample term is that of one token (T = 1).
    static func sampleSpecification(_ spec: EstimatorSpec) -> EstimatorSpecification {
        switch spec {
        case .perDecision, .perToken, .geometricMean, .tokenTruncated, .tokenMasked:
            let step = tokenStep(spec)!
            let growth = spec == .perDecision || spec == .perToken || spec == .geometricMean ? 1 : 0
            return EstimatorSpecification(form: .sampleMean { lr, f in let s = step(lr, f, 0, 1); return s.b + s.e },
                                          ratioGrowth: growth, growthIsTight: growth == 1,
                                          claimsUnbiased: spec == .perDecision)
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
            var s = EstimatorSpecification(
                form: .none(reason: "Pareto-smoothed IS has no exact finite-N expectation: its weights depend on the order statistics of the whole trial"),
                ratioGrowth: 0, growthIsTight: false)
            // Certified against an independent simulation declared in the scenario instead.
            s.simulatedReference = .paretoSmoothed
            return s
        case .klK1:
            return EstimatorSpecification(form: .sampleMean { lr, _ in -lr }, ratioGrowth: 0, growthIsTight: false,
                                          claimsUnbiased: true, estimand: .klBehaviorToTarget, finitenessFromIntegrand: true)
        case .klK2:
            return EstimatorSpecification(form: .sampleMean { lr, _ in lr * lr / 2 }, ratioGrowth: 0, growthIsTight: false,
                                          estimand: .klBehaviorToTarget, finitenessFromIntegrand: true)
        case .klK3:
            return EstimatorSpecification(form: .sampleMean { lr, _ in expm1(lr) - lr }, ratioGrowth: 0, growthIsTight: false,
                                          claimsUnbiased: true, estimand: .klBehaviorToTarget, finitenessFromIntegrand: true)
        case .reinforce, .isGradient, .perDecisionGradient, .ppoClipGradient, .truncatedGradient:
            return EstimatorSpecification(form: .none(reason: "a gradient estimator is certified component by component (GradientSpecification)"),
                                          ratioGrowth: 0, growthIsTight: false)
        }
    }
}
