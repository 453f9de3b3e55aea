import ISScenario

/// The draws of one trial, as an estimator sees them.
public struct TrialDraws {
    /// log r_i = log p(x_i) - log q(x_i). Always finite or -inf where p = 0.
    public let logRatios: UnsafeBufferPointer<Double>
    /// r_i = exp(log r_i): +inf where that overflows, so code that must stay
    /// finite (a mask, a cap) should decide on `logRatios`.
    public let ratios: UnsafeBufferPointer<Double>
    /// f(x_i); for a token sequence, its reward sum_t g_t.
    public let values: UnsafeBufferPointer<Double>
    /// For a policy scenario: each sequence's tokens (nil for continuous draws).
    public let tokens: TokenDraws?

    public init(logRatios: UnsafeBufferPointer<Double>, ratios: UnsafeBufferPointer<Double>,
                values: UnsafeBufferPointer<Double>, tokens: TokenDraws? = nil) {
        self.logRatios = logRatios
        self.ratios = ratios
        self.values = values
        self.tokens = tokens
    }

    public var count: Int { values.count }
}

/// The tokens of a trial's N sequences of T, row by row: sequence i's token t at
/// index i * T + t. `logRatios` and `ratios` of ``TrialDraws`` are then the
/// whole sequence's, log W = sum_t log r_t.
public struct TokenDraws {
    /// T, tokens per sequence.
    public let length: Int
    /// log r_t = log p(y_t | y_(t-1)) - log q(y_t | y_(t-1)).
    public let logRatios: UnsafeBufferPointer<Double>
    /// g_t: the reward token t contributes (f(y_t), or 0 for tokens the reward does
    /// not score); the sequence's reward is sum_t g_t.
    public let rewards: UnsafeBufferPointer<Double>

    public init(length: Int, logRatios: UnsafeBufferPointer<Double>, rewards: UnsafeBufferPointer<Double>) {
        self.length = length
        self.logRatios = logRatios
        self.rewards = rewards
    }
}

/// One step of an estimator that is built token by token: with W the running
/// weight and X the running per-sequence term (W_0 = 1, X_0 = 0),
///     W' = rho W,   X' = a X + b W + e,
/// and the sequence contributes X_T. Whole-sequence IS is rho = r, a = r, b = r g;
/// per-decision IS is rho = r, a = 1, b = r g; the per-token ratio is e = r g.
/// Exact moments then follow by a forward recursion over any T.
public struct TokenStep: Sendable {
    public var rho: Double, a: Double, b: Double, e: Double
    public init(rho: Double = 1, a: Double = 1, b: Double = 0, e: Double = 0) {
        self.rho = rho; self.a = a; self.b = b; self.e = e
    }
}

/// An estimator of E_p[f] from one trial's draws, certified against its own
/// mathematical specification.
///
/// `estimate` is the implementation under test; `specification` is the
/// mathematics it claims to implement, from which iscert computes the exact
/// expectation, variance and higher moments of one trial's estimate. A
/// certification then tests the implementation against that specification, and
/// reports the specification's bias against E_p[f]. Plug in your own estimator by
/// conforming to this protocol and passing it to ``Certifier/certify(_:estimators:thresholds:drawFrom:)``.
public protocol Estimator: Sendable {
    /// The name in reports, e.g. `truncated(cap: 2)`.
    var name: String { get }
    /// One trial's estimate.
    func estimate(_ draws: TrialDraws) -> Double
    /// What `estimate` computes, mathematically.
    var specification: EstimatorSpecification { get }
}

/// The mathematical form of an estimator.
public struct EstimatorSpecification: Sendable {
    public enum Form: Sendable {
        /// (1/N) sum h(log r_i, f_i): ordinary, truncated, masked and clipped IS.
        case sampleMean(@Sendable (_ logRatio: Double, _ value: Double) -> Double)
        /// sum u_i / sum v_i with v > 0: self-normalised IS is u = r (f - c),
        /// v = r, shifted by c = `center` (the ratio's value does not depend on c;
        /// its exact moments are computed about c, which keeps their digits).
        case ratio(numerator: @Sendable (_ logRatio: Double, _ value: Double, _ center: Double) -> Double,
                   denominator: @Sendable (_ logRatio: Double) -> Double)
        /// No form iscert can compute exact moments for (Pareto-smoothed IS, whose
        /// weights depend on the order statistics of the whole trial). Its checks
        /// compare with the scenario's simulated reference when
        /// ``EstimatorSpecification/simulatedReference`` names one, and do not
        /// apply otherwise.
        case none(reason: String)
    }

    /// What the estimator estimates.
    public enum Estimand: Sendable, Hashable {
        /// E_p[f].
        case targetMean
        /// KL(q || p) = E_q[-log r]: the divergence RL frameworks log (k1, k2, k3).
        case klBehaviorToTarget
    }

    public var form: Form
    /// Ratio values where h changes abruptly (a cap, the edges of a band). Exact
    /// quadrature splits where r crosses them.
    public var ratioThresholds: [Double]
    /// |h(r, f)| <= C (1 + r^growth) |f| with growth 0 (bounded weights) or 1.
    public var ratioGrowth: Int
    /// Whether the bound is attained, so that an infinite bound means an infinite moment.
    public var growthIsTight: Bool
    /// Whether the estimator claims to be unbiased for E_p[f] (ordinary IS). Its
    /// mean check then compares with E_p[f], so that a support violation, where
    /// the form's own expectation E_q[r f] differs from E_p[f], fails. Otherwise
    /// the mean check compares with the form's own exact expectation and the bias
    /// against E_p[f] is reported beside it.
    public var claimsUnbiased: Bool
    /// What the estimator estimates; `claimsUnbiased` refers to it.
    public var estimand: Estimand
    /// Decide the finiteness of the per-sample term's moments from the integrand
    /// itself (the numerical tail test at every end), for terms that do not follow
    /// |h| <= C (1 + r^growth) |f|, like -log r.
    public var finitenessFromIntegrand: Bool
    /// For token sequences: the estimator's per-sequence term as a ``TokenStep``
    /// recursion in (log r_t, g_t, t, T), t = 0 ..< T. Estimators without one
    /// (self-normalised, sequence-level truncation and masking) need the joint law
    /// of (W, f), which iscert has by enumeration only.
    public var tokenStep: (@Sendable (_ logRatio: Double, _ reward: Double, _ position: Int, _ length: Int) -> TokenStep)?
    /// For a form without exact moments: the estimator whose simulated reference
    /// in the scenario (`reference psis = simulation(...)`) this one claims to
    /// match. Its mean and variance checks are then two-sample tests against that
    /// independent simulation (``Checks/simulatedMean``); nil for the others.
    public var simulatedReference: EstimatorSpec?

    public init(form: Form, ratioThresholds: [Double] = [], ratioGrowth: Int, growthIsTight: Bool,
                claimsUnbiased: Bool = false, estimand: Estimand = .targetMean, finitenessFromIntegrand: Bool = false) {
        self.form = form
        self.ratioThresholds = ratioThresholds
        self.ratioGrowth = ratioGrowth
        self.growthIsTight = growthIsTight
        self.claimsUnbiased = claimsUnbiased
        self.estimand = estimand
        self.finitenessFromIntegrand = finitenessFromIntegrand
        self.tokenStep = nil
        self.simulatedReference = nil
    }
}
