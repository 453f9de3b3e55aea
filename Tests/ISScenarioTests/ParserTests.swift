import Foundation
import ISProbability
@testable import ISScenario
import Testing

@Suite("Parser: valid files")
struct ParserTests {
    static let example = """
    # The seeds' two unit Gaussians, one apart: E_p[x^2] = 2, ESS/N -> 1/e.
    name        = "gaussian-gap-1"
    description = "two unit Gaussians at gap 1; f = x^2"
    target      = normal(mean: 1, sd: 1)
    behavior    = normal(mean: 0, sd: 1)
    f(x)        = x^2
    samples     = 200
    trials      = 4000
    seed        = 20261122
    expect      = pass
    """

    @Test func parsesTheExample() throws {
        let scenario = try ScenarioParser.parse(Self.example, file: "gap.iscert")
        #expect(scenario.name == "gaussian-gap-1")
        #expect(scenario.summary == "two unit Gaussians at gap 1; f = x^2")
        #expect(scenario.target == (try Distribution.normal(mean: 1, sd: 1)))
        #expect(scenario.behavior == (try Distribution.normal(mean: 0, sd: 1)))
        #expect(scenario.f == .binary(.power, .x, 2))
        #expect(scenario.samples == 200)
        #expect(scenario.trials == 4000)
        #expect(scenario.seed == 20_261_122)
        #expect(scenario.expectation == .pass)
        #expect(scenario.file == "gap.iscert")
    }

    @Test func appliesDefaults() throws {
        let scenario = try ScenarioParser.parse(baseText(), file: "t.iscert")
        #expect(scenario.trials == Scenario.defaultTrials)
        #expect(scenario.seed == Scenario.defaultSeed)
        #expect(scenario.expectation == .pass)
    }

    /// Every family, with parameters 1, 2, 3, ... in signature order and in reverse order.
    @Test(arguments: Distribution.signatures)
    func parsesEveryFamily(_ signature: FamilySignature) throws {
        let arguments = signature.parameters.enumerated().map { (label: $0.element.label, value: Double($0.offset + 1)) }
        let expected = try Distribution.make(family: signature.name, arguments: arguments)
        for order in [arguments, arguments.reversed()] {
            let call = signature.name + "(" + order.map { "\($0.label): \(canonicalNumber($0.value))" }
                .joined(separator: ", ") + ")"
            let scenario = try ScenarioParser.parse(baseText(replacing: 3, with: "target = \(call)"), file: "t")
            #expect(scenario.target == expected)
        }
    }

    @Test func parsesMixturesWithConstantWeights() throws {
        let text = baseText(replacing: 3, with:
            "target = mixture(1/3 * normal(mean: -1, sd: 1), (1/3) * laplace(loc: 0, scale: 2), 1/3 * cauchy(loc: 1, scale: 0.5))")
        let scenario = try ScenarioParser.parse(text, file: "t")
        let expected = try Distribution.mixture([
            (1.0 / 3, try .normal(mean: -1, sd: 1)),
            (1.0 / 3, try .laplace(loc: 0, scale: 2)),
            (1.0 / 3, try .cauchy(loc: 1, scale: 0.5)),
        ])
        #expect(scenario.target == expected)
    }

    @Test func parsesWrappedLinesCommentsAndBlankLines() throws {
        let text = """

        # leading comment
        name = "wrapped"   # trailing comment
        description = "a # inside a string is not a comment"

        target = mixture(
            0.5 * normal(mean: -1,     # left bump
                         sd: 1),
            0.5 * normal(mean: 1, sd: 1)   # right bump
        )
        behaviour = student_t(df: 3,
                              loc: 0, scale: 2)
        f = exp(-x^2 /
                2)
        samples = 4_000
        trials = 1_000_000
        seed = 18_446_744_073_709_551_615
        expect = fail(variance, mean)

        """
        let scenario = try ScenarioParser.parse(text, file: "t")
        #expect(scenario.name == "wrapped")
        #expect(scenario.summary == "a # inside a string is not a comment")
        #expect(scenario.behavior == (try Distribution.studentT(df: 3, loc: 0, scale: 2)))
        #expect(scenario.f.canonicalText == "exp(-x^2 / 2)")
        #expect(scenario.samples == 4000)
        #expect(scenario.trials == 1_000_000)
        #expect(scenario.seed == UInt64.max)
        #expect(scenario.expectation == .fail([.mean, .variance]))
        guard case let .mixture(components) = scenario.target.family else {
            Issue.record("expected a mixture")
            return
        }
        #expect(components.map(\.weight) == [0.5, 0.5])
    }

