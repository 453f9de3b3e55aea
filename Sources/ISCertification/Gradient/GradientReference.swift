import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact references of a gradient scenario, by enumerating every sequence:
/// J(theta) = E_(pi_theta)[f] and its gradient, central differences of J as a
/// cross-check, and for each estimator the exact moments of every component of
/// one trial's estimate and of the trace of its covariance.
public struct GradientReference: Sendable {
    /// Every sequence y with what the estimators read from it.
    struct Atoms {
        var tokens: [Int] = [], logRatios: [Double] = [], rewards: [Double] = []
        var logP: [Double] = [], logQ: [Double] = [], f: [Double] = []
        let length: Int
        var count: Int { logP.count }

        func withSample<R>(_ i: Int, _ body: (GradientSample) -> R) -> R {
            let T = length
            return tokens.withUnsafeBufferPointer { y in
                logRatios.withUnsafeBufferPointer { lr in
                    rewards.withUnsafeBufferPointer { g in
                        body(GradientSample(tokens: UnsafeBufferPointer(rebasing: y[(i * T)..<((i + 1) * T)]),
                                            logRatios: UnsafeBufferPointer(rebasing: lr[(i * T)..<((i + 1) * T)]),
                                            rewards: UnsafeBufferPointer(rebasing: g[(i * T)..<((i + 1) * T)]),
                                            logWeight: logP[i] - logQ[i], value: f[i], logTarget: logP[i]))
                    }
                }
            }
        }
    }

    /// One estimator's exact references at N draws per trial.
    public struct Entry: Sendable {
        public let name: String
        public let drawsFromTarget: Bool
        public let claimsUnbiased: Bool
        /// E[h], the estimator's own expectation, per component.
        public let mean: [Double]
        /// Each component's exact trial moments.
        public let components: [TrialMoments]
        /// tr Cov(Z) = tr Sigma / N, Sigma the covariance of one term h.
        public let trace: Double
        /// E||Z - EZ||^4 and ||Cov Z||_F^2, for the sd of the trace statistic.
        public let fourth: Double
        public let frobenius2: Double
        /// The skewness of ||Z - EZ||^2 for Gaussian Z with this covariance,
        /// 2 sqrt(2) tr(Sigma^3) / tr(Sigma^2)^(3/2).
        public let gaussianSkewness: Double
        /// max over sequences of |term - d surrogate / d theta| relative to the
        /// term's size, or nil when the estimator has no built-in surrogate.
        public let surrogateError: Double?
        public let surrogateDescription: String?
        /// For PPO's clipped gradient: the probability under pi_old that the clip is
        /// active (A > 0 and W > 1 + eps, or A < 0 and W < 1 - eps), zeroing the term.
        public let clippedMass: Double?
    }

    public let parameterNames: [String]
    public let theta: [Double]
    /// J(theta) and its exact gradient sum_y pi_theta(y) f(y) grad log pi_theta(y).
    public let objective: Double
    public internal(set) var gradient: [Double]
    /// (J(theta + h e_b) - J(theta - h e_b)) / 2h with the exact J.
    public let finiteDifference: [Double]
    public let finiteDifferenceStep: Double
    /// How far the two may differ: truncation h^2 |J'''| / 6 and rounding, bounded
    /// generously by 1e-6 (1 + max|f| T / tau).
    public let finiteDifferenceTolerance: Double
    public let estimators: [Entry]
    public let method: String

    /// The most sequences enumerated (d-vector terms are formed for each).
    public static var maxSequences: Int { PolicyParameters.maxSequences }
    /// Sequences checked against the surrogates: all up to this many, else an even stride.
    public static let maxSurrogateSequences = 20_000

    /// Why a scenario has no exact gradient reference.
    public struct Unavailable: Error, Sendable, CustomStringConvertible { public let description: String }

    /// - Throws: ``Unavailable`` when the target has no logits or there are more
    ///   than ``maxSequences`` sequences.
    public init(pair: PolicyPair, f: Formula, samples n: Int, estimators: [any GradientEstimator]) throws(Unavailable) {
        let theta: PolicyParameters
        switch PolicyParameters.of(pair.target) {
        case let .success(p): theta = p
        case let .failure(e): throw Unavailable(description: e.reason)
        }
        guard let q = pair.behavior.chain else { throw Unavailable(description: "the behaviour has no token model") }
        let V = theta.vocabulary, T = pair.length
        let sequences = pow(Double(V), Double(T))
        guard sequences <= Double(Self.maxSequences) else {
            throw Unavailable(description: "the exact gradient enumerates all V^T = \(V)^\(T) sequences, more than the \(Self.maxSequences) iscert enumerates")
        }
        let rewardTable = (0..<V).map { f.evaluate(at: Double($0)) }
        let atoms = Self.enumerate(pair.target, q, vocabulary: V, length: T, rewards: rewardTable, scored: pair.scored)
        let d = theta.count
        parameterNames = theta.names
        self.theta = theta.values
        method = "exact enumeration of all \(atoms.count) sequences"

        // J and its gradient, under pi_theta.
        var j = 0.0
        var grad = [Double](repeating: 0, count: d)
        grad.withUnsafeMutableBufferPointer { out in
            atoms.tokens.withUnsafeBufferPointer { y in
                for i in 0..<atoms.count where atoms.logP[i] > -.infinity && atoms.f[i] != 0 {
                    let p = exp(atoms.logP[i])
                    j += p * atoms.f[i]
                    theta.addScore(UnsafeBufferPointer(rebasing: y[(i * T)..<((i + 1) * T)]), scale: p * atoms.f[i], into: out)
                }
            }
        }
        objective = j
        gradient = grad

        // Central differences of the exact J, one parameter at a time.
        let h = 1e-5
        finiteDifferenceStep = h
        finiteDifference = (0..<d).map { b in
            func objective(_ shift: Double) -> Double {
                var values = theta.values
                values[b] += shift
                let moved = Self.enumerate(theta.policy(at: values), q, vocabulary: V, length: T, rewards: rewardTable, scored: pair.scored)
                return zip(moved.logP, moved.f).reduce(0) { $0 + ($1.1 == 0 ? 0 : exp($1.0) * $1.1) }
            }
            return (objective(h) - objective(-h)) / (2 * h)
        }
        let maxF = rewardTable.map(abs).max() ?? 0
        finiteDifferenceTolerance = 1e-6 * (1 + maxF * Double(T) / theta.temperature)

        self.estimators = estimators.map { e in
            Self.entry(e, atoms: atoms, theta: theta, behavior: q, samples: n)
        }
    }

