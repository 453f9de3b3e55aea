/// A probability distribution on the real line: one of the continuous families
/// iscert knows, or a finite mixture of them.
///
/// Values are validated when they are made, so a `Distribution` always has
/// parameters in their valid ranges. Build one with the static factories
/// (`try .normal(mean: 0, sd: 1)`), or by family name and labelled arguments with
/// ``make(family:arguments:)`` as the scenario parser does.
public struct Distribution: Sendable, Hashable {
    /// The family and its parameters.
    public enum Family: Sendable, Hashable {
        case normal(mean: Double, sd: Double)
        case studentT(df: Double, loc: Double, scale: Double)
        case laplace(loc: Double, scale: Double)
        case exponential(rate: Double)
        case gamma(shape: Double, scale: Double)
        case beta(a: Double, b: Double)
        case lognormal(meanlog: Double, sdlog: Double)
        case uniform(low: Double, high: Double)
        case cauchy(loc: Double, scale: Double)
        case logistic(loc: Double, scale: Double)
        case weibull(shape: Double, scale: Double)
        case chiSquared(df: Double)
        case mixture([Component])
    }

    /// One weighted component of a mixture.
    public struct Component: Sendable, Hashable {
        public let weight: Double
        public let distribution: Distribution
    }

    public let family: Family

    private init(_ family: Family) { self.family = family }
}

/// A parameter outside its valid range, or a call that names parameters wrongly.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The family's name in the scenario language (`normal`, `student_t`, ...).
    public let family: String
    /// The offending parameter's label (`sd`, `df`, ...); `weights` for mixture
    /// weights that do not sum to 1; empty when the whole call is wrong.
    public let parameter: String
    /// What is wrong, in words a user can act on.
    public let message: String

    public init(family: String, parameter: String, message: String) {
        self.family = family
        self.parameter = parameter
        self.message = message
    }

    public var description: String { message }
}

// MARK: - Signatures

/// A family's name and parameter labels as the scenario language spells them.
public struct FamilySignature: Sendable, Hashable {
    public struct Parameter: Sendable, Hashable {
        public let label: String
        /// The valid range in words, e.g. "> 0" or "any finite number".
        public let constraint: String
    }

    public let name: String
    public let parameters: [Parameter]

    /// `normal(mean:, sd:)`.
    public var template: String {
        "\(name)(" + parameters.map { "\($0.label):" }.joined(separator: ", ") + ")"
    }
}

extension Distribution {
    private static func sig(_ name: String, _ params: [(String, String)]) -> FamilySignature {
        FamilySignature(name: name, parameters: params.map { .init(label: $0.0, constraint: $0.1) })
    }

    private static let real = "any finite number"
    private static let positive = "a finite number > 0"

    /// Every simple family, in the order the documentation lists them.
    /// Mixtures are written `mixture(w1 * family(...), w2 * family(...), ...)`.
    public static let signatures: [FamilySignature] = [
        sig("normal", [("mean", real), ("sd", positive)]),
        sig("student_t", [("df", positive), ("loc", real), ("scale", positive)]),
        sig("laplace", [("loc", real), ("scale", positive)]),
        sig("exponential", [("rate", positive)]),
        sig("gamma", [("shape", positive), ("scale", positive)]),
        sig("beta", [("a", positive), ("b", positive)]),
        sig("lognormal", [("meanlog", real), ("sdlog", positive)]),
        sig("uniform", [("low", real), ("high", "a finite number > low")]),
        sig("cauchy", [("loc", real), ("scale", positive)]),
        sig("logistic", [("loc", real), ("scale", positive)]),
        sig("weibull", [("shape", positive), ("scale", positive)]),
        sig("chi_squared", [("df", positive)]),
    ]

    /// The name mixtures are written with.
    public static let mixtureName = "mixture"

    /// The signature of a simple family, or nil for an unknown name.
    public static func signature(named name: String) -> FamilySignature? {
        signatures.first { $0.name == name }
    }

    /// The family's name in the scenario language.
    public var familyName: String {
        switch family {
        case .normal: "normal"
        case .studentT: "student_t"
        case .laplace: "laplace"
        case .exponential: "exponential"
        case .gamma: "gamma"
        case .beta: "beta"
        case .lognormal: "lognormal"
        case .uniform: "uniform"
        case .cauchy: "cauchy"
        case .logistic: "logistic"
        case .weibull: "weibull"
        case .chiSquared: "chi_squared"
        case .mixture: Self.mixtureName
        }
    }

