import Testing
import ISProbability

/// Whether E_q[r^2] = ∫ p^2/q is finite, decided from `logDensityAsymptotic`
/// at every end, agrees with the exact conditions.
@Suite struct AsymptoticTests {
    /// True when 2 log p - log q is integrable at ±infinity and on both sides of
    /// every critical point of p and q (where p vanishes the end is skipped;
    /// where p is positive but q vanishes the ratio is infinite).
    static func secondMomentIsFinite(_ p: Distribution, _ q: Distribution) -> Bool {
        var ends: [(Double, Side)] = [(.infinity, .below), (-.infinity, .above)]
        for c in Set(p.criticalPoints + q.criticalPoints) { ends += [(c, .below), (c, .above)] }
        for (point, side) in ends {
            guard let a = p.logDensityAsymptotic(at: point, from: side) else { continue }
            guard let b = q.logDensityAsymptotic(at: point, from: side) else { return false }
            if !(2 * a + (-1) * b).isIntegrable(nearFinitePoint: point.isFinite) { return false }
        }
        return true
    }

    struct Pair: Sendable, CustomTestStringConvertible {
        let p: Distribution, q: Distribution, finite: Bool
        var testDescription: String { "p = \(p), q = \(q): \(finite ? "finite" : "infinite")" }
    }

    static func normals(_ mp: Double, _ sp: Double, _ mq: Double, _ sq: Double) -> Pair {
        try! Pair(p: .normal(mean: mp, sd: sp), q: .normal(mean: mq, sd: sq), finite: 2 * sq * sq > sp * sp)
    }

    static let pairs: [Pair] = try! [
        // Gaussian: finite iff 2 sq^2 > sp^2, on both sides of and at the border.
        normals(0, 1, 0, 1), normals(0, 1, 0, 2), normals(1, 1, 0, 0.8), normals(0, 2, 0, 1),
        normals(0, 1, 0, 0.7072), normals(0, 1, 0, 0.7070), normals(3, 1, -1, 0.7072), normals(3, 1, -1, 0.7070),
        Pair(p: .normal(mean: 0, sd: 1), q: .normal(mean: 0, sd: 0.5.squareRoot()), finite: false),
        Pair(p: .normal(mean: 1, sd: 1), q: .normal(mean: 0, sd: 0.5.squareRoot()), finite: false),
        Pair(p: .normal(mean: 0, sd: 2), q: .normal(mean: 0, sd: 2.0.squareRoot()), finite: false),
        // Laplace, same location: finite iff bq > bp/2.
        Pair(p: .laplace(loc: 0, scale: 1), q: .laplace(loc: 0, scale: 0.4), finite: false),
        Pair(p: .laplace(loc: 0, scale: 1), q: .laplace(loc: 0, scale: 0.5), finite: false),
        Pair(p: .laplace(loc: 0, scale: 1), q: .laplace(loc: 0, scale: 0.6), finite: true),
        Pair(p: .laplace(loc: 2, scale: 1), q: .laplace(loc: 2, scale: 3), finite: true),
        // Exponential: finite iff lq < 2 lp.
        Pair(p: .exponential(rate: 1), q: .exponential(rate: 0.5), finite: true),
        Pair(p: .exponential(rate: 1), q: .exponential(rate: 1.99), finite: true),
        Pair(p: .exponential(rate: 1), q: .exponential(rate: 2), finite: false),
        Pair(p: .exponential(rate: 1), q: .exponential(rate: 2.5), finite: false),
        // Student-t: finite iff nu_q < 2 nu_p (border: p^2/q ~ 1/|x|).
        Pair(p: .studentT(df: 3), q: .studentT(df: 1), finite: true),
        Pair(p: .studentT(df: 3), q: .studentT(df: 5.9), finite: true),
        Pair(p: .studentT(df: 3), q: .studentT(df: 6), finite: false),
        Pair(p: .studentT(df: 3), q: .studentT(df: 7), finite: false),
        // Light target behind a heavy proposal and the reverse.
        Pair(p: .normal(mean: 0, sd: 1), q: .studentT(df: 3), finite: true),
        Pair(p: .normal(mean: 5, sd: 10), q: .cauchy(loc: 0, scale: 1), finite: true),
        Pair(p: .studentT(df: 3), q: .normal(mean: 0, sd: 1), finite: false),
        Pair(p: .cauchy(loc: 0, scale: 1), q: .normal(mean: 0, sd: 100), finite: false),
        // Gamma shapes at 0: p^2/q ~ x^(2 kp - kq - 1), integrable iff 2 kp - kq > 0.
        Pair(p: .gamma(shape: 0.5, scale: 1), q: .gamma(shape: 2, scale: 1), finite: false),
        Pair(p: .gamma(shape: 2, scale: 1), q: .gamma(shape: 0.5, scale: 1), finite: true),
        Pair(p: .gamma(shape: 1.2, scale: 1), q: .gamma(shape: 1.5, scale: 1), finite: true),
        Pair(p: .gamma(shape: 0.6, scale: 1), q: .gamma(shape: 1.5, scale: 1), finite: false),
        // Support mismatches: q vanishing where p lives is infinite, the reverse is fine.
        Pair(p: .normal(mean: 0, sd: 1), q: .exponential(rate: 1), finite: false),
        Pair(p: .uniform(low: 0, high: 1), q: .normal(mean: 0, sd: 1), finite: true),
        Pair(p: .beta(a: 2, b: 2), q: .uniform(low: 0, high: 1), finite: true),
        Pair(p: .beta(a: 0.5, b: 2), q: .uniform(low: 0, high: 1), finite: false),
        // Mixture proposals: a defensive heavy component rescues a light one.
        Pair(p: .normal(mean: 0, sd: 2),
             q: .mixture([(0.9, .normal(mean: 0, sd: 1)), (0.1, .studentT(df: 3))]), finite: true),
        Pair(p: .normal(mean: 0, sd: 2),
             q: .mixture([(0.9, .normal(mean: 0, sd: 1)), (0.1, .normal(mean: 5, sd: 1))]), finite: false),
    ]

