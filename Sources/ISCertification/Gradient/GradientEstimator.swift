import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One sequence y of a trial, as a gradient estimator's per-sample term sees it.
public struct GradientSample {
    /// y_1 ... y_T.
    public let tokens: UnsafeBufferPointer<Int>
    /// log r_t = log pi_theta(y_t | y_(t-1)) - log pi_old(y_t | y_(t-1)).
    public let logRatios: UnsafeBufferPointer<Double>
    /// g_t, the reward token t contributes; f(y) = sum_t g_t.
    public let rewards: UnsafeBufferPointer<Double>
    /// log W = sum_t log r_t.
    public let logWeight: Double
    /// f(y).
    public let value: Double
    /// log pi_theta(y).
    public let logTarget: Double

    public init(tokens: UnsafeBufferPointer<Int>, logRatios: UnsafeBufferPointer<Double>,
                rewards: UnsafeBufferPointer<Double>, logWeight: Double, value: Double, logTarget: Double) {
        self.tokens = tokens
        self.logRatios = logRatios
        self.rewards = rewards
        self.logWeight = logWeight
        self.value = value
        self.logTarget = logTarget
    }
}

/// The N sequences of one trial, drawn from the policy the estimator's
/// specification names, row by row (sequence i's token t at i * T + t).
public struct GradientDraws {
    public let length: Int
    public let tokens: UnsafeBufferPointer<Int>
    public let logRatios: UnsafeBufferPointer<Double>
    public let rewards: UnsafeBufferPointer<Double>
    public let logWeights: UnsafeBufferPointer<Double>
    public let values: UnsafeBufferPointer<Double>
    public let logTargets: UnsafeBufferPointer<Double>
    /// theta and the score function of pi_theta.
    public let parameters: PolicyParameters

    public var count: Int { values.count }

    /// Sequence i.
    public func sample(_ i: Int) -> GradientSample {
        let T = length
        return GradientSample(tokens: UnsafeBufferPointer(rebasing: tokens[(i * T)..<((i + 1) * T)]),
                              logRatios: UnsafeBufferPointer(rebasing: logRatios[(i * T)..<((i + 1) * T)]),
                              rewards: UnsafeBufferPointer(rebasing: rewards[(i * T)..<((i + 1) * T)]),
                              logWeight: logWeights[i], value: values[i], logTarget: logTargets[i])
    }
}

/// An estimator of grad_theta J(theta), J = E_(pi_theta)[f], certified against its
/// mathematical specification component by component.
///
/// `estimate` is the implementation under test; `specification` the mathematics it
/// claims, from which iscert computes each component's exact expectation and
/// moments by enumerating every sequence.
public protocol GradientEstimator: Sendable {
    /// The name in reports, e.g. `ppo_clip_grad(eps: 0.2)`.
    var name: String { get }
    var specification: GradientSpecification { get }
    /// One trial's estimate, added into `gradient` (d entries, zero on entry).
    func estimate(_ draws: GradientDraws, into gradient: UnsafeMutableBufferPointer<Double>)
}

/// What a gradient estimator computes: (1/N) sum h(y_i) over N sequences drawn
/// from pi_theta or pi_old, with the per-sample term h given here.
public struct GradientSpecification: Sendable {
    /// On-policy (draws from pi_theta) or off-policy (from pi_old).
    public var drawsFromTarget: Bool
    /// Whether the estimator claims E[h] = grad J; its mean check then compares
    /// with the exact gradient, otherwise with its own exact expectation (the bias
    /// is reported).
    public var claimsUnbiased: Bool
    /// Adds h(y) into `term` (d entries).
    public var term: @Sendable (_ sample: GradientSample, _ parameters: PolicyParameters,
                                _ term: UnsafeMutableBufferPointer<Double>) -> Void

    public init(drawsFromTarget: Bool, claimsUnbiased: Bool,
                term: @escaping @Sendable (GradientSample, PolicyParameters, UnsafeMutableBufferPointer<Double>) -> Void) {
        self.drawsFromTarget = drawsFromTarget
        self.claimsUnbiased = claimsUnbiased
        self.term = term
    }

    /// The specification of a built-in gradient estimator (nil for a value estimator).
    public static func builtin(_ spec: EstimatorSpec) -> GradientSpecification? {
        switch spec {
        case let .reinforce(baseline):
            let b = baseline ?? 0
            return GradientSpecification(drawsFromTarget: true, claimsUnbiased: true) { y, theta, out in
                theta.addScore(y.tokens, scale: y.value - b, into: out)
            }
        case .isGradient, .ppoClipGradient, .truncatedGradient:
            return GradientSpecification(drawsFromTarget: false, claimsUnbiased: spec == .isGradient) { y, theta, out in
                let c = sequenceCoefficient(spec, logWeight: y.logWeight, value: y.value)
                if c != 0 { theta.addScore(y.tokens, scale: c, into: out) }
            }
        case .perDecisionGradient:
            return GradientSpecification(drawsFromTarget: false, claimsUnbiased: true) { y, theta, out in
                // h = sum_t g_t W_(1:t) sum_(s<=t) score_s = sum_s score_s c_s with
                // c_s = sum_(t>=s) g_t W_(1:t), accumulated from the last step back;
                // log W_(1:t) walks back from log W.
                var c = 0.0, logPrefix = y.logWeight
                var previous = y.tokens.count > 1 ? y.tokens[y.tokens.count - 2] : -1
                for s in stride(from: y.tokens.count - 1, through: 0, by: -1) {
                    if y.rewards[s] != 0 { c += y.rewards[s] * exp(logPrefix) }
                    if c != 0 { theta.addStepScore(previous: previous, token: y.tokens[s], scale: c, into: out) }
                    logPrefix -= y.logRatios[s]
                    previous = s >= 2 ? y.tokens[s - 2] : -1
                }
            }
        default:
            return nil
        }
    }

