import Testing
import ISProbability

/// `StandardNormal` (GSL's unit Gaussian cdf and quantiles) at reference values
/// from mpmath with 30 digits.
@Suite struct StandardNormalTests {
    /// cdf, survival and both quantiles at reference points, relative 1e-13
    /// (GSL documents ~1e-15 for these functions).
    @Test func referenceValues() {
        #expect(StandardNormal.cdf(0) == 0.5)
        #expect(relativelyClose(StandardNormal.survival(5.5), 1.898956246588772e-08, 1e-13))
        #expect(relativelyClose(StandardNormal.cdf(-5.5), 1.898956246588772e-08, 1e-13))
        #expect(relativelyClose(StandardNormal.survival(30), 4.906713927148187e-198, 1e-12))
        #expect(relativelyClose(StandardNormal.quantile(0.975), 1.959963984540054, 1e-13))
        #expect(relativelyClose(StandardNormal.upperQuantile(1e-6), 4.753424308822899, 1e-13))
        #expect(relativelyClose(StandardNormal.upperQuantile(1e-300), 37.0470962993612, 1e-12))
    }

    /// The quantiles invert the cdf and survival across the range.
    @Test(arguments: [1e-12, 1e-6, 0.01, 0.3, 0.5, 0.8, 0.999])
    func quantilesInvert(_ p: Double) {
        #expect(relativelyClose(StandardNormal.cdf(StandardNormal.quantile(p)), p, 1e-12))
        #expect(relativelyClose(StandardNormal.survival(StandardNormal.upperQuantile(p)), p, 1e-12))
    }
}