    /// The parameters in signature order (empty for a mixture).
    public var parameters: [(label: String, value: Double)] {
        let values: [Double]
        switch family {
        case let .normal(a, b), let .laplace(a, b), let .gamma(a, b), let .beta(a, b),
             let .lognormal(a, b), let .uniform(a, b), let .cauchy(a, b), let .logistic(a, b),
             let .weibull(a, b):
            values = [a, b]
        case let .studentT(a, b, c): values = [a, b, c]
        case let .exponential(a), let .chiSquared(a): values = [a]
        case .mixture: return []
        }
        let labels = Self.signature(named: familyName)!.parameters.map(\.label)
        return Array(zip(labels, values)).map { (label: $0.0, value: $0.1) }
    }
}

// MARK: - Construction and validation

extension Distribution {
    /// Makes a simple (non-mixture) family from its name and labelled arguments.
    ///
    /// - Parameters:
    ///   - family: a name from ``signatures``.
    ///   - arguments: every parameter of that family exactly once, by label.
    /// - Throws: ``ParameterError`` naming the first parameter that is missing,
    ///   unknown, repeated, or outside its valid range.
    public static func make(family name: String, arguments: [(label: String, value: Double)]) throws(ParameterError) -> Distribution {
        guard let signature = signature(named: name) else {
            throw ParameterError(family: name, parameter: "", message: "unknown family '\(name)'")
        }
        var values: [String: Double] = [:]
        for (label, value) in arguments {
            guard signature.parameters.contains(where: { $0.label == label }) else {
                throw ParameterError(family: name, parameter: label,
                                     message: "\(name) has no parameter '\(label)'; expected \(signature.template)")
            }
            guard values.updateValue(value, forKey: label) == nil else {
                throw ParameterError(family: name, parameter: label, message: "parameter '\(label)' given twice")
            }
        }
        for p in signature.parameters where values[p.label] == nil {
            throw ParameterError(family: name, parameter: p.label,
                                 message: "\(name) needs '\(p.label):'; expected \(signature.template)")
        }
        let v = { (label: String) in values[label]! }
        switch name {
        case "normal": return try normal(mean: v("mean"), sd: v("sd"))
        case "student_t": return try studentT(df: v("df"), loc: v("loc"), scale: v("scale"))
        case "laplace": return try laplace(loc: v("loc"), scale: v("scale"))
        case "exponential": return try exponential(rate: v("rate"))
        case "gamma": return try gamma(shape: v("shape"), scale: v("scale"))
        case "beta": return try beta(a: v("a"), b: v("b"))
        case "lognormal": return try lognormal(meanlog: v("meanlog"), sdlog: v("sdlog"))
        case "uniform": return try uniform(low: v("low"), high: v("high"))
        case "cauchy": return try cauchy(loc: v("loc"), scale: v("scale"))
        case "logistic": return try logistic(loc: v("loc"), scale: v("scale"))
        case "weibull": return try weibull(shape: v("shape"), scale: v("scale"))
        default: return try chiSquared(df: v("df"))
        }
    }

    private static func finite(_ family: String, _ label: String, _ x: Double) throws(ParameterError) {
        guard x.isFinite else {
            throw ParameterError(family: family, parameter: label,
                                 message: "\(family) parameter '\(label)' must be a finite number, got \(canonicalNumber(x))")
        }
    }

    private static func positive(_ family: String, _ label: String, _ x: Double) throws(ParameterError) {
        try finite(family, label, x)
        guard x > 0 else {
            throw ParameterError(family: family, parameter: label,
                                 message: "\(family) parameter '\(label)' must be > 0, got \(canonicalNumber(x))")
        }
    }

    public static func normal(mean: Double, sd: Double) throws(ParameterError) -> Distribution {
        try finite("normal", "mean", mean); try positive("normal", "sd", sd)
        return Distribution(.normal(mean: mean, sd: sd))
    }

    public static func studentT(df: Double, loc: Double = 0, scale: Double = 1) throws(ParameterError) -> Distribution {
        try positive("student_t", "df", df); try finite("student_t", "loc", loc); try positive("student_t", "scale", scale)
        return Distribution(.studentT(df: df, loc: loc, scale: scale))
    }

    public static func laplace(loc: Double, scale: Double) throws(ParameterError) -> Distribution {
        try finite("laplace", "loc", loc); try positive("laplace", "scale", scale)
        return Distribution(.laplace(loc: loc, scale: scale))
    }

