import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A discrete policy: one action from a family on the integers, or a sequence of
/// T tokens over a vocabulary of V.
///
/// The families and what one draw is:
/// - `bernoulli(p:)`, `binomial(n:, p:)`, `poisson(mean:)`, `geometric(p:)`: one
///   integer action, drawn with GSL (`geometric` counts trials to the first
///   success, so its support starts at 1, as in GSL);
/// - `categorical(probabilities:)`, `softmax(logits:, temperature:)`: one action
///   in 0 ..< K (a bandit);
/// - `tokens(logits:, length:, temperature:)`: T independent tokens, each from the
///   same softmax;
/// - `markov(initial:, transition:, length:, temperature:)`: an autoregressive
///   model whose first token comes from softmax(initial / temperature) and each
///   next token from softmax(transition[previous] / temperature).
///
/// A behaviour may instead be the target perturbed (``Perturbation``): the same
/// structure with its logits shifted by seeded Gaussian noise and divided by a
/// temperature.
///
/// Build one with ``make(family:arguments:)`` (validated, as the parser does).
public struct Policy: Sendable, Hashable, CustomStringConvertible {
    /// The family and parameters as written.
    public let spec: Spec
    /// For a behaviour written as `perturbed(...)`: how it departs from `spec`,
    /// which is then the target's.
    public let perturbation: Perturbation?
    /// The token model of every family but the integer ones: log-probability
    /// tables after temperature and perturbation.
    public let chain: TokenChain?

    public indirect enum Spec: Sendable, Hashable {
        case bernoulli(p: Double)
        case binomial(n: Int, p: Double)
        case poisson(mean: Double)
        case geometric(p: Double)
        case categorical(probabilities: [Double])
        case softmax(logits: [Double], temperature: Double)
        case tokens(logits: [Double], length: Int, temperature: Double)
        case markov(initial: [Double], transition: [[Double]], length: Int, temperature: Double)
    }

    /// A behaviour's departure from the target: logits + noise * z (z standard
    /// normal, one per logit, drawn from an mt19937 stream seeded with `seed`),
    /// all divided by `temperature`. Probabilities of 0 stay 0.
    public struct Perturbation: Sendable, Hashable {
        public let noise: Double
        public let seed: UInt64
        public let temperature: Double
        public init(noise: Double, seed: UInt64, temperature: Double) {
            self.noise = noise
            self.seed = seed
            self.temperature = temperature
        }
    }

    /// The name a scenario file uses for a perturbed behaviour.
    public static let perturbedName = "perturbed"

    /// Every family name, in the order the documentation lists them.
    public static let familyNames = ["bernoulli", "binomial", "poisson", "geometric", "categorical", "softmax", "tokens", "markov"]

    /// The parameters each family takes: label, whether it is required, and what it must be.
    public static let signatures: [String: [(label: String, required: Bool, rule: String)]] = [
        "bernoulli": [("p", true, "a probability > 0 and < 1")],
        "binomial": [("n", true, "a whole number from 1 to 1_000_000"), ("p", true, "a probability > 0 and < 1")],
        "poisson": [("mean", true, "a finite number > 0 and <= 1_000_000")],
        "geometric": [("p", true, "a probability > 0 and < 1")],
        "categorical": [("probabilities", true, "a list of at least 2 numbers >= 0 that sum to 1")],
        "softmax": [("logits", true, "a list of at least 2 finite numbers"), ("temperature", false, "a finite number > 0")],
        "tokens": [("logits", true, "a list of at least 2 finite numbers"), ("length", true, "a whole number from 1 to 100_000"),
                   ("temperature", false, "a finite number > 0")],
        "markov": [("initial", true, "a list of V >= 2 finite numbers"), ("transition", true, "a V x V matrix of finite numbers, [[...], ...]"),
                   ("length", true, "a whole number from 1 to 100_000"), ("temperature", false, "a finite number > 0")],
        "perturbed": [("noise", false, "a finite number >= 0"), ("seed", false, "a whole number >= 0"),
                      ("temperature", false, "a finite number > 0")],
    ]

    /// `name(label:, ...)` as messages show a family's parameters.
    public static func template(_ name: String) -> String {
        name + "(" + (signatures[name] ?? []).map { $0.required ? "\($0.label): ..." : "[\($0.label): ...]" }.joined(separator: ", ") + ")"
    }

