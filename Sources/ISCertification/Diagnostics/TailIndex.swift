import ISProbability
import ISScenario

/// The exact tail index of the ratio r = p/q under q, from the asymptotics of p and q.
///
/// E_q[r^a] is finite iff a < 1/k, so k = 1/a* with a* = sup{a : E_q[r^a] < inf}.
/// a* is found by bisection on the analytic finiteness decision (no quadrature),
/// which reproduces the closed forms: Gaussian 1 - sq^2/sp^2, Laplace 1 - bq/bp,
/// exponential 1 - lp/lq, Student-t 1 - nu_p/nu_q, and extends to every pair of
/// families and mixtures. k = 0 means every moment is finite: the ratio is bounded,
/// or its tail is lighter than any power (a lognormal-like ratio).
public enum TailIndex {
    /// The largest power bisected to; beyond it k is reported as 0.
    static let maxPower = 1000.0

    static func exact(_ m: MomentIntegrator) -> Moment {
        func finite(_ a: Double) -> Bool? {
            switch m.finiteness(a: a, b: 0, region: .behavior) {
            case nil: return true
            case .infinite?: return false
            default: return nil
            }
        }
        guard let atMax = finite(maxPower) else { return .undetermined(reason: "the finiteness of E_q[r^a] could not be decided") }
        if atMax { return .finite(0, error: 0) }
        var lo = 1.0, hi = maxPower
        guard finite(lo) ?? false else { return .finite(1, error: 0) }
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            guard let ok = finite(mid) else { return .undetermined(reason: "the finiteness of E_q[r^\(mid)] could not be decided") }
            if ok { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 * hi { break }
        }
        return .finite(1 / ((lo + hi) / 2), error: (hi - lo) / (lo * lo))
    }

    /// The k-hat reliability threshold min(1 - 1/log10(S), 0.7) for S draws.
    public static func threshold(samples s: Int) -> Double {
        Swift.min(1 - 1 / log10(Double(s)), 0.7)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