    public static func exponential(rate: Double) throws(ParameterError) -> Distribution {
        try positive("exponential", "rate", rate)
        return Distribution(.exponential(rate: rate))
    }

    public static func gamma(shape: Double, scale: Double) throws(ParameterError) -> Distribution {
        try positive("gamma", "shape", shape); try positive("gamma", "scale", scale)
        return Distribution(.gamma(shape: shape, scale: scale))
    }

    public static func beta(a: Double, b: Double) throws(ParameterError) -> Distribution {
        try positive("beta", "a", a); try positive("beta", "b", b)
        return Distribution(.beta(a: a, b: b))
    }

    public static func lognormal(meanlog: Double, sdlog: Double) throws(ParameterError) -> Distribution {
        try finite("lognormal", "meanlog", meanlog); try positive("lognormal", "sdlog", sdlog)
        return Distribution(.lognormal(meanlog: meanlog, sdlog: sdlog))
    }

    public static func uniform(low: Double, high: Double) throws(ParameterError) -> Distribution {
        try finite("uniform", "low", low); try finite("uniform", "high", high)
        guard low < high else {
            throw ParameterError(family: "uniform", parameter: "high",
                                 message: "uniform needs low < high, got low \(canonicalNumber(low)) and high \(canonicalNumber(high))")
        }
        return Distribution(.uniform(low: low, high: high))
    }

    public static func cauchy(loc: Double, scale: Double) throws(ParameterError) -> Distribution {
        try finite("cauchy", "loc", loc); try positive("cauchy", "scale", scale)
        return Distribution(.cauchy(loc: loc, scale: scale))
    }

    public static func logistic(loc: Double, scale: Double) throws(ParameterError) -> Distribution {
        try finite("logistic", "loc", loc); try positive("logistic", "scale", scale)
        return Distribution(.logistic(loc: loc, scale: scale))
    }

    public static func weibull(shape: Double, scale: Double) throws(ParameterError) -> Distribution {
        try positive("weibull", "shape", shape); try positive("weibull", "scale", scale)
        return Distribution(.weibull(shape: shape, scale: scale))
    }

    public static func chiSquared(df: Double) throws(ParameterError) -> Distribution {
        try positive("chi_squared", "df", df)
        return Distribution(.chiSquared(df: df))
    }

    /// Relative tolerance on the sum of mixture weights.
    public static let mixtureWeightTolerance = 1e-9

    /// A finite mixture `sum_i w_i p_i`.
    ///
    /// - Parameter components: at least one (weight, distribution) pair; weights
    ///   finite and > 0, summing to 1 within ``mixtureWeightTolerance``; components
    ///   are simple families (mixtures do not nest).
    public static func mixture(_ components: [(weight: Double, distribution: Distribution)]) throws(ParameterError) -> Distribution {
        guard !components.isEmpty else {
            throw ParameterError(family: mixtureName, parameter: "", message: "a mixture needs at least one component")
        }
        for (i, c) in components.enumerated() {
            guard c.weight.isFinite, c.weight > 0 else {
                throw ParameterError(family: mixtureName, parameter: "weights",
                                     message: "mixture weight \(i + 1) must be a finite number > 0, got \(canonicalNumber(c.weight))")
            }
            if case .mixture = c.distribution.family {
                throw ParameterError(family: mixtureName, parameter: "components",
                                     message: "mixture component \(i + 1) is itself a mixture; write its components out")
            }
        }
        let total = components.reduce(0) { $0 + $1.weight }
        guard abs(total - 1) <= mixtureWeightTolerance else {
            throw ParameterError(family: mixtureName, parameter: "weights",
                                 message: "mixture weights must sum to 1, they sum to \(canonicalNumber(total))")
        }
        return Distribution(.mixture(components.map { Component(weight: $0.weight, distribution: $0.distribution) }))
    }
}

// MARK: - Canonical text

extension Distribution: CustomStringConvertible {
    /// The distribution in the scenario language, e.g. `normal(mean: 1, sd: 1)`.
    public var description: String {
        if case let .mixture(components) = family {
            let parts = components.map { "\(canonicalNumber($0.weight)) * \($0.distribution)" }
            return "\(Self.mixtureName)(" + parts.joined(separator: ", ") + ")"
        }
        let args = parameters.map { "\($0.label): \(canonicalNumber($0.value))" }
        return "\(familyName)(" + args.joined(separator: ", ") + ")"
    }
}
