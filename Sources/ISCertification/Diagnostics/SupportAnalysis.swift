import ISProbability
import ISScenario

/// Where q cannot reach p f: the support condition of importance sampling.
///
/// IS is unbiased only if q(x) > 0 wherever p(x) f(x) != 0. Decided from the
/// supports of p and q (mixtures as unions of their components' supports) and
/// from f itself: each interval where p > 0 and q = 0 is integrated for the mass
/// of p |f| there. A violation is a region with positive mass; an interval where
/// f vanishes (f = (x < 1) beyond 1) is not one. The weights cannot show this:
/// they look healthy on the draws q does make.
public struct SupportAnalysis: Sendable {
    /// A region q never draws from, and the mass of p |f| in it.
    public struct Region: Sendable, Hashable {
        public let lower: Double
        public let upper: Double
        public let mass: Moment
    }

    /// Every region where p > 0 and q = 0, with its mass (including zero-mass ones).
    public let regions: [Region]

    /// Masses at or below this fraction of E_p[|f|] (and 1e-300) count as zero.
    public static let negligible = 1e-12

    /// The regions that make IS biased.
    public func violations(scale: Double) -> [Region] {
        regions.filter { r in
            switch r.mass {
            case let .finite(m, _): return m > Swift.max(Self.negligible * scale, 1e-300)
            case .infinite: return true
            case .undetermined: return true
            }
        }
    }

    init(regions: [Region]) {
        self.regions = regions
    }

    init(integrator m: MomentIntegrator) {
        let q = m.behavior.supportIntervals
        var out: [Region] = []
        for p in m.target.supportIntervals {
            // p's interval minus every interval of q.
            var pieces = [(p.lower, p.upper)]
            for s in q {
                pieces = pieces.flatMap { piece -> [(Double, Double)] in
                    var rest: [(Double, Double)] = []
                    if piece.0 < s.lower { rest.append((piece.0, Swift.min(piece.1, s.lower))) }
                    if piece.1 > s.upper { rest.append((Swift.max(piece.0, s.upper), piece.1)) }
                    return rest.filter { $0.0 < $0.1 }
                }
            }
            for (a, b) in pieces {
                let f = m.f, lp = m.logP
                let mass: Moment
                do {
                    let r = try Quadrature.integrate({ x in
                        let v = abs(f.evaluate(at: x))
                        return v == 0 ? 0 : exp(lp(x) + log(v))
                    }, from: a, to: b, breakpoints: m.breakpoints, relativeTolerance: 1e-10)
                    mass = .finite(r.value, error: r.absoluteError)
                } catch {
                    mass = .undetermined(reason: "\(error)")
                }
                out.append(Region(lower: a, upper: b, mass: mass))
            }
        }
        regions = out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
