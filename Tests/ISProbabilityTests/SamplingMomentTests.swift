import Testing
import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sample means and variances of GSL's samplers against `exactMoments`.
///
/// False-failure probability per assertion: |z| > 5.5 has probability 3.8e-8
/// for a normal z. The skewness term of the Edgeworth expansion cancels in a
/// two-sided test; the O(1/n) terms, with n = 200_000 and the skewness and
/// kurtosis of each summand (X for the mean, (X - mean)^2 for the variance,
/// computed offline: at most 16 and 724), inflate it by at most 1.45. The chance
/// that one single draw alone moves z by 5.5 is below 1e-9 for every case
/// (n * P(summand > 5.5 sd sqrt(n)), also computed offline; this is why
/// student_t(df: 5) and lognormal(sdlog: 1) get no variance test). So every
/// assertion below fails by chance with probability < 1e-7.
@Suite struct SamplingMomentTests {
    static let n = 200_000
    static let zLimit = 5.5
    /// Fixed before any result was seen; each case's stream is keyed by its text.
    static let master: UInt64 = 0x5EED_0001

    struct MomentCase: Sendable, CustomTestStringConvertible {
        let d: Distribution
        /// Whether (X - mean)^2 has tails light enough for a z-test of the variance.
        let testVariance: Bool
        var testDescription: String { d.description }
    }

    static let table: [(Distribution, Bool)] = try! [
        (.normal(mean: 1.5, sd: 2), true), (.studentT(df: 12, loc: -1, scale: 0.5), true),
        (.studentT(df: 5, loc: 0, scale: 1), false), (.laplace(loc: 2, scale: 0.7), true),
        (.exponential(rate: 2), true), (.gamma(shape: 0.5, scale: 2), true), (.gamma(shape: 3, scale: 1.5), true),
        (.beta(a: 0.5, b: 0.5), true), (.beta(a: 2, b: 5), true), (.lognormal(meanlog: 0, sdlog: 0.5), true),
        (.lognormal(meanlog: 0, sdlog: 1), false), (.uniform(low: -1, high: 3), true),
        (.logistic(loc: -3, scale: 1.2), true), (.weibull(shape: 0.8, scale: 2), true),
        (.weibull(shape: 2, scale: 1.5), true), (.chiSquared(df: 3), true),
        (.mixture([(0.3, .normal(mean: -2, sd: 0.5)), (0.7, .normal(mean: 1, sd: 1))]), true),
        (.mixture([(0.5, .beta(a: 2, b: 2)), (0.5, .exponential(rate: 3))]), true),
        (.mixture([(0.2, .laplace(loc: 5, scale: 1)), (0.8, .gamma(shape: 2, scale: 1))]), true),
    ]
    static let cases: [MomentCase] = table.map { MomentCase(d: $0.0, testVariance: $0.1) }

    /// The sample mean of 200_000 draws is within 5.5 standard errors
    /// sqrt(variance / n) of the exact mean; where the variance test applies,
    /// the sample variance is within 5.5 standard errors of the exact variance,
    /// with the kurtosis-aware error sqrt((mu4 - sigma^4 (n-3)/(n-1)) / n) and mu4
    /// from quadrature of the density.
    @Test(arguments: cases)
    func meanAndVariance(_ c: MomentCase) throws {
        let (mean, variance) = c.d.exactMoments
        let mu = try #require(mean), sigma2 = try #require(variance)
        let xs = Fixtures.draws(c.d, Self.n, Fixtures.source(Self.master, c.d.description))
        let nd = Double(Self.n)

        let zMean = (Stats.mean(xs) - mu) / (sigma2 / nd).squareRoot()
        #expect(abs(zMean) < Self.zLimit, "mean z = \(zMean)")

        guard c.testVariance else { return }
        let logp = LogDensity(c.d)
        let mu4 = try Fixtures.integrate({ x in
            let u = (x - mu) * (x - mu)
            return u * u * exp(logp(x))
        }, over: c.d, relativeTolerance: 1e-8)
        let se = ((mu4 - sigma2 * sigma2 * (nd - 3) / (nd - 1)) / nd).squareRoot()
        let zVar = (Stats.variance(xs) - sigma2) / se
        #expect(abs(zVar) < Self.zLimit, "variance z = \(zVar)")
    }

    /// The test has power: the same draws are far from a wrong mean. Against a
    /// mean shifted by 0.1 sd, z is N(-44.7, 1), so this assertion fails by
    /// chance with probability < 1e-300.
    @Test func detectsAShiftedMean() throws {
        let d = try Distribution.normal(mean: 1.5, sd: 2)
        let xs = Fixtures.draws(d, Self.n, Fixtures.source(Self.master, d.description))
        let z = (Stats.mean(xs) - 1.7) / (4 / Double(Self.n)).squareRoot()
        #expect(abs(z) > Self.zLimit)
    }
}