    /// A parameter value: a number, a list, or a matrix (list of lists).
    public enum Value: Sendable, Hashable {
        case number(Double)
        case list([Double])
        case matrix([[Double]])
    }

    /// The largest number of tokens a sequence may have.
    public static let maxLength = 100_000

    /// Makes a policy from a family name and its labelled arguments, checking every rule.
    ///
    /// - Throws: ``ParameterError`` naming the first parameter that is missing,
    ///   unknown, repeated or out of range.
    public static func make(family name: String, arguments: [(label: String, value: Value)]) throws(ParameterError) -> Policy {
        guard name != perturbedName, let signature = signatures[name] else {
            throw ParameterError(family: name, parameter: "", message: "unknown policy '\(name)'; expected one of \(familyNames.joined(separator: ", "))")
        }
        let values = try collect(name, signature, arguments)
        func number(_ label: String, _ ok: (Double) -> Bool) throws(ParameterError) -> Double {
            guard case let .number(v)? = values[label] else { throw wrongKind(name, label, signature, "a number") }
            guard v.isFinite, ok(v) else { throw outOfRange(name, label, signature, canonicalNumber(v)) }
            return v
        }
        func whole(_ label: String, _ range: ClosedRange<Int>) throws(ParameterError) -> Int {
            let v = try number(label) { $0 == $0.rounded() && $0 >= Double(range.lowerBound) && $0 <= Double(range.upperBound) }
            return Int(v)
        }
        func list(_ label: String) throws(ParameterError) -> [Double] {
            guard case let .list(v)? = values[label] else { throw wrongKind(name, label, signature, "a list [a, b, ...]") }
            guard v.count >= 2 else {
                throw ParameterError(family: name, parameter: label, message: "\(name) parameter '\(label)' needs at least 2 entries, got \(v.count)")
            }
            if let bad = v.firstIndex(where: { !$0.isFinite }) {
                throw ParameterError(family: name, parameter: label, message: "\(name) parameter '\(label)' entry \(bad + 1) must be finite, got \(canonicalNumber(v[bad]))")
            }
            return v
        }
        func temperature() throws(ParameterError) -> Double {
            values["temperature"] == nil ? 1 : try number("temperature") { $0 > 0 }
        }
        let probability: (Double) -> Bool = { $0 > 0 && $0 < 1 }
        let spec: Spec
        switch name {
        case "bernoulli": spec = .bernoulli(p: try number("p", probability))
        case "binomial": spec = .binomial(n: try whole("n", 1...1_000_000), p: try number("p", probability))
        case "poisson": spec = .poisson(mean: try number("mean") { $0 > 0 && $0 <= 1_000_000 })
        case "geometric": spec = .geometric(p: try number("p", probability))
        case "categorical":
            let p = try list("probabilities")
            if let bad = p.firstIndex(where: { $0 < 0 }) {
                throw ParameterError(family: name, parameter: "probabilities", message: "categorical probability \(bad + 1) must be >= 0, got \(canonicalNumber(p[bad]))")
            }
            let sum = p.reduce(0, +)
            guard abs(sum - 1) <= 1e-9 else {
                throw ParameterError(family: name, parameter: "probabilities", message: "categorical probabilities must sum to 1, got \(canonicalNumber(sum))")
            }
            spec = .categorical(probabilities: p)
        case "softmax": spec = .softmax(logits: try list("logits"), temperature: try temperature())
        case "tokens":
            spec = .tokens(logits: try list("logits"), length: try whole("length", 1...maxLength), temperature: try temperature())
        default:
            let initial = try list("initial")
            guard case let .matrix(rows)? = values["transition"] else { throw wrongKind(name, "transition", signature, "a matrix [[...], ...]") }
            guard rows.count == initial.count else {
                throw ParameterError(family: name, parameter: "transition", message: "markov transition needs one row per token: \(initial.count) rows (V = \(initial.count) from 'initial'), got \(rows.count)")
            }
            for (i, row) in rows.enumerated() {
                guard row.count == initial.count else {
                    throw ParameterError(family: name, parameter: "transition", message: "markov transition row \(i + 1) needs \(initial.count) entries (V = \(initial.count)), got \(row.count)")
                }
                if let bad = row.firstIndex(where: { !$0.isFinite }) {
                    throw ParameterError(family: name, parameter: "transition", message: "markov transition row \(i + 1) entry \(bad + 1) must be finite, got \(canonicalNumber(row[bad]))")
                }
            }
            spec = .markov(initial: initial, transition: rows, length: try whole("length", 1...maxLength), temperature: try temperature())
        }
        return Policy(spec: spec, perturbation: nil)
    }

