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
    /// `per_decision`: over token sequences, (1/N) sum_i sum_t (prod_(s<=t) r_s) g_t,
    /// g_t the reward of token t: each reward weighted by the ratios up to its
    /// step. Unbiased for E_p[f].
    case perDecision
    /// `per_token`: (1/N) sum_i sum_t r_t g_t, each reward weighted by its own
    /// step's ratio alone (PPO style). Biased for a Markov model; the bias is
    /// computed exactly.
    case perToken
    /// `gspo`: (1/N) sum_i (prod_t r_t)^(1/T) f_i, the sequence ratio's geometric
    /// mean over its T tokens, as in GSPO.
    case geometricMean
    /// `token_truncated(cap: c)`: (1/N) sum_i sum_t min(r_t, c) g_t, each token's
    /// own ratio capped (token-level TIS).
    case tokenTruncated(cap: Double)
    /// `token_masked(low: l, high: h)`: (1/N) sum_i sum_t r_t 1[l <= r_t <= h] g_t,
    /// tokens whose own ratio leaves the band dropped (token-level IcePop).
    case tokenMasked(low: Double, high: Double)

    // Gradient estimators: each estimates grad_theta J(theta), J = E_(pi_theta)[f],
    // theta the target's logits, as a vector (one component per logit). A
    // scenario lists either these or the value estimators above, not both.

    /// `reinforce` or `reinforce(baseline: b)`: on-policy REINFORCE, draws from the
    /// target pi_theta, (1/N) sum (f - b) grad log pi_theta(y). Unbiased for any
    /// constant b (E[grad log pi] = 0); b = nil is b = 0.
    case reinforce(baseline: Double?)
    /// `is_grad`: the off-policy gradient, draws from pi_old,
    /// (1/N) sum W f grad log pi_theta(y), W = pi_theta(y) / pi_old(y) the
    /// whole-sequence ratio. Unbiased.
    case isGradient
    /// `per_decision_grad`: (1/N) sum_i sum_t g_t (prod_(s<=t) r_s) sum_(s<=t) grad log pi_theta(y_s | y_(s-1)):
    /// each reward weighted by the ratios and scores of the steps up to it. Unbiased.
    case perDecisionGradient
    /// `ppo_clip_grad(eps: e)`: the gradient of PPO's clipped surrogate
    /// min(W A, clip(W, 1 - e, 1 + e) A) with the advantage A = f: W A grad log pi_theta(y),
    /// or 0 where the clip is active (A > 0 and W > 1 + e, or A < 0 and W < 1 - e). Biased;
    /// its exact expectation is computed.
    case ppoClipGradient(eps: Double)
    /// `tis_grad(cap: c)`: the truncated-IS gradient (1/N) sum min(W, c) f grad log pi_theta(y). Biased.
    case truncatedGradient(cap: Double)

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
        case .perDecision: "per_decision"
        case .perToken: "per_token"
        case .geometricMean: "gspo"
        case .tokenTruncated: "token_truncated"
        case .tokenMasked: "token_masked"
        case .reinforce: "reinforce"
        case .isGradient: "is_grad"
        case .perDecisionGradient: "per_decision_grad"
        case .ppoClipGradient: "ppo_clip_grad"
        case .truncatedGradient: "tis_grad"
        }
    }

    /// True for the gradient estimators (`reinforce`, `is_grad`, `per_decision_grad`,
    /// `ppo_clip_grad`, `tis_grad`), which estimate grad_theta E_(pi_theta)[f] and need
    /// a target with logits.
    public var isGradient: Bool { Self.gradientKeywords.contains(keyword) }

    /// True for the gradient estimators that draw from the target pi_theta (on-policy).
    public var drawsFromTarget: Bool {
        if case .reinforce = self { return true }
        return false
    }

    /// True for the estimators that weight each token by its own step's ratio
    /// (`per_decision`, `per_token`, `gspo`, `token_truncated`, `token_masked`):
    /// they need a policy scenario, whose samples are token sequences.
    public var isTokenLevel: Bool {
        switch self {
        case .perDecision, .perToken, .geometricMean, .tokenTruncated, .tokenMasked: true
        default: false
        }
    }

    /// The parameters in canonical order (empty for `is`, `snis`, `psis` and `kl_*`).
    public var parameters: [(label: String, value: Double)] {
        switch self {
        case .importanceSampling, .selfNormalized, .paretoSmoothed, .klK1, .klK2, .klK3, .perDecision, .perToken, .geometricMean,
             .isGradient, .perDecisionGradient: []
        case let .truncated(cap), let .tokenTruncated(cap), let .truncatedGradient(cap): [("cap", cap)]
        case let .clamped(low, high), let .masked(low, high), let .tokenMasked(low, high): [("low", low), ("high", high)]
        case let .ppoClip(eps), let .ppoClipGradient(eps): [("eps", eps)]
        case let .reinforce(baseline): baseline.map { [("baseline", $0)] } ?? []
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
    public static let keywords = ["is", "snis", "truncated", "masked", "ppo_clip", "psis", "kl_k1", "kl_k2", "kl_k3",
                                  "per_decision", "per_token", "gspo", "token_truncated", "token_masked",
                                  "reinforce", "is_grad", "per_decision_grad", "ppo_clip_grad", "tis_grad"]

    /// The gradient estimators' words as messages list them.
    static let gradientList = "reinforce, is_grad, per_decision_grad, ppo_clip_grad, tis_grad"

    /// The words of the gradient estimators (see ``isGradient``).
    static let gradientKeywords: Set<String> = ["reinforce", "is_grad", "per_decision_grad", "ppo_clip_grad", "tis_grad"]

    /// The words of the token-level estimators (see ``isTokenLevel``).
    static let tokenKeywords: Set<String> = ["per_decision", "per_token", "gspo", "token_truncated", "token_masked"]

    /// The words of the estimators of KL(q || p) (see ``estimatesKL``).
    static let klKeywords: Set<String> = ["kl_k1", "kl_k2", "kl_k3"]

    /// The label sets each word accepts, each in canonical order.
    static let forms: [String: [[String]]] = [
        "is": [[]], "snis": [[]], "truncated": [["cap"], ["low", "high"]],
        "masked": [["low", "high"]], "ppo_clip": [["eps"]],
        "psis": [[]], "kl_k1": [[]], "kl_k2": [[]], "kl_k3": [[]],
        "per_decision": [[]], "per_token": [[]], "gspo": [[]], "token_truncated": [["cap"]], "token_masked": [["low", "high"]],
        "reinforce": [[], ["baseline"]], "is_grad": [[]], "per_decision_grad": [[]], "ppo_clip_grad": [["eps"]],
        "tis_grad": [["cap"]],
    ]

    /// The order labels print in.
    static let labelOrder = ["cap", "low", "high", "eps", "baseline"]

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
        case ("per_decision", _): return .perDecision
        case ("per_token", _): return .perToken
        case ("gspo", _): return .geometricMean
        case ("truncated", true): return .truncated(cap: try check("cap", { $0 > 0 }, "a finite number > 0"))
        case ("token_truncated", _): return .tokenTruncated(cap: try check("cap", { $0 > 0 }, "a finite number > 0"))
        case ("ppo_clip", _): return .ppoClip(eps: try check("eps", { $0 > 0 && $0 < 1 }, "> 0 and < 1"))
        case ("reinforce", _):
            return .reinforce(baseline: values["baseline"] == nil ? nil : try check("baseline", { _ in true }, "a finite number"))
        case ("is_grad", _): return .isGradient
        case ("per_decision_grad", _): return .perDecisionGradient
        case ("ppo_clip_grad", _): return .ppoClipGradient(eps: try check("eps", { $0 > 0 && $0 < 1 }, "> 0 and < 1"))
        case ("tis_grad", _): return .truncatedGradient(cap: try check("cap", { $0 > 0 }, "a finite number > 0"))
        default:
            let low = try check("low", { $0 >= 0 }, "a finite number >= 0")
            let high = try check("high", { _ in true }, "a finite number")
            guard low < high else {
                throw ParameterError(family: keyword, parameter: "high", message: "\(keyword) needs low < high, "
                    + "got low \(canonicalNumber(low)) and high \(canonicalNumber(high))")
            }
            switch keyword {
            case "masked": return .masked(low: low, high: high)
            case "token_masked": return .tokenMasked(low: low, high: high)
            default: return .clamped(low: low, high: high)
            }
        }
    }
}

extension EstimatorSpec: CustomStringConvertible {
    /// The ``canonicalText``.
    public var description: String { canonicalText }
}
