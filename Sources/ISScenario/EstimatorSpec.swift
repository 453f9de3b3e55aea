import ISProbability

/// An estimator computed from N draws of q, as a scenario names it.
///
/// With draws x_1 ... x_N from q, weights r_i = p(x_i) / q(x_i) and values
/// f_i = f(x_i), each case estimates E_p[f] as below, except the `kl_*`
/// cases, which estimate KL(q || p) = E_q[-log r] and ignore f (see
/// ``estimatesKL``). Build one with the cases (nothing is checked) or with
/// ``make(_:arguments:)`` (validated, as the parser does); print it with
/// ``canonicalText``.
public enum EstimatorSpec: Sendable, Hashable {
    /// `is`: (1/N) sum r f, ordinary importance sampling.
    case importanceSampling
    /// `snis`: sum r f / sum r, self-normalized importance sampling.
    case selfNormalized
    /// `truncated(cap: c)`: (1/N) sum min(r, c) f; c > 0.
    case truncated(cap: Double)
    /// `truncated(low: l, high: h)`: (1/N) sum clamp(r, l, h) f; 0 <= l < h.
    case clamped(low: Double, high: Double)
    /// `masked(low: l, high: h)`: (1/N) sum r 1[l <= r <= h] f; 0 <= l < h.
    case masked(low: Double, high: Double)
    /// `ppo_clip(eps: e)`: (1/N) sum min(r f, clip(r, 1 - e, 1 + e) f); 0 < e < 1.
    case ppoClip(eps: Double)
    /// `psis`: Pareto-smoothed self-normalized IS: the largest weights are
    /// replaced by quantiles of a generalized Pareto fit to the weights' tail
    /// (Vehtari et al.), then sum w f / sum w.
    case paretoSmoothed
    /// `kl_k1`: (1/N) sum -log r, unbiased for KL(q || p).
    case klK1
    /// `kl_k2`: (1/N) sum (log r)^2 / 2, a low-variance, biased estimate of KL(q || p).
    case klK2
    /// `kl_k3`: (1/N) sum (r - 1 - log r), unbiased for KL(q || p) (p normalized).
    case klK3

    /// The estimator in the scenario language, numbers in ``canonicalNumber(_:)``
    /// form: `is`, `snis`, `truncated(cap: 2)`, `truncated(low: 0.5, high: 2)`,
    /// `masked(low: 0.5, high: 5)`, `ppo_clip(eps: 0.2)`, `psis`, `kl_k1`,
    /// `kl_k2`, `kl_k3`.
    public var canonicalText: String {
        let arguments = parameters.map { "\($0.label): \(canonicalNumber($0.value))" }
        return arguments.isEmpty ? keyword : keyword + "(" + arguments.joined(separator: ", ") + ")"
    }

    /// The ``canonicalText``; reports use it as the estimator's key.
    public var name: String { canonicalText }

    /// The word the language names the estimator with (`truncated` for both
    /// ``truncated(cap:)`` and ``clamped(low:high:)``).
    public var keyword: String {
        switch self {
        case .importanceSampling: "is"
        case .selfNormalized: "snis"
        case .truncated, .clamped: "truncated"
        case .masked: "masked"
        case .ppoClip: "ppo_clip"
        case .paretoSmoothed: "psis"
        case .klK1: "kl_k1"
        case .klK2: "kl_k2"
        case .klK3: "kl_k3"
        }
    }

    /// The parameters in canonical order (empty for `is`, `snis`, `psis` and `kl_*`).
    public var parameters: [(label: String, value: Double)] {
        switch self {
        case .importanceSampling, .selfNormalized, .paretoSmoothed, .klK1, .klK2, .klK3: []
        case let .truncated(cap): [("cap", cap)]
        case let .clamped(low, high), let .masked(low, high): [("low", low), ("high", high)]
        case let .ppoClip(eps): [("eps", eps)]
        }
    }

    /// True for the `kl_*` estimators, which estimate KL(q || p) rather
    /// than E_p[f] (so `mse_below_is` cannot name them).
    public var estimatesKL: Bool {
        switch self {
        case .klK1, .klK2, .klK3: true
        default: false
        }
    }