    /// The behaviour `perturbed(noise:, seed:, temperature:)` of `target`.
    ///
    /// - Throws: ``ParameterError`` for a bad parameter, or when the target has no
    ///   logits to perturb (the integer families).
    public static func perturbed(_ target: Policy, arguments: [(label: String, value: Value)]) throws(ParameterError) -> Policy {
        let name = perturbedName
        let signature = signatures[name]!
        let values = try collect(name, signature, arguments)
        func number(_ label: String, _ fallback: Double, _ ok: (Double) -> Bool) throws(ParameterError) -> Double {
            guard let value = values[label] else { return fallback }
            guard case let .number(v) = value else { throw wrongKind(name, label, signature, "a number") }
            guard v.isFinite, ok(v) else { throw outOfRange(name, label, signature, canonicalNumber(v)) }
            return v
        }
        let noise = try number("noise", 0) { $0 >= 0 }
        let seed = try number("seed", 1) { $0 >= 0 && $0 == $0.rounded() && $0 < 1.8e19 }
        let temperature = try number("temperature", 1) { $0 > 0 }
        guard target.chain != nil, target.perturbation == nil else {
            throw ParameterError(family: name, parameter: "", message: "perturbed needs a target with logits (categorical, softmax, tokens or markov), not \(target.familyName)")
        }
        return Policy(spec: target.spec, perturbation: Perturbation(noise: noise, seed: UInt64(seed), temperature: temperature))
    }

    private static func collect(_ name: String, _ signature: [(label: String, required: Bool, rule: String)],
                                _ arguments: [(label: String, value: Value)]) throws(ParameterError) -> [String: Value] {
        var values: [String: Value] = [:]
        for (label, value) in arguments {
            guard signature.contains(where: { $0.label == label }) else {
                throw ParameterError(family: name, parameter: label, message: "\(name) has no parameter '\(label)'; expected \(template(name))")
            }
            guard values.updateValue(value, forKey: label) == nil else {
                throw ParameterError(family: name, parameter: label, message: "parameter '\(label)' given twice")
            }
        }
        for p in signature where p.required && values[p.label] == nil {
            throw ParameterError(family: name, parameter: "", message: "\(name) needs '\(p.label):'; expected \(template(name))")
        }
        return values
    }

    private static func rule(_ signature: [(label: String, required: Bool, rule: String)], _ label: String) -> String {
        signature.first { $0.label == label }?.rule ?? "valid"
    }

    private static func wrongKind(_ name: String, _ label: String, _ signature: [(label: String, required: Bool, rule: String)], _ kind: String) -> ParameterError {
        ParameterError(family: name, parameter: label, message: "\(name) parameter '\(label)' must be \(rule(signature, label)); expected \(kind)")
    }

    private static func outOfRange(_ name: String, _ label: String, _ signature: [(label: String, required: Bool, rule: String)], _ got: String) -> ParameterError {
        ParameterError(family: name, parameter: label, message: "\(name) parameter '\(label)' must be \(rule(signature, label)), got \(got)")
    }

    init(spec: Spec, perturbation: Perturbation?) {
        self.spec = spec
        self.perturbation = perturbation
        self.chain = TokenChain(spec, perturbation: perturbation)
    }

    /// The family's name (`perturbed` for a perturbed behaviour).
    public var familyName: String {
        if perturbation != nil { return Self.perturbedName }
        switch spec {
        case .bernoulli: return "bernoulli"
        case .binomial: return "binomial"
        case .poisson: return "poisson"
        case .geometric: return "geometric"
        case .categorical: return "categorical"
        case .softmax: return "softmax"
        case .tokens: return "tokens"
        case .markov: return "markov"
        }
    }

    /// T: tokens per sample (1 for every family but `tokens` and `markov`).
    public var length: Int { chain?.length ?? 1 }

