import Testing
import ISProbability

/// GSL's samplers draw from the distribution whose `cdf` we report: a
/// Kolmogorov–Smirnov test of 200_000 draws for every family, Cauchy and
/// Student-t with infinite variance included.
@Suite struct SamplingKSTests {
    static let n = 200_000
    /// Fixed before any result was seen; each case's stream is keyed by its text.
    static let master: UInt64 = 0x5EED_0002
    /// Rejection level. The asymptotic Kolmogorov distribution with Stephens'
    /// finite-n factor is accurate to a few percent at n = 200_000, so each
    /// assertion fails by chance with probability ≈ 1e-6. (For continuous cdfs
    /// the statistic is distribution-free; draws from GSL's 32-bit uniforms tie
    /// with probability ~ n^2 / 2^33 per pair set, which moves D by < 1/n.)
    static let pThreshold = 1e-6

    /// The KS p-value of 200_000 draws against `cdf` is above 1e-6.
    @Test(arguments: Fixtures.sampled)
    func drawsFollowTheCDF(_ d: Distribution) {
        let xs = Fixtures.draws(d, Self.n, Fixtures.source(Self.master, d.description))
        let ks = Stats.ksStatistic(xs, cdf: d.cdf)
        let p = Stats.ksPValue(ks, n: Self.n)
        #expect(p > Self.pThreshold, "D = \(ks), p = \(p)")
    }

    /// The test has power: the same Cauchy draws against the cdf of a Cauchy
    /// with scale 1.1 give p below 1e-6. The two cdfs differ by 0.0152 near
    /// x = 1.05, the threshold needs D > 0.0060, so this misses only if F_n strays
    /// 0.0092 (9 pointwise standard errors) there: probability < 1e-15.
    @Test func detectsAWrongScale() throws {
        let d = try Distribution.cauchy(loc: 0, scale: 1)
        let wrong = try Distribution.cauchy(loc: 0, scale: 1.1)
        let xs = Fixtures.draws(d, Self.n, Fixtures.source(Self.master, d.description))
        #expect(Stats.ksPValue(Stats.ksStatistic(xs, cdf: wrong.cdf), n: Self.n) < Self.pThreshold)
    }

    /// The radix sort behind `ksStatistic` orders like the standard library's sort.
    @Test func radixSortOrdersLikeTheStandardSort() {
        let special: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, 5e-324, -5e-324, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, 0.1, -0.1, 1e-300, -1e300, 2, 2, -2]
        let xs = Fixtures.draws(try! .cauchy(loc: 0, scale: 1), 2_000, Fixtures.source(Self.master, "radix")) + special
        // -0 and +0 are equal, so compare their values, not their bits.
        #expect(Stats.sorted(xs) == xs.sorted())
    }

    /// The Kolmogorov survival function at known points: P(K > 1.3581) ≈ 0.05,
    /// P(K > 1.6276) ≈ 0.01, and the 1e-6 threshold sits at λ ≈ 2.6934.
    @Test func kolmogorovDistribution() {
        #expect(abs(Stats.kolmogorovSurvival(1.3581) - 0.05) < 1e-4)
        #expect(abs(Stats.kolmogorovSurvival(1.6276) - 0.01) < 1e-4)
        #expect(abs(Stats.kolmogorovSurvival(2.6934) / 1e-6 - 1) < 1e-3)
        #expect(Stats.kolmogorovSurvival(0.1) == 1)
    }
}
