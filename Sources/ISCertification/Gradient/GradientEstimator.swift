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
        case .isGradient:
            return weighted(claimsUnbiased: true) { w, _ in w }
        case let .ppoClipGradient(eps):
            // d/dtheta min(W A, clip(W, 1 - eps, 1 + eps) A): W A grad log pi where the
            // unclipped term is the smaller one, 0 where the clipped (constant) one is.
            return weighted(claimsUnbiased: false) { w, a in
                (a > 0 && w > 1 + eps) || (a < 0 && w < 1 - eps) ? 0 : w
            }
        case let .truncatedGradient(cap):
            return weighted(claimsUnbiased: false) { w, _ in Swift.min(w, cap) }
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

    /// Off-policy terms c(W, f) f grad log pi_theta(y); a reward of 0 contributes
    /// nothing, so a weight of inf is never multiplied by it.
    static func weighted(claimsUnbiased: Bool, _ coefficient: @escaping @Sendable (_ weight: Double, _ advantage: Double) -> Double)
        -> GradientSpecification {
        GradientSpecification(drawsFromTarget: false, claimsUnbiased: claimsUnbiased) { y, theta, out in
            guard y.value != 0, y.logWeight > -.infinity else { return }
            let c = coefficient(exp(y.logWeight), y.value)
            if c != 0 { theta.addScore(y.tokens, scale: c * y.value, into: out) }
        }
    }
}

/// The built-in gradient estimators: the mean of the specification's per-sample terms.
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
        for i in 0..<draws.count { specification.term(draws.sample(i), draws.parameters, gradient) }
        let n = Double(draws.count)
        for c in gradient.indices { gradient[c] /= n }
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
