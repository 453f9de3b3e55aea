/// The leading behaviour of a log-function near one end of an interval.
///
/// Near an infinite end let t = |x|; near a finite point c let t = 1/|x - c|.
/// Then, as t → ∞,
///
///     log g(x) = sum_k powers[k] * t^k + logSquared * (log t)^2 + log * log t + O(1)
///
/// with every k > 0. Enough to decide whether an integral of g converges at that
/// end without evaluating g there, which is how iscert decides that a moment is
/// infinite instead of trusting a quadrature that quietly returns a finite number.
public struct Asymptotic: Sendable, Hashable, CustomStringConvertible {
    public var powers: [Double: Double]
    public var logSquared: Double
    public var log: Double

    public init(powers: [Double: Double] = [:], logSquared: Double = 0, log: Double = 0) {
        self.powers = powers.filter { $0.value != 0 }
        self.logSquared = logSquared
        self.log = log
    }

    /// A function that stays between two positive constants.
    public static let bounded = Asymptotic()

    /// Coefficients that cancel to within this fraction of their inputs count as
    /// cancelled exactly: `1/sq^2` for sq = sqrt(1/2) written in decimal is
    /// 2.0000000000000004, and the borderline 2 sq^2 = sp^2 must stay borderline.
    static let cancellation = 1e-12

    private static func add(_ a: Double, _ b: Double) -> Double {
        let c = a + b
        return abs(c) <= cancellation * Swift.max(abs(a), abs(b)) ? 0 : c
    }

    public static func + (a: Asymptotic, b: Asymptotic) -> Asymptotic {
        var p = a.powers
        for (k, c) in b.powers { p[k] = add(p[k] ?? 0, c) }
        return Asymptotic(powers: p, logSquared: add(a.logSquared, b.logSquared), log: add(a.log, b.log))
    }

    public static func * (s: Double, a: Asymptotic) -> Asymptotic {
        if s == 0 { return .bounded }
        return Asymptotic(powers: a.powers.mapValues { s * $0 }, logSquared: s * a.logSquared, log: s * a.log)
    }

    public static prefix func - (a: Asymptotic) -> Asymptotic { -1 * a }

    /// The terms from fastest to slowest growing: powers by descending exponent,
    /// then (log t)^2, then log t; zero coefficients left out.
    public var terms: [(scale: String, coefficient: Double)] {
        var out = powers.keys.sorted(by: >).map { (scale: "t^\(canonicalNumber($0))", coefficient: powers[$0]!) }
        if logSquared != 0 { out.append((scale: "(log t)^2", coefficient: logSquared)) }
        if log != 0 { out.append((scale: "log t", coefficient: log)) }
        return out
    }

    /// +1 if the function grows without bound, -1 if it decays to 0, 0 if bounded.
    public var trend: Int {
        guard let first = terms.first else { return 0 }
        return first.coefficient > 0 ? 1 : -1
    }

    /// Whichever of the two grows faster (either, when they agree to O(1)).
    public static func dominant(_ a: Asymptotic, _ b: Asymptotic) -> Asymptotic {
        (a + (-b)).trend >= 0 ? a : b
    }

    /// Whether the integral of g = exp(this) converges at this end.
    ///
    /// - Parameter finitePoint: true near a finite point c, where dx = dt / t^2
    ///   adds -2 log t; false at an infinite end, where dx = dt.
    /// Converges iff the integrand in t decays faster than 1/t: its leading term is
    /// a power or (log t)^2 with a negative coefficient, or only a log term with
    /// coefficient < -1 remains. A bounded integrand or 1/t diverges.
    public func isIntegrable(nearFinitePoint finitePoint: Bool) -> Bool {
        let g = finitePoint ? self + Asymptotic(log: -2) : self
        if let first = g.terms.first, first.scale != "log t" { return first.coefficient < 0 }
        return g.log < -1
    }

    public var description: String {
        let t = terms
        if t.isEmpty { return "O(1)" }
        return t.map { "\(canonicalNumber($0.coefficient)) \($0.scale)" }.joined(separator: " + ")
    }
}

/// Which side of a point an integral approaches it from.
public enum Side: Sendable, Hashable {
    /// From below: x → c-, or x → +infinity.
    case below
    /// From above: x → c+, or x → -infinity.
    case above
}

extension Distribution {
    /// The leading behaviour of the log-density as x approaches `point` from `side`
    /// (point may be ±infinity), or nil when the density is zero on that side.
    public func logDensityAsymptotic(at point: Double, from side: Side) -> Asymptotic? {
        if case let .mixture(components) = family {
            // The log of a mixture is the log of its dominant component plus O(1).
            let parts = components.compactMap { $0.distribution.logDensityAsymptotic(at: point, from: side) }
            return parts.dropFirst().reduce(parts.first) { Asymptotic.dominant($0!, $1) }
        }
        let (lo, hi) = support
        if point == .infinity { return hi == .infinity ? upperTail : nil }
        if point == -.infinity { return lo == -.infinity ? lowerTail : nil }
        switch side {
        case .below:
            if point <= lo { return nil }
            if point < hi { return .bounded }
            return point == hi ? upperEndpoint : nil
        case .above:
            if point >= hi { return nil }
            if point > lo { return .bounded }
            return point == lo ? lowerEndpoint : nil
        }
    }

    private var upperTail: Asymptotic {
        switch family {
        case let .normal(m, s): return Asymptotic(powers: [2: -0.5 / (s * s), 1: m / (s * s)])
        case let .studentT(nu, _, _): return Asymptotic(log: -(nu + 1))
        case let .laplace(_, b): return Asymptotic(powers: [1: -1 / b])
        case let .exponential(rate): return Asymptotic(powers: [1: -rate])
        case let .gamma(k, theta): return Asymptotic(powers: [1: -1 / theta], log: k - 1)
        case let .chiSquared(nu): return Asymptotic(powers: [1: -0.5], log: nu / 2 - 1)
        case let .lognormal(mu, sigma): return Asymptotic(logSquared: -0.5 / (sigma * sigma), log: mu / (sigma * sigma) - 1)
        case .cauchy: return Asymptotic(log: -2)
        case let .logistic(_, s): return Asymptotic(powers: [1: -1 / s])
        case let .weibull(k, lambda): return Asymptotic(powers: [k: -pow(lambda, -k)], log: k - 1)
        case .beta, .uniform, .mixture: return .bounded
        }
    }

    private var lowerTail: Asymptotic {
        switch family {
        case let .normal(m, s): return Asymptotic(powers: [2: -0.5 / (s * s), 1: -m / (s * s)])
        default: return upperTail  // the other two-sided families are symmetric to O(1)
        }
    }

    private var upperEndpoint: Asymptotic {
        if case let .beta(_, b) = family { return Asymptotic(log: 1 - b) }
        return .bounded
    }

    private var lowerEndpoint: Asymptotic {
        switch family {
        case let .gamma(k, _): return Asymptotic(log: 1 - k)
        case let .chiSquared(nu): return Asymptotic(log: 1 - nu / 2)
        case let .weibull(k, _): return Asymptotic(log: 1 - k)
        case let .beta(a, _): return Asymptotic(log: 1 - a)
        case let .lognormal(mu, sigma): return Asymptotic(logSquared: -0.5 / (sigma * sigma), log: 1 - mu / (sigma * sigma))
        default: return .bounded
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