    /// The asymptotic decision equals the exact finiteness condition.
    @Test(arguments: pairs)
    func finitenessDecision(_ c: Pair) {
        #expect(Self.secondMomentIsFinite(c.p, c.q) == c.finite)
    }

    /// The gamma endpoint decision happens at the critical point 0, from above:
    /// p = gamma(0.5, 1), q = gamma(2, 1) gives p^2/q ~ x^-2 there.
    @Test func gammaEndpointViaCriticalPoints() throws {
        let p = try Distribution.gamma(shape: 0.5, scale: 1), q = try Distribution.gamma(shape: 2, scale: 1)
        #expect(p.criticalPoints == [0] && q.criticalPoints == [0])
        let a = try #require(p.logDensityAsymptotic(at: 0, from: .above))
        let b = try #require(q.logDensityAsymptotic(at: 0, from: .above))
        #expect(p.logDensityAsymptotic(at: 0, from: .below) == nil)
        let g = 2 * a + (-1) * b
        #expect(g == Asymptotic(log: 2))
        #expect(!g.isIntegrable(nearFinitePoint: true))
        let pTail = try #require(p.logDensityAsymptotic(at: .infinity, from: .below))
        let qTail = try #require(q.logDensityAsymptotic(at: .infinity, from: .below))
        let tail = 2 * pTail + (-1) * qTail
        #expect(tail.isIntegrable(nearFinitePoint: false))
    }

    /// The algebra of leading terms: integrability thresholds, cancellation at
    /// the 1e-12 level, dominance, and the text form.
    @Test func asymptoticAlgebra() {
        #expect(Asymptotic(log: -1.0001).isIntegrable(nearFinitePoint: false))
        #expect(!Asymptotic(log: -1).isIntegrable(nearFinitePoint: false))
        #expect(!Asymptotic.bounded.isIntegrable(nearFinitePoint: false))
        #expect(Asymptotic.bounded.isIntegrable(nearFinitePoint: true))
        #expect(Asymptotic(log: 0.999).isIntegrable(nearFinitePoint: true))
        #expect(!Asymptotic(log: 1).isIntegrable(nearFinitePoint: true))
        #expect(Asymptotic(powers: [0.5: -1e-9], log: 100).isIntegrable(nearFinitePoint: false))
        #expect(!Asymptotic(logSquared: 1e-9, log: -100).isIntegrable(nearFinitePoint: false))
        #expect(Asymptotic(logSquared: -1e-9, log: 100).isIntegrable(nearFinitePoint: true))
        let a = Asymptotic(powers: [2: 1 / (0.5.squareRoot() * 0.5.squareRoot())])
        #expect((a + Asymptotic(powers: [2: -2])).powers.isEmpty)
        let kept = (Asymptotic(powers: [2: 1]) + Asymptotic(powers: [2: -1 + 1e-9])).powers[2]
        #expect(kept.map { abs($0 - 1e-9) < 1e-15 } == true, "a 1e-9 difference is real, not cancellation")
        #expect(Asymptotic.dominant(Asymptotic(log: -2), Asymptotic(powers: [1: -1])) == Asymptotic(log: -2))
        #expect(Asymptotic(powers: [2: -0.5, 1: 3], log: -1).description == "-0.5 t^2 + 3 t^1 + -1 log t")
        #expect(Asymptotic.bounded.description == "O(1)")
        #expect((0 * Asymptotic(log: 3)) == .bounded && (-Asymptotic(log: 3)).log == -3)
        #expect(Asymptotic(log: 3).trend == 1 && Asymptotic(powers: [1: -1], log: 9).trend == -1)
    }

    /// Per-family leading behaviour (hand-derived) at the ends that matter.
    @Test func familyTails() throws {
        #expect(try Distribution.normal(mean: 1, sd: 2).logDensityAsymptotic(at: -.infinity, from: .above)
                == Asymptotic(powers: [2: -0.125, 1: -0.25]))
        #expect(try Distribution.lognormal(meanlog: 1, sdlog: 0.5).logDensityAsymptotic(at: 0, from: .above)
                == Asymptotic(logSquared: -2, log: -3))
        #expect(try Distribution.beta(a: 2, b: 0.5).logDensityAsymptotic(at: 1, from: .below) == Asymptotic(log: 0.5))
        #expect(try Distribution.weibull(shape: 2, scale: 2).logDensityAsymptotic(at: .infinity, from: .below)
                == Asymptotic(powers: [2: -0.25], log: 1))
        #expect(try Distribution.uniform(low: 0, high: 1).logDensityAsymptotic(at: 2, from: .below) == nil)
        #expect(try Distribution.exponential(rate: 1).logDensityAsymptotic(at: -.infinity, from: .above) == nil)
        let m = try Distribution.mixture([(0.5, .normal(mean: 0, sd: 1)), (0.5, .normal(mean: 0, sd: 3))])
        #expect(m.logDensityAsymptotic(at: .infinity, from: .below) == Asymptotic(powers: [2: -1.0 / 18]))
    }
}