    @Test func splitsWeightsBeforeTheFamily() throws {
        let text = baseText(replacing: 3, with:
            "target = mixture(2 * exp(-1) * 0.5 * normal(mean: 0, sd: 1), (1 - exp(-1)) * uniform(low: -1, high: 1))")
        let scenario = try ScenarioParser.parse(text, file: "t")
        guard case let .mixture(components) = scenario.target.family else {
            Issue.record("expected a mixture")
            return
        }
        #expect(components.map(\.weight) == [2 * Foundation.exp(-1) * 0.5, 1 - Foundation.exp(-1)])
    }

    @Test func evaluatesConstantParameterExpressions() throws {
        let text = baseText(replacing: 3, with: "target = normal(sd: sqrt(2)/2, mean: -pi + 2^-1 * e)")
        let scenario = try ScenarioParser.parse(text, file: "t")
        #expect(scenario.target == (try Distribution.normal(mean: -Double.pi + 0.5 * 2.718281828459045, sd: 2.0.squareRoot() / 2)))
    }

    @Test(arguments: [
        ("expect = pass", ExpectedOutcome.pass),
        ("expect = infinite_variance", .infiniteVariance),
        ("expect = fail(ess)", .fail([.ess])),
        ("expect = fail(mean, variance, ess)", .fail([.mean, .variance, .ess])),
        ("expect = support_violation", ExpectedOutcome(supportViolation: true)),
        ("expect = khat_above_threshold", ExpectedOutcome(khatAboveThreshold: true)),
        ("expect = infinite_variance, khat_above_threshold", ExpectedOutcome(infiniteVariance: true, khatAboveThreshold: true)),
        ("expect = support_violation, fail(mean)", ExpectedOutcome(supportViolation: true, failing: [.mean])),
    ])
    func parsesExpectations(_ line: String, _ expected: ExpectedOutcome) throws {
        let scenario = try ScenarioParser.parse(baseText(appending: [line]), file: "t")
        #expect(scenario.expectation == expected)
    }

    @Test func acceptsBehaviourSpellingAndPlainF() throws {
        let text = baseText(replacing: 4, with: "behaviour = laplace(loc: 0, scale: 1)")
            .replacingOccurrences(of: "f(x) = x^2", with: "f = abs(x)")
        let scenario = try ScenarioParser.parse(text, file: "t")
        #expect(scenario.behavior == (try Distribution.laplace(loc: 0, scale: 1)))
        #expect(scenario.f == .call(.abs, [.x]))
    }

    @Test func acceptsEscapesCRLFAndByteOrderMark() throws {
        let text = baseText(replacing: 2, with: #"description = "say \"hi\" \\ tab\there""#)
            .replacingOccurrences(of: "\n", with: "\r\n")
        let scenario = try ScenarioParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), file: "t")
        #expect(scenario.summary == "say \"hi\" \\ tab\there")
    }

    @Test func acceptsIntegerBoundaries() throws {
        let low = try ScenarioParser.parse(baseText(replacing: 6, with: "samples = 2", appending: ["trials = 2", "seed = 0"]), file: "t")
        #expect(low.samples == 2 && low.trials == 2 && low.seed == 0)
        let high = try ScenarioParser.parse(
            baseText(replacing: 6, with: "samples = 100_000_000", appending: ["trials = 1_000_000_000"]), file: "t")
        #expect(high.samples == 100_000_000 && high.trials == 1_000_000_000)
    }

    @Test func acceptsNamesWithEveryAllowedCharacter() throws {
        let scenario = try ScenarioParser.parse(baseText(replacing: 1, with: #"name = "Az09._-x""#), file: "t")
        #expect(scenario.name == "Az09._-x")
    }
}
