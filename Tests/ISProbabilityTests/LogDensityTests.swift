import Testing
import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `LogDensity` against GSL's own densities in the bulk, and against hand-derived
/// values where GSL's density underflows, off the support and at endpoints.
@Suite struct LogDensityTests {
    /// Points strictly inside the support, spread between consecutive landmarks,
    /// where GSL's density is a normal (not subnormal) number, so its log keeps
    /// full relative precision; jump points of the density are left out.
    static func bulkPoints(_ d: Distribution) -> [Double] {
        let marks = Fixtures.breakpoints([d])
        var xs: [Double] = []
        for (a, b) in zip(marks, marks.dropFirst()) {
            for f in [0.0, 0.13, 0.37, 0.5, 0.71, 0.94] { xs.append(a + f * (b - a)) }
        }
        let (lo, hi) = d.support
        let jumps = Set(d.criticalPoints)
        return xs.filter { $0 > lo && $0 < hi && !jumps.contains($0) && d.gslDensity($0) > 1e-250 }
    }

    /// In the bulk LogDensity equals log(gsl pdf) to |Δ| <= 1e-12 * max(1, |log p|).
    ///
    /// Tolerance: both sides evaluate the same closed form in double precision.
    /// GSL forms exp(A) with A = a sum of logs and powers; each term carries a
    /// few ulps of relative error, so log(pdf) carries an absolute error of about
    /// 1e-16 times the largest term, which is at most a few hundred times
    /// max(1, |log p|) here (lgamma of shapes <= 30, |z| <= 40). The worst seen
    /// is 2e-15 (student_t df 30); 1e-12 leaves a margin of 500 and still catches
    /// any wrong constant or term.
    @Test(arguments: Fixtures.everyFamily)
    func matchesGSLInTheBulk(_ d: Distribution) {
        let logp = LogDensity(d)
        let xs = Self.bulkPoints(d)
        #expect(xs.count >= 10, "too few bulk points for \(d)")
        for x in xs {
            let ours = logp(x), theirs = log(d.gslDensity(x))
            #expect(close(ours, theirs, 1e-12), "\(d) at x = \(x): \(ours) vs log(gsl) \(theirs)")
        }
    }

    /// The batch entry point agrees with the scalar one bit for bit.
    @Test(arguments: Fixtures.everyFamily)
    func batchEqualsScalar(_ d: Distribution) {
        let logp = LogDensity(d)
        let xs = Self.bulkPoints(d) + [d.support.lower - 1, d.support.upper + 1, 1e300, -1e300]
        var out = [Double](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { logp.evaluate(input, into: $0) }
        }
        for (x, y) in zip(xs, out) {
            #expect(y.bitPattern == logp(x).bitPattern || (y.isNaN && logp(x).isNaN), "\(d) at \(x)")
        }
    }

    struct TailCase: Sendable, CustomTestStringConvertible {
        let d: Distribution, x: Double, expected: Double
        var testDescription: String { "\(d) at \(x)" }
    }

    static let halfLog2Pi = 0.5 * log(2 * Double.pi)

    /// log Γ, from the C library (independent of GSL's gsl_sf_lngamma).
    static func lg(_ x: Double) -> Double { lgamma(x) }

    /// Far tails where GSL's pdf underflows to 0, with the log-density derived by
    /// hand from the closed form (log1p(1/z^2) etc. drop out at these magnitudes).
    static let tails: [TailCase] = try! [
        // normal: -z^2/2 - log sd - log(2π)/2 exactly (z = 1e10, z^2 exact in double).
        TailCase(d: .normal(mean: 0, sd: 1), x: 1e10, expected: -0.5e20 - log(1.0) - halfLog2Pi),
        TailCase(d: .normal(mean: 3, sd: 2), x: 3 - 2e10, expected: -0.5e20 - log(2.0) - halfLog2Pi),
        TailCase(d: .studentT(df: 3, loc: 0, scale: 1), x: 1e200,
                 expected: lg(2) - lg(1.5) - 0.5 * log(3 * Double.pi) - 2 * (2 * log(1e200) - log(3.0))),
        TailCase(d: .studentT(df: 0.5, loc: -1, scale: 1e-3), x: -1e300,
                 expected: lg(0.75) - lg(0.25) - 0.5 * log(0.5 * Double.pi) - log(1e-3)
                     - 0.75 * (2 * log(1e303) - log(0.5))),
        TailCase(d: .cauchy(loc: 0, scale: 1), x: 1e300, expected: -log(Double.pi) - 2 * log(1e300)),
        TailCase(d: .cauchy(loc: 5, scale: 0.1), x: -1e300, expected: -log(0.1 * Double.pi) - 2 * log(1e301)),
        TailCase(d: .laplace(loc: 0, scale: 1), x: 1e300, expected: -log(2.0) - 1e300),
        TailCase(d: .laplace(loc: 2, scale: 0.5), x: -1e5, expected: -log(1.0) - 2 * (1e5 + 2)),
        TailCase(d: .exponential(rate: 2), x: 1e4, expected: log(2.0) - 2e4),
        TailCase(d: .gamma(shape: 2, scale: 1), x: 1e4, expected: log(1e4) - 1e4),
        TailCase(d: .gamma(shape: 0.5, scale: 3), x: 1e5,
                 expected: -lg(0.5) - 0.5 * log(3.0) - 0.5 * log(1e5) - 1e5 / 3),
        TailCase(d: .chiSquared(df: 4), x: 1e4, expected: -2 * log(2.0) + log(1e4) - 5e3),
        TailCase(d: .lognormal(meanlog: 0, sdlog: 1), x: 1e300,
                 expected: -log(1e300) - 0.5 * log(1e300) * log(1e300) - halfLog2Pi),
        TailCase(d: .lognormal(meanlog: 1, sdlog: 0.5), x: 1e-200,
                 expected: -log(0.5) - halfLog2Pi - log(1e-200) - 2 * (log(1e-200) - 1) * (log(1e-200) - 1)),
        TailCase(d: .logistic(loc: 0, scale: 1), x: 1e4, expected: -1e4),
        TailCase(d: .logistic(loc: 1, scale: 2), x: -2e4, expected: -log(2.0) - (2e4 + 1) / 2),
        TailCase(d: .weibull(shape: 2, scale: 1), x: 1e3, expected: log(2.0) + log(1e3) - 1e6),
        TailCase(d: .weibull(shape: 0.5, scale: 1), x: 1e6, expected: log(0.5) - 0.5 * log(1e6) - 1e3),
        TailCase(d: .mixture([(0.3, .normal(mean: -2, sd: 0.5)), (0.7, .normal(mean: 1, sd: 1))]), x: 1e5,
                 expected: log(0.7) - 0.5 * 99_999.0 * 99_999.0 - halfLog2Pi),
        TailCase(d: .mixture([(0.5, .cauchy(loc: 0, scale: 1)), (0.5, .normal(mean: 0, sd: 1))]), x: 1e300,
                 expected: log(0.5) - log(Double.pi) - 2 * log(1e300)),
    ]

