#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A policy as a function of its logits theta: the parameters a policy gradient
/// differentiates, their names, the policy at other values of theta, and the
/// score function grad_theta log pi_theta(y), all analytic.
///
/// The differentiable families and their parameters:
/// - `softmax(logits:, temperature:)`: theta = the K logits;
/// - `tokens(logits:, length:, temperature:)`: theta = the V logits shared by every step;
/// - `markov(initial:, transition:, length:, temperature:)`: theta = the V initial
///   logits, then the V x V transition logits row by row (per previous token).
///
/// With pi = softmax(theta_row / tau) the row a step draws from,
///     d log pi(v) / d theta_row,b = (1[b = v] - pi(b)) / tau,
/// and a sequence's score is the sum of its steps' scores, each in its row's block.
public struct PolicyParameters: Sendable, Hashable {
    /// The policy differentiated.
    public let policy: Policy
    /// theta, in the order described above.
    public let values: [Double]
    /// One name per parameter: `logit.2`, `initial.0`, `transition.1.2`.
    public let names: [String]
    /// V (K for a bandit).
    public let vocabulary: Int
    /// The temperature tau the logits are divided by.
    public let temperature: Double
    /// Whether every step draws from the same row (softmax, tokens) or from the
    /// row of the previous token (markov).
    public let sharedRow: Bool
    /// pi(v | row) at index row * V + v; row 0 is the first step's.
    public let probabilities: [Double]

    /// The parameters of `policy`, or nil (with the reason) when it is not a
    /// softmax, tokens or markov policy with its own logits.
    public static func of(_ policy: Policy) -> Result<PolicyParameters, PolicyParametersUnavailable> {
        guard policy.perturbation == nil, let chain = policy.chain else {
            return .failure(.init(reason: "\(policy.familyName) has no logits to differentiate; expected softmax, tokens or markov"))
        }
        let V = chain.vocabulary
        switch policy.spec {
        case let .softmax(logits, tau), let .tokens(logits, _, tau):
            return .success(PolicyParameters(policy: policy, values: logits, names: (0..<V).map { "logit.\($0)" },
                                             vocabulary: V, temperature: tau, sharedRow: true, chain: chain))
        case let .markov(initial, transition, _, tau):
            let names = (0..<V).map { "initial.\($0)" } + (0..<V).flatMap { u in (0..<V).map { "transition.\(u).\($0)" } }
            return .success(PolicyParameters(policy: policy, values: initial + transition.joined(), names: names,
                                             vocabulary: V, temperature: tau, sharedRow: false, chain: chain))
        default:
            return .failure(.init(reason: "\(policy.familyName) has no logits to differentiate; expected softmax, tokens or markov"))
        }
    }

    /// The most sequences V^T a gradient scenario may have: its exact references
    /// enumerate them all, forming a d-vector for each.
    public static let maxSequences = 200_000

    /// Why gradient estimators cannot differentiate `policy` (no logits, or too many
    /// sequences to enumerate), or nil.
    public static func whyNotDifferentiable(_ policy: Policy) -> String? {
        switch of(policy) {
        case let .failure(e): return e.reason
        case let .success(theta):
            let sequences = pow(Double(theta.vocabulary), Double(policy.length))
            return sequences <= Double(maxSequences) ? nil
                : "its exact gradient enumerates all V^T = \(theta.vocabulary)^\(policy.length) sequences, more than \(maxSequences); expected a shorter sequence or a smaller vocabulary"
        }
    }

    /// Why a policy has no parameters to differentiate.
    public struct PolicyParametersUnavailable: Error, Sendable { public let reason: String }

    private init(policy: Policy, values: [Double], names: [String], vocabulary: Int, temperature: Double,
                 sharedRow: Bool, chain: TokenChain) {
        self.policy = policy
        self.values = values
        self.names = names
        self.vocabulary = vocabulary
        self.temperature = temperature
        self.sharedRow = sharedRow
        let rows = sharedRow ? 1 : vocabulary + 1
        var p = [Double](repeating: 0, count: rows * vocabulary)
        for r in 0..<rows {
            for v in 0..<vocabulary { p[r * vocabulary + v] = exp(chain.logStep(r - 1, v)) }
        }
        probabilities = p
    }

    /// d, the number of parameters.
    public var count: Int { values.count }

    /// The policy at parameters `theta` (same family, length and temperature).
    public func policy(at theta: [Double]) -> Policy {
        precondition(theta.count == values.count, "theta needs \(values.count) entries")
        let V = vocabulary
        switch policy.spec {
        case let .softmax(_, tau): return Policy(spec: .softmax(logits: theta, temperature: tau), perturbation: nil)
        case let .tokens(_, n, tau): return Policy(spec: .tokens(logits: theta, length: n, temperature: tau), perturbation: nil)
        case let .markov(_, _, n, tau):
            let rows = (0..<V).map { u in Array(theta[(V + u * V)..<(V + (u + 1) * V)]) }
            return Policy(spec: .markov(initial: Array(theta[0..<V]), transition: rows, length: n, temperature: tau), perturbation: nil)
        default: return policy
        }
    }

    /// The row (block of V parameters) step t draws from after token `previous`
    /// (-1 before the first token).
    @inline(__always) public func row(after previous: Int) -> Int {
        sharedRow || previous < 0 ? 0 : previous + 1
    }

    /// Adds `scale` times the score of one step, d log pi(v | previous) / d theta, to `gradient`.
    @inline(__always) public func addStepScore(previous: Int, token v: Int, scale: Double,
                                               into gradient: UnsafeMutableBufferPointer<Double>) {
        let V = vocabulary, base = row(after: previous) * V
        let s = scale / temperature
        for b in 0..<V { gradient[base + b] -= s * probabilities[base + b] }
        gradient[base + v] += s
    }

    /// Adds `scale` times the score of a whole sequence, sum_t d log pi(y_t | y_(t-1)) / d theta.
    @inline(__always) public func addScore(_ tokens: UnsafeBufferPointer<Int>, scale: Double,
                                           into gradient: UnsafeMutableBufferPointer<Double>) {
        var previous = -1
        for v in tokens {
            addStepScore(previous: previous, token: v, scale: scale, into: gradient)
            previous = v
        }
    }
}
