import Testing
import ISProbability

/// Invalid parameters are rejected with a `ParameterError` that names the
/// parameter, and nothing aborts the process.
@Suite struct ValidationTests {
    struct Invalid: Sendable, CustomTestStringConvertible {
        let what: String, family: String, parameter: String
        let make: @Sendable () throws -> Distribution
        var testDescription: String { what }
    }

    static let nan = Double.nan, inf = Double.infinity

    static let invalid: [Invalid] = [
        Invalid(what: "normal sd 0", family: "normal", parameter: "sd") { try .normal(mean: 0, sd: 0) },
        Invalid(what: "normal sd -1", family: "normal", parameter: "sd") { try .normal(mean: 0, sd: -1) },
        Invalid(what: "normal sd nan", family: "normal", parameter: "sd") { try .normal(mean: 0, sd: nan) },
        Invalid(what: "normal sd inf", family: "normal", parameter: "sd") { try .normal(mean: 0, sd: inf) },
        Invalid(what: "normal mean nan", family: "normal", parameter: "mean") { try .normal(mean: nan, sd: 1) },
        Invalid(what: "normal mean -inf", family: "normal", parameter: "mean") { try .normal(mean: -inf, sd: 1) },
        Invalid(what: "student_t df 0", family: "student_t", parameter: "df") { try .studentT(df: 0) },
        Invalid(what: "student_t df -3", family: "student_t", parameter: "df") { try .studentT(df: -3) },
        Invalid(what: "student_t loc nan", family: "student_t", parameter: "loc") { try .studentT(df: 3, loc: nan) },
        Invalid(what: "student_t scale inf", family: "student_t", parameter: "scale") { try .studentT(df: 3, scale: inf) },
        Invalid(what: "student_t scale 0", family: "student_t", parameter: "scale") { try .studentT(df: 3, scale: 0) },
        Invalid(what: "laplace scale -1", family: "laplace", parameter: "scale") { try .laplace(loc: 0, scale: -1) },
        Invalid(what: "laplace loc inf", family: "laplace", parameter: "loc") { try .laplace(loc: inf, scale: 1) },
        Invalid(what: "exponential rate 0", family: "exponential", parameter: "rate") { try .exponential(rate: 0) },
        Invalid(what: "exponential rate inf", family: "exponential", parameter: "rate") { try .exponential(rate: inf) },
        Invalid(what: "gamma shape 0", family: "gamma", parameter: "shape") { try .gamma(shape: 0, scale: 1) },
        Invalid(what: "gamma scale nan", family: "gamma", parameter: "scale") { try .gamma(shape: 1, scale: nan) },
        Invalid(what: "beta a 0", family: "beta", parameter: "a") { try .beta(a: 0, b: 1) },
        Invalid(what: "beta b -1", family: "beta", parameter: "b") { try .beta(a: 1, b: -1) },
        Invalid(what: "lognormal sdlog 0", family: "lognormal", parameter: "sdlog") { try .lognormal(meanlog: 0, sdlog: 0) },
        Invalid(what: "lognormal meanlog inf", family: "lognormal", parameter: "meanlog") { try .lognormal(meanlog: inf, sdlog: 1) },
        Invalid(what: "uniform low == high", family: "uniform", parameter: "high") { try .uniform(low: 1, high: 1) },
        Invalid(what: "uniform low > high", family: "uniform", parameter: "high") { try .uniform(low: 2, high: 1) },
        Invalid(what: "uniform low nan", family: "uniform", parameter: "low") { try .uniform(low: nan, high: 1) },
        Invalid(what: "uniform high inf", family: "uniform", parameter: "high") { try .uniform(low: 0, high: inf) },
        Invalid(what: "cauchy scale 0", family: "cauchy", parameter: "scale") { try .cauchy(loc: 0, scale: 0) },
        Invalid(what: "logistic scale -2", family: "logistic", parameter: "scale") { try .logistic(loc: 0, scale: -2) },
        Invalid(what: "weibull shape 0", family: "weibull", parameter: "shape") { try .weibull(shape: 0, scale: 1) },
        Invalid(what: "weibull scale inf", family: "weibull", parameter: "scale") { try .weibull(shape: 1, scale: inf) },
        Invalid(what: "chi_squared df 0", family: "chi_squared", parameter: "df") { try .chiSquared(df: 0) },
        Invalid(what: "mixture weights sum 0.9", family: "mixture", parameter: "weights") {
            try .mixture([(0.4, .normal(mean: 0, sd: 1)), (0.5, .normal(mean: 1, sd: 1))])
        },
        Invalid(what: "mixture weights sum 1 + 1e-8", family: "mixture", parameter: "weights") {
            try .mixture([(0.5, .normal(mean: 0, sd: 1)), (0.5 + 1e-8, .normal(mean: 1, sd: 1))])
        },
        Invalid(what: "mixture negative weight", family: "mixture", parameter: "weights") {
            try .mixture([(-0.5, .normal(mean: 0, sd: 1)), (1.5, .normal(mean: 1, sd: 1))])
        },
        Invalid(what: "mixture zero weight", family: "mixture", parameter: "weights") {
            try .mixture([(0, .normal(mean: 0, sd: 1)), (1, .normal(mean: 1, sd: 1))])
        },
        Invalid(what: "mixture nan weight", family: "mixture", parameter: "weights") {
            try .mixture([(nan, .normal(mean: 0, sd: 1)), (1, .normal(mean: 1, sd: 1))])
        },
        Invalid(what: "nested mixture", family: "mixture", parameter: "components") {
            try .mixture([(0.5, .normal(mean: 0, sd: 1)),
                          (0.5, .mixture([(0.5, .normal(mean: 0, sd: 1)), (0.5, .exponential(rate: 1))]))])
        },
        Invalid(what: "empty mixture", family: "mixture", parameter: "") { try .mixture([]) },
        Invalid(what: "make unknown family", family: "gaussian", parameter: "") {
            try .make(family: "gaussian", arguments: [("mean", 0), ("sd", 1)])
        },
        Invalid(what: "make unknown label", family: "normal", parameter: "sigma") {
            try .make(family: "normal", arguments: [("mean", 0), ("sigma", 1)])
        },
        Invalid(what: "make missing label", family: "normal", parameter: "sd") {
            try .make(family: "normal", arguments: [("mean", 0)])
        },
        Invalid(what: "make duplicate label", family: "normal", parameter: "mean") {
            try .make(family: "normal", arguments: [("mean", 0), ("mean", 1), ("sd", 1)])
        },
        Invalid(what: "make invalid value", family: "student_t", parameter: "df") {
            try .make(family: "student_t", arguments: [("df", -1), ("loc", 0), ("scale", 1)])
        },
        Invalid(what: "make mixture by name", family: "mixture", parameter: "") {
            try .make(family: "mixture", arguments: [])
        },
    ]

