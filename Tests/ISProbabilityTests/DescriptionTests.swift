import Testing
import ISProbability

/// Canonical text, signatures and `make(family:arguments:)`.
@Suite struct DescriptionTests {
    /// The description is the scenario-language spelling, numbers canonical.
    @Test func canonicalText() throws {
        #expect(try Distribution.normal(mean: 0, sd: 1).description == "normal(mean: 0, sd: 1)")
        #expect(try Distribution.studentT(df: 2.5, loc: -1, scale: 0.1).description
                == "student_t(df: 2.5, loc: -1, scale: 0.1)")
        #expect(try Distribution.chiSquared(df: 3).description == "chi_squared(df: 3)")
        #expect(try Distribution.lognormal(meanlog: 1e20, sdlog: 1e-7).description
                == "lognormal(meanlog: 1e+20, sdlog: 1e-07)")
        let m = try Distribution.mixture([(0.3, .normal(mean: -2, sd: 0.5)), (0.7, .uniform(low: 0, high: 1))])
        #expect(m.description == "mixture(0.3 * normal(mean: -2, sd: 0.5), 0.7 * uniform(low: 0, high: 1))")
        #expect(m.parameters.isEmpty)
        #expect(m.familyName == "mixture")
    }

    /// canonicalNumber prints integers without a fraction and everything else in
    /// the shortest form that reads back to the same Double.
    @Test(arguments: [(0.0, "0"), (-0.0, "0"), (2, "2"), (-7, "-7"), (0.1, "0.1"),
                      (1e15, "1000000000000000"), (9_007_199_254_740_994, "9007199254740994"), (1e16, "1e+16"),
                      (123_456_789_012_345, "123456789012345"), (.nan, "nan"), (.infinity, "inf"),
                      (-.infinity, "-inf"), (2.0000000000000004, "2.0000000000000004")])
    func canonicalNumbers(_ value: Double, _ text: String) {
        #expect(canonicalNumber(value) == text)
    }

    /// Every finite canonical number reads back to the same Double.
    @Test func canonicalNumbersRoundTrip() {
        for v: Double in [0.1, 1.0 / 3, 1e-300, 5e-324, 1.7976931348623157e308, -2.5e-8, 1e15 + 1, 4503599627370497] {
            #expect(Double(canonicalNumber(v)) == v, "\(v)")
        }
    }

    /// `make` with a distribution's own family name and parameters rebuilds it,
    /// whatever the argument order; the names are the signature names.
    @Test(arguments: Fixtures.everyFamily)
    func makeRoundTrips(_ d: Distribution) throws {
        guard d.familyName != Distribution.mixtureName else { return }
        let sig = try #require(Distribution.signature(named: d.familyName))
        #expect(d.parameters.map(\.label) == sig.parameters.map(\.label))
        #expect(try Distribution.make(family: d.familyName, arguments: d.parameters) == d)
        #expect(try Distribution.make(family: d.familyName, arguments: d.parameters.reversed()) == d)
        #expect(d.description.hasPrefix(d.familyName + "("))
    }

    /// There are 12 simple families with the documented names, and templates.
    @Test func signatures() {
        #expect(Distribution.signatures.map(\.name) == ["normal", "student_t", "laplace", "exponential", "gamma",
                                                        "beta", "lognormal", "uniform", "cauchy", "logistic",
                                                        "weibull", "chi_squared"])
        #expect(Distribution.signature(named: "student_t")?.template == "student_t(df:, loc:, scale:)")
        #expect(Distribution.signature(named: "mixture") == nil)
    }
}