    /// The coefficient c of the whole-sequence gradient terms c grad log pi_theta(y),
    /// from log W and f (the advantage A): f - b for reinforce, W f for is_grad,
    /// min(W, cap) f for tis_grad, and for ppo_clip_grad W f, or 0 where the clip is
    /// active: d/dtheta min(W A, clip(W, 1 - eps, 1 + eps) A) is W A grad log pi where
    /// the unclipped term is the smaller one, 0 where the clipped (constant) one is.
    /// A reward of 0 gives 0 without forming W, so a weight of inf never meets it.
    /// (Transparent: inlined even in -Onone builds, once per sequence of every trial.)
    @_transparent static func sequenceCoefficient(_ spec: EstimatorSpec, logWeight: Double, value f: Double) -> Double {
        if case let .reinforce(b) = spec { return f - (b ?? 0) }
        guard f != 0, logWeight > -.infinity else { return 0 }
        let w = exp(logWeight)
        switch spec {
        case .isGradient: return w * f
        case let .truncatedGradient(cap): return Swift.min(w, cap) * f
        case let .ppoClipGradient(eps): return (f > 0 && w > 1 + eps) || (f < 0 && w < 1 - eps) ? 0 : w * f
        default: return .nan
        }
    }
}

/// The built-in gradient estimators.
///
/// The implementation does not call the specification's per-sample term: it
/// weights each step's (row, token) by its coefficient, then forms the gradient
/// once per trial, (A[row, b] - B[row] pi_row(b)) / tau with A the weight on
/// token b from that row and B the row's total weight: O(N T + d) per trial
/// against the term's O(N T V). The mean check compares the two.
public struct BuiltinGradient: GradientEstimator {
    public let spec: EstimatorSpec
    public let specification: GradientSpecification

    /// Nil for a value estimator.
    public init?(_ spec: EstimatorSpec) {
        guard let s = GradientSpecification.builtin(spec) else { return nil }
        self.spec = spec
        specification = s
    }

    public var name: String { spec.canonicalText }

    public func estimate(_ draws: GradientDraws, into gradient: UnsafeMutableBufferPointer<Double>) {
        // Raw pointers: buffer subscripts are bounds-checked calls in -Onone builds.
        guard let out = gradient.baseAddress, let y = draws.tokens.baseAddress, let lr = draws.logRatios.baseAddress,
              let g = draws.rewards.baseAddress, let lw = draws.logWeights.baseAddress, let f = draws.values.baseAddress else { return }
        let theta = draws.parameters, V = theta.vocabulary, T = draws.length
        let rows = theta.sharedRow ? 1 : V + 1
        var rowWeight = [Double](repeating: 0, count: rows)
        rowWeight.withUnsafeMutableBufferPointer { b in
            let rowTotal = b.baseAddress!
            // Step s of sequence i, drawn after `previous`, carries coefficient c.
            // (Transparent, and while loops: -Onone builds would call it, and a
            // range's iterator, for every token.)
            @_transparent func visit(_ i: Int, _ s: Int, _ previous: Int, _ c: Double) {
                let r = theta.sharedRow || previous < 0 ? 0 : previous + 1
                out[r * V + y[i * T + s]] += c
                rowTotal[r] += c
            }
            let perDecision = spec == .perDecisionGradient, count = draws.count
            var i = 0
            while i < count {
                if perDecision {
                    // c_s = sum_(t>=s) g_t W_(1:t), from the last step back.
                    var c = 0.0, logPrefix = lw[i]
                    var s = T - 1
                    while s >= 0 {
                        if g[i * T + s] != 0 { c += g[i * T + s] * exp(logPrefix) }
                        if c != 0 { visit(i, s, s > 0 ? y[i * T + s - 1] : -1, c) }
                        logPrefix -= lr[i * T + s]
                        s -= 1
                    }
                } else {
                    let c = GradientSpecification.sequenceCoefficient(spec, logWeight: lw[i], value: f[i])
                    var s = 0
                    if c != 0 { while s < T { visit(i, s, s > 0 ? y[i * T + s - 1] : -1, c); s += 1 } }
                }
                i += 1
            }
            theta.probabilities.withUnsafeBufferPointer { p in
                let n = Double(draws.count), tau = theta.temperature
                for r in 0..<rows {
                    for v in 0..<V { out[r * V + v] = (out[r * V + v] - rowTotal[r] * p[r * V + v]) / (tau * n) }
                }
            }
        }
    }
}

/// One component of a gradient estimator, as the scalar machinery (statistics,
/// shards, replay, reports) carries it: trials hold one estimate per component,
/// computed together for each estimator by ``GradientTrialRunner``.
public struct GradientComponent: Estimator {
    public let estimator: any GradientEstimator
    /// The component's index in theta, and the estimator's position in the scenario's list.
    public let index: Int
    public let parameterName: String

    public var name: String { "\(estimator.name)[\(parameterName)]" }

    /// Components are computed by the gradient runner from token sequences; from
    /// the scalar draws of a value scenario there is nothing to compute.
    public func estimate(_ draws: TrialDraws) -> Double { .nan }

    public var specification: EstimatorSpecification {
        EstimatorSpecification(form: .none(reason: "component \(index) of the gradient estimator \(estimator.name)"),
                               ratioGrowth: 0, growthIsTight: false, claimsUnbiased: estimator.specification.claimsUnbiased)
    }

    /// Every component of each estimator, estimator by estimator.
    public static func components(of estimators: [any GradientEstimator], parameters: PolicyParameters) -> [GradientComponent] {
        estimators.flatMap { e in parameters.names.enumerated().map { GradientComponent(estimator: e, index: $0, parameterName: $1) } }
    }
}