    /// All V^T sequences of `p` with their log-probabilities under p and q.
    static func enumerate(_ target: Policy, _ q: TokenChain, vocabulary V: Int, length T: Int, rewards: [Double],
                          scored: PolicyPair.Scored) -> Atoms {
        guard let p = target.chain else { return Atoms(length: T) }
        var atoms = Atoms(length: T)
        var y = [Int](repeating: 0, count: T)
        while true {
            var lp = 0.0, lq = 0.0, reward = 0.0, previous = -1
            for t in 0..<T {
                let v = y[t]
                let a = p.logStep(previous, v), b = q.logStep(previous, v)
                let g = scored == .all || t == T - 1 ? rewards[v] : 0
                atoms.tokens.append(v)
                atoms.logRatios.append(a - b)
                atoms.rewards.append(g)
                lp += a; lq += b; reward += g
                previous = v
            }
            atoms.logP.append(lp); atoms.logQ.append(lq); atoms.f.append(reward)
            if !PolicyLaw.nextSequence(&y, vocabulary: V) { return atoms }
        }
    }

    /// P_old(clip active) for a built-in PPO gradient, nil for any other estimator.
    static func clippedMass(_ e: any GradientEstimator, atoms: Atoms) -> Double? {
        guard let b = e as? BuiltinGradient, case let .ppoClipGradient(eps) = b.spec else { return nil }
        var mass = 0.0
        for i in 0..<atoms.count where atoms.logQ[i] > -.infinity {
            let w = exp(atoms.logP[i] - atoms.logQ[i]), a = atoms.f[i]
            if (a > 0 && w > 1 + eps) || (a < 0 && w < 1 - eps) { mass += exp(atoms.logQ[i]) }
        }
        return mass
    }

    /// Exact moments of one estimator's per-sample term over its draw policy.
    static func entry(_ e: any GradientEstimator, atoms: Atoms, theta: PolicyParameters, behavior q: TokenChain,
                      samples n: Int) -> Entry {
        let d = theta.count, spec = e.specification
        let logDraw = spec.drawsFromTarget ? atoms.logP : atoms.logQ
        var terms = [Double](repeating: 0, count: atoms.count * d)
        terms.withUnsafeMutableBufferPointer { all in
            for i in 0..<atoms.count where logDraw[i] > -.infinity {
                atoms.withSample(i) { y in spec.term(y, theta, UnsafeMutableBufferPointer(rebasing: all[(i * d)..<((i + 1) * d)])) }
            }
        }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<atoms.count where logDraw[i] > -.infinity {
            let w = exp(logDraw[i])
            for c in 0..<d { mean[c] += w * terms[i * d + c] }
        }
        var central = [[Double]](repeating: [Double](repeating: 0, count: 5), count: d)
        var sigma = [Double](repeating: 0, count: d * d)
        var fourth = 0.0
        for i in 0..<atoms.count where logDraw[i] > -.infinity {
            let w = exp(logDraw[i])
            var norm2 = 0.0
            for c in 0..<d {
                let u = terms[i * d + c] - mean[c]
                norm2 += u * u
                var power = u * u
                for k in 0..<5 { central[c][k] += w * power; power *= u }
                for c2 in 0..<d { sigma[c * d + c2] += w * u * (terms[i * d + c2] - mean[c2]) }
            }
            fourth += w * norm2 * norm2
        }
        let N = Double(n)
        let traceSigma = (0..<d).reduce(0) { $0 + sigma[$1 * d + $1] }
        let frobenius = sigma.reduce(0) { $0 + $1 * $1 }
        var cube = 0.0
        for a in 0..<d { for b in 0..<d { for c in 0..<d { cube += sigma[a * d + b] * sigma[b * d + c] * sigma[c * d + a] } } }
        let components = (0..<d).map { c in
            TrialMoments.sampleMean(mean: .finite(mean[c], error: 0), central: central[c].map { .finite($0, error: 0) },
                                    samples: n, method: "exact enumeration of all \(atoms.count) sequences")
        }
        let surrogate = surrogateCheck(e, atoms: atoms, theta: theta, behavior: q, terms: terms)
        return Entry(name: e.name, drawsFromTarget: spec.drawsFromTarget, claimsUnbiased: spec.claimsUnbiased,
                     mean: mean, components: components, trace: traceSigma / N,
                     fourth: fourth / (N * N * N) + (N - 1) / (N * N * N) * (traceSigma * traceSigma + 2 * frobenius),
                     frobenius2: frobenius / (N * N),
                     gaussianSkewness: frobenius > 0 ? 2 * 2.0.squareRoot() * cube / pow(frobenius, 1.5) : 0,
                     surrogateError: surrogate?.error, surrogateDescription: surrogate?.description,
                     clippedMass: clippedMass(e, atoms: atoms))
    }
}
