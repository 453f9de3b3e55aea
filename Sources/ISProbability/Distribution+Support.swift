#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Distribution {
    /// The closure of the set where the density is positive: [lower, upper],
    /// with infinite ends where the support is unbounded.
    public var support: (lower: Double, upper: Double) {
        switch family {
        case .normal, .studentT, .laplace, .cauchy, .logistic: return (-.infinity, .infinity)
        case .exponential, .gamma, .lognormal, .weibull, .chiSquared: return (0, .infinity)
        case .beta: return (0, 1)
        case let .uniform(low, high): return (low, high)
        case let .mixture(components):
            let s = components.map(\.distribution.support)
            return (s.map(\.lower).min()!, s.map(\.upper).max()!)
        }
    }

    /// Every finite point where the density may jump, vanish or diverge: the
    /// finite support endpoints of the distribution (of each component, for a mixture).
    public var criticalPoints: [Double] {
        if case let .mixture(components) = family {
            return Array(Set(components.flatMap(\.distribution.criticalPoints))).sorted()
        }
        let s = support
        return [s.lower, s.upper].filter(\.isFinite)
    }

    /// Points that bracket where the probability mass lies: location, and location
    /// plus and minus a few scales. Quadrature uses them as breakpoints so that
    /// no part of the mass hides between two far-apart nodes.
    public var landmarks: [Double] {
        func around(_ c: Double, _ s: Double) -> [Double] {
            [-40.0, -20, -8, -3, -1, 0, 1, 3, 8, 20, 40].map { c + $0 * s }
        }
        let raw: [Double]
        switch family {
        case let .normal(m, s): raw = around(m, s)
        case let .studentT(_, loc, scale), let .laplace(loc, scale),
             let .cauchy(loc, scale), let .logistic(loc, scale):
            raw = around(loc, scale)
        case let .exponential(rate): raw = [0.1, 0.5, 1, 3, 8, 20, 40].map { $0 / rate }
        case let .gamma(k, theta): raw = [0.01, 0.1, 0.5, 1, 2, 4, 8, 16, 40].map { $0 * Swift.max(k, 1) * theta }
        case let .chiSquared(nu): raw = [0.01, 0.1, 0.5, 1, 2, 4, 8, 16, 40].map { $0 * Swift.max(nu, 2) }
        case .beta: raw = [1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-3, 1 - 1e-6]
        case let .lognormal(mu, sigma):
            raw = [-8.0, -3, -1, 0, 1, 3, 8, 16].map { (mu + $0 * sigma).clampedExp }
        case let .uniform(low, high): raw = [low, (low + high) / 2, high]
        case let .weibull(_, lambda): raw = [0.01, 0.1, 0.5, 1, 2, 4, 8, 16].map { $0 * lambda }
        case let .mixture(components): raw = components.flatMap(\.distribution.landmarks)
        }
        let s = support
        return Array(Set(raw.filter { $0.isFinite && $0 >= s.lower && $0 <= s.upper })).sorted()
    }
}

extension Double {
    fileprivate var clampedExp: Double { exp(Swift.min(self, 700)) }
}

extension Distribution {
    /// The support as a union of disjoint closed intervals, in order: one interval
    /// for a simple family; for a mixture, its components' supports merged, so that
    /// a gap between components is a gap.
    public var supportIntervals: [(lower: Double, upper: Double)] {
        guard case let .mixture(components) = family else { return [support] }
        let all = components.map(\.distribution.support).sorted { $0.lower < $1.lower }
        var merged: [(lower: Double, upper: Double)] = []
        for s in all {
            if let last = merged.last, s.lower <= last.upper {
                merged[merged.count - 1].upper = Swift.max(last.upper, s.upper)
            } else {
                merged.append(s)
            }
        }
        return merged
    }
}
