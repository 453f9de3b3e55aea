import Testing
import ISProbability

/// `support`, `criticalPoints` and `landmarks`.
@Suite struct SupportTests {
    /// Supports by family, and a mixture's is the hull of its components'.
    @Test func supports() throws {
        #expect(try Distribution.normal(mean: 0, sd: 1).support == (-.infinity, .infinity))
        #expect(try Distribution.gamma(shape: 2, scale: 1).support == (0, .infinity))
        #expect(try Distribution.beta(a: 2, b: 2).support == (0, 1))
        #expect(try Distribution.uniform(low: -2, high: 5).support == (-2, 5))
        let m = try Distribution.mixture([(0.5, .uniform(low: -2, high: -1)), (0.5, .beta(a: 2, b: 2))])
        #expect(m.support == (-2, 1))
    }

    /// Critical points are the finite support ends (all components' for a mixture).
    @Test func criticalPoints() throws {
        #expect(try Distribution.cauchy(loc: 3, scale: 1).criticalPoints.isEmpty)
        #expect(try Distribution.exponential(rate: 1).criticalPoints == [0])
        #expect(try Distribution.uniform(low: -2, high: 5).criticalPoints == [-2, 5])
        let m = try Distribution.mixture([(0.25, .uniform(low: -1, high: 1)), (0.5, .gamma(shape: 0.5, scale: 1)),
                                          (0.25, .beta(a: 2, b: 2))])
        #expect(m.criticalPoints == [-1, 0, 1])
    }

    /// Landmarks are sorted, distinct, finite and inside the support, and with
    /// the finite support ends they bracket the mass: at least 98% of the
    /// probability lies between the outermost (Cauchy keeps 1.6% beyond ±40
    /// scales; quadrature reaches it through the infinite-range transforms).
    @Test(arguments: Fixtures.everyFamily)
    func landmarksBracketTheMass(_ d: Distribution) {
        let l = d.landmarks
        #expect(l.count >= 3)
        #expect(l == Array(Set(l)).sorted())
        #expect(l.allSatisfy { $0.isFinite && $0 >= d.support.lower && $0 <= d.support.upper })
        let a = d.support.lower.isFinite ? d.support.lower : l.first!
        let b = d.support.upper.isFinite ? d.support.upper : l.last!
        let inside = d.cdf(b) - d.cdf(a)
        #expect(inside > 0.98, "mass between the outer landmarks is \(inside)")
    }

    /// A narrow peak far from the origin gets landmarks at its location.
    @Test func landmarksFollowTheLocation() throws {
        let d = try Distribution.normal(mean: 1e4, sd: 1e-3)
        #expect(d.landmarks.contains(1e4))
        #expect(d.landmarks.allSatisfy { abs($0 - 1e4) <= 0.04 + 1e-9 })
    }
}