    /// The policy in the scenario language; a perturbed behaviour prints as
    /// `perturbed(...)`, which reads back only next to its target.
    public var description: String {
        if let p = perturbation {
            return "perturbed(noise: \(canonicalNumber(p.noise)), seed: \(p.seed), temperature: \(canonicalNumber(p.temperature)))"
        }
        func list(_ v: [Double]) -> String { "[" + v.map(canonicalNumber).joined(separator: ", ") + "]" }
        switch spec {
        case let .bernoulli(p): return "bernoulli(p: \(canonicalNumber(p)))"
        case let .binomial(n, p): return "binomial(n: \(n), p: \(canonicalNumber(p)))"
        case let .poisson(m): return "poisson(mean: \(canonicalNumber(m)))"
        case let .geometric(p): return "geometric(p: \(canonicalNumber(p)))"
        case let .categorical(p): return "categorical(probabilities: \(list(p)))"
        case let .softmax(l, t): return "softmax(logits: \(list(l)), temperature: \(canonicalNumber(t)))"
        case let .tokens(l, n, t): return "tokens(logits: \(list(l)), length: \(n), temperature: \(canonicalNumber(t)))"
        case let .markov(i, m, n, t):
            return "markov(initial: \(list(i)), transition: [" + m.map(list).joined(separator: ", ") + "], length: \(n), temperature: \(canonicalNumber(t)))"
        }
    }

    // MARK: Integer families

    /// log P(X = x) for the integer families; -inf off the support.
    public func logMass(_ x: Int) -> Double {
        switch spec {
        case let .bernoulli(p): return x == 1 ? log(p) : (x == 0 ? log1p(-p) : -.infinity)
        case let .binomial(n, p):
            guard x >= 0, x <= n else { return -.infinity }
            return gsl_sf_lnchoose(UInt32(n), UInt32(x)) + Double(x) * log(p) + Double(n - x) * log1p(-p)
        case let .poisson(m):
            guard x >= 0 else { return -.infinity }
            return Double(x) * log(m) - m - gsl_sf_lngamma(Double(x) + 1)
        case let .geometric(p):
            guard x >= 1 else { return -.infinity }
            return log(p) + Double(x - 1) * log1p(-p)
        default:
            guard let chain, chain.length == 1, x >= 0, x < chain.vocabulary else { return -.infinity }
            return chain.logInitial[x]
        }
    }

    /// The smallest and largest values of the support (the largest is nil when unbounded).
    public var supportBounds: (lower: Int, upper: Int?) {
        switch spec {
        case .bernoulli: return (0, 1)
        case let .binomial(n, _): return (0, n)
        case .poisson: return (0, nil)
        case .geometric: return (1, nil)
        default: return (0, (chain?.vocabulary ?? 1) - 1)
        }
    }

    /// P(X > x) for the integer families.
    public func upperTail(_ x: Int) -> Double {
        switch spec {
        case let .poisson(m): return x < 0 ? 1 : gsl_cdf_poisson_Q(UInt32(clamping: x), m)
        case let .geometric(p): return x < 1 ? 1 : exp(Double(x) * log1p(-p))
        case let .binomial(n, p): return x < 0 ? 1 : (x >= n ? 0 : gsl_cdf_binomial_Q(UInt32(x), p, UInt32(n)))
        case let .bernoulli(p): return x < 0 ? 1 : (x >= 1 ? 0 : p)
        default: return 0
        }
    }

    /// One draw of an integer family, with GSL.
    @inline(__always) func drawInteger(_ source: RandomSource) -> Int {
        let r = source.handle
        switch spec {
        case let .bernoulli(p): return Int(gsl_ran_bernoulli(r, p))
        case let .binomial(n, p): return Int(gsl_ran_binomial(r, p, UInt32(n)))
        case let .poisson(m): return Int(gsl_ran_poisson(r, m))
        case let .geometric(p): return Int(gsl_ran_geometric(r, p))
        default: return 0
        }
    }

    /// Draws one sample: `tokens.count` tokens (T) into `tokens`, by inversion of each
    /// step's cumulative probabilities (token models) or with GSL (integer families, T = 1).
    public func sample(into tokens: UnsafeMutableBufferPointer<Int>, using source: RandomSource) {
        guard let chain else {
            tokens[0] = drawInteger(source)
            return
        }
        chain.sample(into: tokens, using: source)
    }
}

