/// One of the checks a certification runs, as named in `expect = fail(...)`.
///
/// Raw values are the names the language and the reports use; they never
/// change. ``allCases`` is the order canonical text lists checks in.
public enum CheckName: String, Sendable, Hashable, CaseIterable, Codable {
    case mean, variance, ess
    /// An estimator's claim to a lower mean squared error than ordinary IS.
    case mse
    /// Across a sweep over N: the 1/N decay of self-normalised IS's bias.
    case biasSlope = "bias_slope"
    /// The mean Pareto k-hat over the trials matches the exact tail index
    /// of the importance weights.
    case khat
    /// A gradient estimator: the trace of its covariance over trials matches the
    /// exact tr Cov = (E||h||^2 - ||E h||^2) / N.
    case trace
    /// A gradient estimator's per-sample term equals, for every sequence, the
    /// derivative of the surrogate loss RL code writes for it (forward-mode dual numbers).
    case surrogate
    /// The exact gradient of J agrees with central differences of the exact J.
    case exactGradient = "exact_gradient"
    /// On fixed trials with log r = ±1000, 710 and -inf, the estimate is finite
    /// wherever its specification's value is (inf x 0 = NaN and its kin).
    case extremeWeights = "extreme_weights"
}

/// The exact set of outcomes a scenario's author expects the certification
/// to observe: the certification is met only if the outcomes that happen are
/// exactly these, no more and no fewer.
///
/// An outcome is one of: the importance weights have infinite variance
/// (`infinite_variance`); q misses part of p's support where it matters
/// (`support_violation`); the Pareto k-hat of the weights is above the
/// reliability threshold (`khat_above_threshold`); a set of checks fails
/// (`fail(check, ...)`). ``pass`` is the empty set: nothing unusual happens
/// and every check passes.
///
/// In a file: `expect = pass`, `expect = infinite_variance`,
/// `expect = infinite_variance, khat_above_threshold`,
/// `expect = support_violation, fail(mean)`.
public struct ExpectedOutcome: Sendable, Hashable {
    /// The weights (hence the estimator) have infinite variance.
    public var infiniteVariance: Bool
    /// q puts no mass where p f does not vanish, so IS misses part of E_p[f].
    public var supportViolation: Bool
    /// The Pareto k-hat of the weights is above the reliability threshold.
    public var khatAboveThreshold: Bool
    /// Exactly these checks fail; empty when none may.
    public var failing: Set<CheckName>

    /// A set of outcomes; the default is ``pass``.
    public init(infiniteVariance: Bool = false, supportViolation: Bool = false, khatAboveThreshold: Bool = false,
                failing: Set<CheckName> = []) {
        self.infiniteVariance = infiniteVariance
        self.supportViolation = supportViolation
        self.khatAboveThreshold = khatAboveThreshold
        self.failing = failing
    }

    /// No outcome: nothing unusual happens and no check fails.
    public static let pass = ExpectedOutcome()

    /// Infinite variance alone (no check may fail).
    public static let infiniteVariance = ExpectedOutcome(infiniteVariance: true)

    /// Exactly `checks` fail, nothing else unusual happens. `fail([])` is ``pass``.
    public static func fail(_ checks: Set<CheckName>) -> ExpectedOutcome {
        ExpectedOutcome(failing: checks)
    }

    /// True for the empty set, ``pass``.
    public var isPass: Bool { self == .pass }

    /// `pass`, or the outcomes comma-separated in the fixed order
    /// `infinite_variance`, `support_violation`, `khat_above_threshold`,
    /// `fail(...)`, checks in ``CheckName/allCases`` order:
    /// `infinite_variance, khat_above_threshold`, `support_violation, fail(mean, ess)`.
    public var canonicalText: String {
        var parts: [String] = []
        if infiniteVariance { parts.append(Word.infiniteVariance.rawValue) }
        if supportViolation { parts.append(Word.supportViolation.rawValue) }
        if khatAboveThreshold { parts.append(Word.khatAboveThreshold.rawValue) }
        if !failing.isEmpty {
            parts.append("fail(" + CheckName.allCases.filter(failing.contains).map(\.rawValue).joined(separator: ", ") + ")")
        }
        return parts.isEmpty ? Word.pass.rawValue : parts.joined(separator: ", ")
    }

    /// The words of `expect`, in canonical order.
    enum Word: String, CaseIterable {
        case pass
        case infiniteVariance = "infinite_variance"
        case supportViolation = "support_violation"
        case khatAboveThreshold = "khat_above_threshold"
        case fail
    }
}

extension ExpectedOutcome: CustomStringConvertible {
    /// The ``canonicalText``.
    public var description: String { canonicalText }
}