    /// Every estimator word, in the order the documentation lists them.
    public static let keywords = ["is", "snis", "truncated", "masked", "ppo_clip", "psis", "kl_k1", "kl_k2", "kl_k3"]

    /// The words of the estimators of KL(q || p) (see ``estimatesKL``).
    static let klKeywords: Set<String> = ["kl_k1", "kl_k2", "kl_k3"]

    /// The label sets each word accepts, each in canonical order.
    static let forms: [String: [[String]]] = [
        "is": [[]], "snis": [[]], "truncated": [["cap"], ["low", "high"]],
        "masked": [["low", "high"]], "ppo_clip": [["eps"]],
        "psis": [[]], "kl_k1": [[]], "kl_k2": [[]], "kl_k3": [[]],
    ]

    /// The order labels print in.
    static let labelOrder = ["cap", "low", "high", "eps"]

    /// How messages spell the accepted forms: `truncated(cap:) or truncated(low:, high:)`.
    static func templates(_ keyword: String) -> String {
        (forms[keyword] ?? []).map { labels in
            labels.isEmpty ? keyword : keyword + "(" + labels.map { "\($0):" }.joined(separator: ", ") + ")"
        }.joined(separator: " or ")
    }

    /// Makes an estimator from its word and labelled arguments, checking
    /// every rule of the language.
    ///
    /// - Throws: ``ParameterError`` (with `family` the estimator word) naming the
    ///   first parameter that is unknown, repeated, or out of range; the
    ///   parameter is empty when the word is unknown or the set of labels
    ///   matches no form.
    public static func make(_ keyword: String, arguments: [(label: String, value: Double)]) throws(ParameterError) -> EstimatorSpec {
        guard let accepted = forms[keyword] else {
            throw ParameterError(family: keyword, parameter: "",
                                 message: "unknown estimator '\(keyword)'; expected one of \(keywords.joined(separator: ", "))")
        }
        let known = Set(accepted.joined())
        var values: [String: Double] = [:]
        for (label, value) in arguments {
            guard known.contains(label) else {
                throw ParameterError(family: keyword, parameter: label,
                                     message: "\(keyword) has no parameter '\(label)'; expected \(templates(keyword))")
            }
            guard values.updateValue(value, forKey: label) == nil else {
                throw ParameterError(family: keyword, parameter: label, message: "parameter '\(label)' given twice")
            }
        }
        guard accepted.contains(where: { Set($0) == Set(values.keys) }) else {
            throw ParameterError(family: keyword, parameter: "", message: "\(keyword) takes \(templates(keyword))")
        }
        func check(_ label: String, _ ok: (Double) -> Bool, _ rule: String) throws(ParameterError) -> Double {
            let value = values[label] ?? .nan
            guard value.isFinite, ok(value) else {
                throw ParameterError(family: keyword, parameter: label,
                                     message: "\(keyword) parameter '\(label)' must be \(rule), got \(canonicalNumber(value))")
            }
            return value
        }
        switch (keyword, values["cap"] != nil) {
        case ("is", _): return .importanceSampling
        case ("snis", _): return .selfNormalized
        case ("psis", _): return .paretoSmoothed
        case ("kl_k1", _): return .klK1
        case ("kl_k2", _): return .klK2
        case ("kl_k3", _): return .klK3
        case ("truncated", true): return .truncated(cap: try check("cap", { $0 > 0 }, "a finite number > 0"))
        case ("ppo_clip", _): return .ppoClip(eps: try check("eps", { $0 > 0 && $0 < 1 }, "> 0 and < 1"))
        default:
            let low = try check("low", { $0 >= 0 }, "a finite number >= 0")
            let high = try check("high", { _ in true }, "a finite number")
            guard low < high else {
                throw ParameterError(family: keyword, parameter: "high", message: "\(keyword) needs low < high, "
                    + "got low \(canonicalNumber(low)) and high \(canonicalNumber(high))")
            }
            return keyword == "masked" ? .masked(low: low, high: high) : .clamped(low: low, high: high)
        }
    }
}

extension EstimatorSpec: CustomStringConvertible {
    /// The ``canonicalText``.
    public var description: String { canonicalText }
}
