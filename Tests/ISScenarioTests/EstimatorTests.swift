import ISProbability
@testable import ISScenario
import Testing

@Suite("Estimators and MSE claims")
struct EstimatorTests {
    /// (text, value, canonical text): every form of the syntax.
    static let forms: [(String, EstimatorSpec, String)] = [
        ("is", .importanceSampling, "is"),
        ("snis", .selfNormalized, "snis"),
        ("truncated(cap: 2)", .truncated(cap: 2), "truncated(cap: 2)"),
        ("truncated(cap: sqrt(4) * 1.5)", .truncated(cap: 3), "truncated(cap: 3)"),
        ("truncated(low: 0.5, high: 2)", .clamped(low: 0.5, high: 2), "truncated(low: 0.5, high: 2)"),
        ("truncated(high: 2, low: 0)", .clamped(low: 0, high: 2), "truncated(low: 0, high: 2)"),
        ("masked(low: 0.5, high: 5)", .masked(low: 0.5, high: 5), "masked(low: 0.5, high: 5)"),
        ("masked( high : 5 , low : 1/2 )", .masked(low: 0.5, high: 5), "masked(low: 0.5, high: 5)"),
        ("ppo_clip(eps: 0.2)", .ppoClip(eps: 0.2), "ppo_clip(eps: 0.2)"),
        ("ppo_clip(eps: 1/5)", .ppoClip(eps: 0.2), "ppo_clip(eps: 0.2)"),
        ("ppo_clip(eps: 1e-3)", .ppoClip(eps: 0.001), "ppo_clip(eps: 0.001)"),
        ("psis", .paretoSmoothed, "psis"),
        ("kl_k1", .klK1, "kl_k1"),
        ("kl_k2", .klK2, "kl_k2"),
        ("kl_k3", .klK3, "kl_k3"),
    ]

    @Test(arguments: forms.indices)
    func parsesEachForm(_ index: Int) throws {
        let (text, expected, canonical) = Self.forms[index]
        let scenario = try ScenarioParser.parse(baseText(appending: ["estimators = \(text)"]), file: "t")
        #expect(scenario.estimators == [expected])
        #expect(expected.canonicalText == canonical)
        #expect(expected.name == canonical)
        #expect("\(expected)" == canonical)
    }

    @Test func defaultsToImportanceSamplingAndNoClaims() throws {
        let scenario = try ScenarioParser.parse(baseText(), file: "t")
        #expect(scenario.estimators == [.importanceSampling])
        #expect(scenario.mseBelowIS == [])
        #expect(!scenario.canonicalText.contains("estimators"))
        #expect(!scenario.canonicalText.contains("mse_below_is"))
        let built = Scenario(name: "t", summary: "d", target: try .normal(mean: 0, sd: 1), behavior: try .normal(mean: 0, sd: 1),
                             f: .x, samples: 10)
        #expect(built.estimators == [.importanceSampling] && built.mseBelowIS.isEmpty && built.sweep == nil)
    }