    /// Each invalid call throws a ParameterError with the right family and
    /// parameter; a named parameter also appears in the message.
    @Test(arguments: invalid)
    func rejected(_ c: Invalid) {
        let error = #expect(throws: ParameterError.self) { try c.make() }
        #expect(error?.family == c.family)
        #expect(error?.parameter == c.parameter)
        if !c.parameter.isEmpty, c.parameter != "weights", c.parameter != "components" {
            #expect(error?.message.contains(c.parameter) == true, "\(error?.message ?? "")")
        }
        #expect(error?.description == error?.message)
    }

    /// Boundary values that are valid are accepted: weights summing to 1 within
    /// the 1e-9 tolerance, tiny positive parameters, a one-component mixture.
    @Test func validBoundariesAccepted() throws {
        _ = try Distribution.mixture([(0.5, .normal(mean: 0, sd: 1)), (0.5 + 5e-10, .normal(mean: 1, sd: 1))])
        _ = try Distribution.mixture([(1, .exponential(rate: 1))])
        _ = try Distribution.normal(mean: -1e300, sd: 5e-324)
        _ = try Distribution.uniform(low: 0, high: 5e-324)
        _ = try Distribution.studentT(df: 1e-3)
    }

    /// GSL's default handler would abort() on a bad call; iscert switches it off
    /// and turns statuses into GSLError. A divergent integral (1/x on (0, 1)) and a
    /// tolerance GSL refuses both throw instead of killing the test process.
    @Test func gslFailuresThrowInsteadOfAborting() {
        let divergent = #expect(throws: GSLError.self) {
            try Quadrature.integrate({ 1 / $0 }, from: 0, to: 1)
        }
        #expect(divergent.map { $0.status != 0 && $0.description.contains("integrating over [0, 1]") } == true)
        let badTolerance = #expect(throws: GSLError.self) {
            try Quadrature.integrate({ _ in 1 }, from: 0, to: 1, relativeTolerance: 1e-20)
        }
        #expect(badTolerance.map { !$0.reason.isEmpty } == true)
        let divergentTail = #expect(throws: GSLError.self) {
            try Quadrature.integrate({ 1 / (1 + abs($0)) }, from: -.infinity, to: .infinity)
        }
        #expect(divergentTail != nil)
    }
}
