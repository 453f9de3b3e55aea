import Testing
import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `Quadrature.integrate` on importance-sampling second moments with closed forms.
@Suite struct QuadratureTests {
    struct RatioCase: Sendable, CustomTestStringConvertible {
        let p: Distribution, q: Distribution
        /// The integrand is p^2/q times x^xPower (f = x^(xPower/2)).
        let xPower: Int
        let expected: Double
        var testDescription: String { "E_q[r^2 x^\(xPower)], p = \(p), q = \(q)" }
    }

    static func gaussian(_ mp: Double, _ sp: Double, _ mq: Double, _ sq: Double) -> RatioCase {
        let a = 2 * sq * sq - sp * sp, dm = mp - mq
        return try! RatioCase(p: .normal(mean: mp, sd: sp), q: .normal(mean: mq, sd: sq), xPower: 0,
                              expected: sq * sq / (sp * a.squareRoot()) * exp(dm * dm / a))
    }

    static func laplaceScales(_ bp: Double, _ bq: Double, at loc: Double) -> RatioCase {
        try! RatioCase(p: .laplace(loc: loc, scale: bp), q: .laplace(loc: loc, scale: bq), xPower: 0,
                       expected: bq * bq / (bp * (2 * bq - bp)))
    }

    static func laplaceShift(_ m: Double, scale b: Double) -> RatioCase {
        try! RatioCase(p: .laplace(loc: m, scale: b), q: .laplace(loc: 0, scale: b), xPower: 0,
                       expected: 2.0 / 3 * exp(abs(m) / b) + 1.0 / 3 * exp(-2 * abs(m) / b))
    }

    static func exponentialRates(_ lp: Double, _ lq: Double) -> RatioCase {
        try! RatioCase(p: .exponential(rate: lp), q: .exponential(rate: lq), xPower: 0,
                       expected: lp * lp / (lq * (2 * lp - lq)))
    }

    static func cauchyPair(_ mp: Double, _ gp: Double, _ mq: Double, _ gq: Double) -> RatioCase {
        try! RatioCase(p: .cauchy(loc: mp, scale: gp), q: .cauchy(loc: mq, scale: gq), xPower: 0,
                       expected: 1 + ((gp - gq) * (gp - gq) + (mp - mq) * (mp - mq)) / (2 * gp * gq))
    }

    static let cases: [RatioCase] = [
        gaussian(0, 1, 0, 1), gaussian(1, 1, 0, 1), gaussian(0.5, 1.2, -0.3, 1.5), gaussian(2, 0.5, 0, 1),
        gaussian(0, 1, 0, 0.75), gaussian(-1, 2, 1, 3), gaussian(100, 1, 101, 2),
        // p = N(1, 1), q = N(0, 1), f = x^2: p^2/q = e * N(2, 1) density, E[Y^4] = 43.
        try! RatioCase(p: .normal(mean: 1, sd: 1), q: .normal(mean: 0, sd: 1), xPower: 4, expected: 43 * exp(1.0)),
        laplaceScales(1, 1, at: 0), laplaceScales(1, 2, at: 0), laplaceScales(2, 1.5, at: 3),
        laplaceShift(0.5, scale: 1), laplaceShift(-3, scale: 2),
        exponentialRates(1, 0.5), exponentialRates(2, 3), exponentialRates(1.5, 1.5),
        cauchyPair(0, 1, 0, 1), cauchyPair(1, 1, 0, 2), cauchyPair(-2, 0.5, 3, 3),
    ]

    /// ∫ exp(2 log p - log q) x^k over the support, with both distributions'
    /// landmarks as breakpoints, equals the closed form to relative 1e-9.
    @Test(arguments: cases)
    func secondMomentClosedForms(_ c: RatioCase) throws {
        let lp = LogDensity(c.p), lq = LogDensity(c.q)
        let k = Double(c.xPower)
        let value = try Fixtures.integrate({ x in
            exp(2 * lp(x) - lq(x)) * (k == 0 ? 1 : pow(x, k))
        }, over: c.p, c.q)
        #expect(relativelyClose(value, c.expected, 1e-9), "\(value) vs \(c.expected)")
    }

    /// Plain integrals over each kind of range: finite (qagp), both ends
    /// infinite, one end infinite (qagil, qagiu), with and without breakpoints.
    @Test func rangeKinds() throws {
        let gauss: (Double) -> Double = { exp(-$0 * $0 / 2) }
        let root2pi = (2 * Double.pi).squareRoot()
        let all = try Quadrature.integrate(gauss, from: -.infinity, to: .infinity)
        #expect(relativelyClose(all.value, root2pi, 1e-12))
        #expect(all.absoluteError >= 0 && all.absoluteError < 1e-9)
        let lower = try Quadrature.integrate(gauss, from: -.infinity, to: 0, breakpoints: [-1, -3, 5])
        #expect(relativelyClose(lower.value, root2pi / 2, 1e-12))
        let upper = try Quadrature.integrate(gauss, from: 1, to: .infinity, breakpoints: [0, 2])
        #expect(relativelyClose(upper.value, root2pi * 0.5 * erfc(1 / 2.0.squareRoot()), 1e-11))
        let finite = try Quadrature.integrate({ 1 / $0.squareRoot() }, from: 0, to: 4, breakpoints: [1, 1, .nan])
        #expect(relativelyClose(finite.value, 4, 1e-12))
        // A narrow peak (sd 1e-3) at 100, found through the breakpoints around it.
        let peak = try Quadrature.integrate({ exp(-($0 - 100) * ($0 - 100) / 2e-6) }, from: -.infinity,
                                            to: .infinity, breakpoints: [100 - 0.01, 100, 100 + 0.01])
        #expect(relativelyClose(peak.value, root2pi * 1e-3, 1e-10))
    }

    /// A zero integrand integrates to exactly 0 (the magnitude pass finds 0 and
    /// the zero budget must still succeed), on finite and infinite ranges.
    @Test func zeroIntegrand() throws {
        #expect(try Quadrature.integrate({ _ in 0 }, from: -.infinity, to: .infinity).value == 0)
        let e = LogDensity(try .exponential(rate: 1))
        #expect(try Quadrature.integrate({ exp(e($0)) }, from: -.infinity, to: 0).value == 0)
        #expect(try Quadrature.integrate({ _ in 0 }, from: -1, to: 1, breakpoints: [0]).value == 0)
    }

    /// The n-point Gauss–Legendre rule is exact for degree 2n - 1: five points
    /// give ∫ x^9 over [-1, 2] = (2^10 - 1) / 10; the weights sum to the length.
    @Test func gaussLegendre() {
        let rule = Quadrature.gaussLegendre(from: -1, to: 2, points: 5)
        #expect(rule.count == 5)
        #expect(rule.allSatisfy { $0.x > -1 && $0.x < 2 && $0.w > 0 })
        #expect(abs(rule.reduce(0) { $0 + $1.w } - 3) < 1e-14)
        #expect(relativelyClose(rule.reduce(0) { $0 + $1.w * pow($1.x, 9) }, 102.3, 1e-13))
    }
}
