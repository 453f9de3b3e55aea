import Testing
import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The densities are normalised, and `exactMoments` agrees with the density.
@Suite struct DensityIntegralTests {
    /// ∫ exp(logDensity) over the support, with landmarks (and the critical
    /// points where the density jumps or diverges) as breakpoints, is 1 within
    /// 1e-9. Proves the normalising constant of every family, and that the
    /// landmarks bracket the mass well enough for adaptive quadrature.
    @Test(arguments: Fixtures.everyFamily)
    func integratesToOne(_ d: Distribution) throws {
        let logp = LogDensity(d)
        let total = try Fixtures.integrate({ exp(logp($0)) }, over: d)
        #expect(abs(total - 1) <= 1e-9, "∫ p = \(total)")
    }

    /// The mean and variance from `exactMoments` equal ∫ x p and ∫ (x - mean)^2 p
    /// (relative 1e-8 of the scale sqrt(variance) + |mean| for the mean, 1e-8
    /// relative for the variance), wherever `exactMoments` says both are finite.
    /// Quadrature is asked for 1e-10, not 1e-11: beta(0.5, 0.5) has a
    /// (1 - x)^(-1/2) singularity at 1, where doubles are 1.1e-16 apart and the
    /// mass of the last such gap is ~sqrt(1e-16) / pi ≈ 3e-9, so bisection alone
    /// cannot resolve it and GSL rightly reports roundoff at 1e-11.
    @Test(arguments: Fixtures.everyFamily)
    func exactMomentsMatchTheDensity(_ d: Distribution) throws {
        let (mean, variance) = d.exactMoments
        guard let mean, let variance else { return }
        let logp = LogDensity(d)
        let m = try Fixtures.integrate({ $0 * exp(logp($0)) }, over: d, relativeTolerance: 1e-10)
        let v = try Fixtures.integrate({ ($0 - mean) * ($0 - mean) * exp(logp($0)) }, over: d,
                                       relativeTolerance: 1e-10)
        #expect(abs(m - mean) <= 1e-8 * (variance.squareRoot() + abs(mean)), "mean \(m) vs \(mean)")
        #expect(relativelyClose(v, variance, 1e-8), "variance \(v) vs \(variance)")
    }

    /// Moments that do not exist are reported as nil, the rest as numbers.
    @Test func infiniteMomentsAreNil() throws {
        #expect(try Distribution.cauchy(loc: 0, scale: 1).exactMoments.mean == nil)
        #expect(try Distribution.cauchy(loc: 0, scale: 1).exactMoments.variance == nil)
        #expect(try Distribution.studentT(df: 1, loc: 3, scale: 1).exactMoments.mean == nil)
        let t15 = try Distribution.studentT(df: 1.5, loc: 3, scale: 1).exactMoments
        #expect(t15.mean == 3)
        #expect(t15.variance == nil)
        #expect(try Distribution.studentT(df: 2, loc: 0, scale: 1).exactMoments.variance == nil)
        #expect(try Distribution.studentT(df: 4, loc: 0, scale: 2).exactMoments.variance == 8)
    }

    /// A mixture has a finite mean when every component has one, even if some
    /// component's variance is infinite: 0.5 * 0 + 0.5 * 2 = 1.
    @Test func mixtureMeanWithInfiniteVarianceComponent() throws {
        let d = try Distribution.mixture([(0.5, .normal(mean: 0, sd: 1)), (0.5, .studentT(df: 1.5, loc: 2, scale: 1))])
        #expect(d.exactMoments.mean == 1)
        #expect(d.exactMoments.variance == nil)
        let c = try Distribution.mixture([(0.5, .normal(mean: 0, sd: 1)), (0.5, .cauchy(loc: 2, scale: 1))])
        #expect(c.exactMoments.mean == nil)
        #expect(c.exactMoments.variance == nil)
    }

    /// A mixture's variance is exact for narrow components far from 0, where
    /// E[X^2] - mean^2 would lose the 1e-6 to cancellation against 1e8.
    @Test func mixtureVarianceWithoutCancellation() throws {
        let d = try Distribution.mixture([(0.3, .normal(mean: 1e4, sd: 1e-3)), (0.7, .normal(mean: 1e4, sd: 1e-3))])
        let v = try #require(d.exactMoments.variance)
        #expect(relativelyClose(v, 1e-6, 1e-12), "\(v)")
        let shifted = try Distribution.mixture([(0.5, .normal(mean: 1e4, sd: 1e-3)), (0.5, .normal(mean: 1e4 + 2e-3, sd: 1e-3))])
        #expect(relativelyClose(try #require(shifted.exactMoments.variance), 2e-6, 1e-9))
    }
}