    /// Where GSL's density underflows to 0 the log-density stays finite and equals
    /// the hand-derived value (relative 1e-13: only rounding separates them).
    @Test(arguments: tails)
    func finiteFarInTheTails(_ c: TailCase) {
        #expect(c.d.gslDensity(c.x) == 0, "not an underflow case")
        let v = LogDensity(c.d)(c.x)
        #expect(v.isFinite)
        #expect(relativelyClose(v, c.expected, 1e-13), "\(v) vs \(c.expected)")
    }

    /// The normal tail is exact to the last bit: -z^2/2 - log sd - log(2π)/2.
    @Test func normalTailIsExact() throws {
        #expect(LogDensity(try .normal(mean: 0, sd: 1))(1e10) == -0.5e20 - Self.halfLog2Pi)
        #expect(LogDensity(try .normal(mean: 0, sd: 1))(-1e10) == -0.5e20 - Self.halfLog2Pi)
        #expect(LogDensity(try .normal(mean: 3, sd: 2))(3 - 2e10) == -0.5e20 - log(2.0) - Self.halfLog2Pi)
    }

    struct PointCase: Sendable, CustomTestStringConvertible {
        let d: Distribution, x: Double, expected: Double
        var testDescription: String { "\(d) at \(x) is \(expected)" }
    }

    /// Off the support the log-density is -infinity.
    static let offSupport: [(Distribution, Double)] = try! [
        (.exponential(rate: 1), -1e-300), (.gamma(shape: 0.5, scale: 1), -1), (.gamma(shape: 3, scale: 1), -5),
        (.chiSquared(df: 3), -0.1), (.beta(a: 2, b: 2), -0.5), (.beta(a: 0.5, b: 0.5), 1.000001),
        (.beta(a: 2, b: 2), 2), (.lognormal(meanlog: 0, sdlog: 1), 0), (.lognormal(meanlog: 0, sdlog: 1), -3),
        (.uniform(low: -1, high: 3), 3.0000001), (.uniform(low: -1, high: 3), -1.5), (.weibull(shape: 0.7, scale: 1), -2),
        (.mixture([(0.5, .beta(a: 2, b: 2)), (0.5, .exponential(rate: 3))]), -0.25),
    ]
    static let outside: [PointCase] = offSupport.map { PointCase(d: $0.0, x: $0.1, expected: -.infinity) }

    /// At 0 (or 1 for beta) the density diverges for shape < 1, equals the
    /// normaliser for shape 1, and vanishes for shape > 1.
    static let endpoints: [PointCase] = try! [
        PointCase(d: .gamma(shape: 0.5, scale: 1), x: 0, expected: .infinity),
        PointCase(d: .chiSquared(df: 1), x: 0, expected: .infinity),
        PointCase(d: .weibull(shape: 0.7, scale: 1), x: 0, expected: .infinity),
        PointCase(d: .beta(a: 0.5, b: 2), x: 0, expected: .infinity),
        PointCase(d: .beta(a: 2, b: 0.5), x: 1, expected: .infinity),
        PointCase(d: .mixture([(0.5, .gamma(shape: 0.5, scale: 1)), (0.5, .normal(mean: 0, sd: 1))]), x: 0,
                  expected: .infinity),
        PointCase(d: .gamma(shape: 1, scale: 2), x: 0, expected: log(0.5)),
        PointCase(d: .exponential(rate: 3), x: 0, expected: log(3.0)),
        PointCase(d: .weibull(shape: 1, scale: 4), x: 0, expected: log(0.25)),
        PointCase(d: .chiSquared(df: 2), x: 0, expected: log(0.5)),
        PointCase(d: .beta(a: 1, b: 3), x: 0, expected: log(3.0)),
        PointCase(d: .gamma(shape: 2, scale: 1), x: 0, expected: -.infinity),
        PointCase(d: .beta(a: 2, b: 3), x: 1, expected: -.infinity),
        PointCase(d: .weibull(shape: 3.5, scale: 0.5), x: 0, expected: -.infinity),
    ]

    /// -infinity outside the support; +infinity, finite or -infinity at endpoints
    /// as the shape dictates (finite values to 1e-14).
    @Test(arguments: outside + endpoints)
    func offSupportAndEndpoints(_ c: PointCase) {
        let v = LogDensity(c.d)(c.x)
        if c.expected.isFinite {
            #expect(close(v, c.expected, 1e-14), "\(v)")
        } else {
            #expect(v == c.expected)
        }
    }
}