/// T tokens over a vocabulary of V as a Markov chain: log-probabilities of the
/// first token and of each next token given the previous one (the same row for
/// every previous token when the steps are independent).
public struct TokenChain: Sendable, Hashable {
    public let length: Int
    public let vocabulary: Int
    /// log P(y_1 = v).
    public let logInitial: [Double]
    /// log P(y_t = v | y_(t-1) = u) at index u * V + v; nil when steps are independent
    /// (every step then has `logInitial`).
    public let logTransition: [Double]?
    /// Cumulative probabilities for sampling: row 0 the first step, row 1 + u after token u.
    public let cumulative: [Double]

    public var independent: Bool { logTransition == nil }

    /// log P(y_t = v | y_(t-1) = u); `u` is ignored for the first step (pass -1) and
    /// for independent steps.
    @inline(__always) public func logStep(_ u: Int, _ v: Int) -> Double {
        if u < 0 { return logInitial[v] }
        guard let m = logTransition else { return logInitial[v] }
        return m[u * vocabulary + v]
    }

    init?(_ spec: Policy.Spec, perturbation: Policy.Perturbation?) {
        var rows: [[Double]]
        let tau: Double
        switch spec {
        case .bernoulli, .binomial, .poisson, .geometric: return nil
        case let .categorical(p): rows = [p.map { $0 > 0 ? log($0) : -.infinity }]; tau = 1; length = 1
        case let .softmax(l, t): rows = [l]; tau = t; length = 1
        case let .tokens(l, n, t): rows = [l]; tau = t; length = n
        case let .markov(i, m, n, t): rows = [i] + m; tau = t; length = n
        }
        // Temperature first (the target's own), then the perturbation's noise and temperature.
        rows = rows.map { $0.map { $0 / tau } }
        if let p = perturbation {
            let source = try? RandomSource(algorithm: .mt19937, seed: p.seed)
            rows = rows.map { row in
                row.map { l in
                    let z = source.map { gsl_ran_gaussian(($0).handle, 1) } ?? 0
                    return l == -.infinity ? l : (l + p.noise * z) / p.temperature
                }
            }
        }
        rows = rows.map(Self.normalized)
        vocabulary = rows[0].count
        logInitial = rows[0]
        logTransition = rows.count > 1 ? Array(rows.dropFirst().joined()) : nil
        cumulative = rows.flatMap { row -> [Double] in
            var s = 0.0
            var out = row.map { l -> Double in s += exp(l); return s }
            // The last token that can occur takes whatever rounding left above the sum.
            if let last = row.lastIndex(where: { $0 > -.infinity }) { out[last] = .infinity }
            return out
        }
    }

    /// log-softmax of a row of logits (-inf entries stay -inf).
    static func normalized(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let logSum = top + log(logits.reduce(0) { $0 + exp($1 - top) })
        return logits.map { $0 == -.infinity ? -.infinity : $0 - logSum }
    }

    /// The row of ``cumulative`` the next token is drawn from, after `previous`
    /// (-1 before the first token).
    @inline(__always) public func row(after previous: Int) -> Int {
        previous < 0 || logTransition == nil ? 0 : (1 + previous) * vocabulary
    }

    /// ``row(after:)`` is (previous + 1) * rowStride: V for Markov steps, 0 for
    /// independent ones (for loops that draw many tokens from one chain).
    public var rowStride: Int { logTransition == nil ? 0 : vocabulary }

    /// The token a uniform `u` in [0, 1) selects from the row starting at `base`
    /// of `cumulative`: inversion of the step's cumulative probabilities.
    /// Transparent, on a raw pointer: this runs for every token drawn, and debug
    /// builds would otherwise call it, and a buffer's bounds-checked subscript, each time.
    @_transparent public static func invert(_ u: Double, row base: Int, in cumulative: UnsafePointer<Double>) -> Int {
        var k = 0
        while u >= cumulative[base &+ k] { k &+= 1 }
        return k
    }

    func sample(into tokens: UnsafeMutableBufferPointer<Int>, using source: RandomSource) {
        cumulative.withUnsafeBufferPointer { c in
            var previous = -1
            for t in 0..<tokens.count {
                previous = Self.invert(source.uniform(), row: row(after: previous), in: c.baseAddress!)
                tokens[t] = previous
            }
        }
    }
}