    @Test func keepsListOrderAndParsesClaims() throws {
        let text = baseText(appending: [
            "estimators   = snis, is, truncated(cap: 2), masked(low: 0.5, high: 5), ppo_clip(eps: 0.2)",
            "mse_below_is = ppo_clip(eps: 2/10), truncated(cap: 2)",
        ])
        let scenario = try ScenarioParser.parse(text, file: "t")
        #expect(scenario.estimators == [.selfNormalized, .importanceSampling, .truncated(cap: 2),
                                        .masked(low: 0.5, high: 5), .ppoClip(eps: 0.2)])
        #expect(scenario.mseBelowIS == [.ppoClip(eps: 0.2), .truncated(cap: 2)])
        #expect(scenario.canonicalText.hasSuffix("""
        estimators   = snis, is, truncated(cap: 2), masked(low: 0.5, high: 5), ppo_clip(eps: 0.2)
        mse_below_is = ppo_clip(eps: 0.2), truncated(cap: 2)

        """))
        #expect(try ScenarioParser.parse(scenario.canonicalText, file: "t") == scenario)
    }

    @Test func parsesTheNewEstimatorsWithClaims() throws {
        let text = baseText(appending: [
            "estimators   = is, kl_k1, psis, kl_k3, kl_k2, snis",
            "mse_below_is = psis, snis",
        ])
        let scenario = try ScenarioParser.parse(text, file: "t")
        #expect(scenario.estimators == [.importanceSampling, .klK1, .paretoSmoothed, .klK3, .klK2, .selfNormalized])
        #expect(scenario.mseBelowIS == [.paretoSmoothed, .selfNormalized])
        #expect(scenario.canonicalText.hasSuffix("""
        estimators   = is, kl_k1, psis, kl_k3, kl_k2, snis
        mse_below_is = psis, snis

        """))
        #expect(try ScenarioParser.parse(scenario.canonicalText, file: "t") == scenario)
    }

    @Test func newEstimatorsRoundTripInASweep() throws {
        let text = ErrorCase.swept("sweep = gap in [0, 0.5]",
                                   appending: ["estimators = is, psis, kl_k1, kl_k2, kl_k3, truncated(cap: 1 + gap)",
                                               "mse_below_is = psis"])
        let scenario = try SweepRoundTripTests.roundTrip(text)
        #expect(scenario.points.map(\.estimators) == [
            [.importanceSampling, .paretoSmoothed, .klK1, .klK2, .klK3, .truncated(cap: 1)],
            [.importanceSampling, .paretoSmoothed, .klK1, .klK2, .klK3, .truncated(cap: 1.5)],
        ])
        let built = try Scenario.swept("gap", over: [0, 2]) { gap in
            Scenario(name: "b", summary: "", target: try .normal(mean: gap, sd: 1), behavior: try .normal(mean: 0, sd: 1),
                     f: .x, samples: 10, expectation: ExpectedOutcome(khatAboveThreshold: true),
                     estimators: [.importanceSampling, .klK3, .paretoSmoothed], mseBelowIS: [.paretoSmoothed])
        }
        let parsed = try ScenarioParser.parse(built.canonicalText, file: "b")
        #expect(parsed.points.map(\.estimators) == built.points.map(\.estimators))
        #expect(parsed.points.map(\.expectation) == built.points.map(\.expectation))
        #expect(parsed.points.map(\.target) == built.points.map(\.target))
    }

    @Test func estimatorKeysMayComeInAnyOrder() throws {
        let text = baseText(appending: ["mse_below_is = snis", "estimators = is, snis"])
        #expect(try ScenarioParser.parse(text, file: "t").mseBelowIS == [.selfNormalized])
    }

    @Test func builtScenariosWithEstimatorsRoundTrip() throws {
        let scenario = Scenario(name: "e", summary: "", target: try .normal(mean: 1, sd: 1), behavior: try .normal(mean: 0, sd: 1),
                                f: .x, samples: 50, estimators: [.importanceSampling, .clamped(low: 0, high: 1e-7),
                                                                 .truncated(cap: 1.0 / 3)],
                                mseBelowIS: [.truncated(cap: 1.0 / 3)])
        var parsed = try ScenarioParser.parse(scenario.canonicalText, file: "e")
        parsed.file = nil
        #expect(parsed == scenario)
    }

    static let validArguments: [(String, [(String, Double)], EstimatorSpec)] = [
        ("is", [], .importanceSampling),
        ("truncated", [("cap", 2)], .truncated(cap: 2)),
        ("truncated", [("high", 2), ("low", 0)], .clamped(low: 0, high: 2)),
        ("masked", [("low", 0), ("high", 1e300)], .masked(low: 0, high: 1e300)),
        ("ppo_clip", [("eps", 0.999)], .ppoClip(eps: 0.999)),
        ("psis", [], .paretoSmoothed),
        ("kl_k1", [], .klK1),
        ("kl_k2", [], .klK2),
        ("kl_k3", [], .klK3),
    ]

    @Test(arguments: validArguments)
    func makeAcceptsValidArguments(_ keyword: String, _ arguments: [(String, Double)], _ expected: EstimatorSpec) throws {
        #expect(try EstimatorSpec.make(keyword, arguments: arguments.map { (label: $0.0, value: $0.1) }) == expected)
    }

    static let invalidArguments: [(String, [(String, Double)], String, String)] = [
        ("iss", [], "", "unknown estimator"),
        ("snis", [("cap", 1)], "cap", "snis has no parameter 'cap'"),
        ("truncated", [("cap", 1), ("low", 0)], "", "truncated takes truncated(cap:) or truncated(low:, high:)"),
        ("truncated", [("cap", 1), ("cap", 2)], "cap", "given twice"),
        ("truncated", [("cap", .nan)], "cap", "got nan"),
        ("masked", [("low", 0), ("high", .infinity)], "high", "'high' must be a finite number"),
        ("masked", [("low", 1), ("high", 1)], "high", "masked needs low < high"),
        ("ppo_clip", [("eps", 0)], "eps", "must be > 0 and < 1"),
        ("ppo_clip", [], "", "ppo_clip takes ppo_clip(eps:)"),
        ("psis", [("cap", 2)], "cap", "psis has no parameter 'cap'; expected psis"),
        ("kl_k1", [("eps", 0.1)], "eps", "kl_k1 has no parameter 'eps'; expected kl_k1"),
        ("kl_k2", [("low", 0)], "low", "kl_k2 has no parameter 'low'"),
        ("kl_k3", [("high", 1)], "high", "kl_k3 has no parameter 'high'"),
        ("kl_k4", [], "", "unknown estimator 'kl_k4'"),
    ]

    @Test(arguments: invalidArguments)
    func makeRejectsInvalidArguments(_ keyword: String, _ arguments: [(String, Double)], _ parameter: String,
                                     _ fragment: String) {
        do {
            let spec = try EstimatorSpec.make(keyword, arguments: arguments.map { (label: $0.0, value: $0.1) })
            Issue.record("made \(spec)")
        } catch {
            #expect(error.family == keyword)
            #expect(error.parameter == parameter)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func keywordsAndParameters() {
        #expect(EstimatorSpec.keywords == ["is", "snis", "truncated", "masked", "ppo_clip", "psis", "kl_k1", "kl_k2", "kl_k3",
                                           "per_decision", "per_token", "gspo", "token_truncated", "token_masked",
                                           "reinforce", "is_grad", "per_decision_grad", "ppo_clip_grad", "tis_grad"])
        let specs: [EstimatorSpec] = [.paretoSmoothed, .klK1, .klK2, .klK3]
        #expect(specs.map(\.keyword) == ["psis", "kl_k1", "kl_k2", "kl_k3"])
        #expect(specs.allSatisfy { $0.parameters.isEmpty })
        #expect(specs.map(\.estimatesKL) == [false, true, true, true])
        #expect(![EstimatorSpec.importanceSampling, .selfNormalized, .truncated(cap: 1), .clamped(low: 0, high: 1),
                   .masked(low: 0, high: 1), .ppoClip(eps: 0.1)].contains { $0.estimatesKL })
        #expect(EstimatorSpec.clamped(low: 1, high: 2).keyword == "truncated")
        #expect(EstimatorSpec.clamped(low: 1, high: 2).parameters.map(\.label) == ["low", "high"])
        #expect(EstimatorSpec.selfNormalized.parameters.isEmpty)
    }
}
