import ISProbability
@testable import ISScenario
import Testing

@Suite("Expectations: sets of outcomes")
struct ExpectationTests {
    /// (text after `expect =`, value, canonical text): every form of the syntax.
    static let forms: [(String, ExpectedOutcome, String)] = [
        ("pass", .pass, "pass"),
        ("infinite_variance", .infiniteVariance, "infinite_variance"),
        ("support_violation", ExpectedOutcome(supportViolation: true), "support_violation"),
        ("khat_above_threshold", ExpectedOutcome(khatAboveThreshold: true), "khat_above_threshold"),
        ("fail(ess)", .fail([.ess]), "fail(ess)"),
        ("fail(khat)", .fail([.khat]), "fail(khat)"),
        ("fail(extreme_weights, exact_gradient, surrogate, trace, khat, bias_slope, mse, ess, variance, mean)",
         .fail(Set(CheckName.allCases)),
         "fail(mean, variance, ess, mse, bias_slope, khat, trace, surrogate, exact_gradient, extreme_weights)"),
        ("infinite_variance, khat_above_threshold", ExpectedOutcome(infiniteVariance: true, khatAboveThreshold: true),
         "infinite_variance, khat_above_threshold"),
        ("khat_above_threshold,infinite_variance", ExpectedOutcome(infiniteVariance: true, khatAboveThreshold: true),
         "infinite_variance, khat_above_threshold"),
        ("support_violation, fail(mean)", ExpectedOutcome(supportViolation: true, failing: [.mean]),
         "support_violation, fail(mean)"),
        ("fail( mean ) , support_violation", ExpectedOutcome(supportViolation: true, failing: [.mean]),
         "support_violation, fail(mean)"),
        ("fail(variance,\n       mean), infinite_variance", ExpectedOutcome(infiniteVariance: true, failing: [.mean, .variance]),
         "infinite_variance, fail(mean, variance)"),
        ("khat_above_threshold, fail(ess), support_violation, infinite_variance   # all four",
         ExpectedOutcome(infiniteVariance: true, supportViolation: true, khatAboveThreshold: true, failing: [.ess]),
         "infinite_variance, support_violation, khat_above_threshold, fail(ess)"),
    ]

    @Test(arguments: forms.indices)
    func parsesEachForm(_ index: Int) throws {
        let (text, expected, canonical) = Self.forms[index]
        let scenario = try ScenarioParser.parse(baseText(appending: ["expect = \(text)"]), file: "t")
        #expect(scenario.expectation == expected)
        #expect(expected.canonicalText == canonical)
        #expect("\(expected)" == canonical)
        #expect(scenario.canonicalText.contains("\nexpect      = \(canonical)\n"))
        let again = try ScenarioParser.parse(scenario.canonicalText, file: "t")
        #expect(again == scenario)
        #expect(again.canonicalText == scenario.canonicalText)
    }

    @Test func apiValues() {
        let pass = ExpectedOutcome()
        #expect(pass == .pass && pass.isPass)
        #expect(!pass.infiniteVariance && !pass.supportViolation && !pass.khatAboveThreshold && pass.failing.isEmpty)
        #expect(ExpectedOutcome.infiniteVariance == ExpectedOutcome(infiniteVariance: true))
        #expect(ExpectedOutcome.infiniteVariance.infiniteVariance && !ExpectedOutcome.infiniteVariance.isPass)
        #expect(ExpectedOutcome.fail([.mean, .khat]) == ExpectedOutcome(failing: [.khat, .mean]))
        #expect(ExpectedOutcome.fail([]) == .pass)
        #expect(ExpectedOutcome.fail([]).canonicalText == "pass")
        #expect(!ExpectedOutcome(supportViolation: true).isPass && !ExpectedOutcome(khatAboveThreshold: true).isPass)
        #expect(!ExpectedOutcome.fail([.ess]).isPass)
        var built = ExpectedOutcome.pass
        built.khatAboveThreshold = true
        built.failing.insert(.biasSlope)
        #expect(built.canonicalText == "khat_above_threshold, fail(bias_slope)")
        #expect(Set([ExpectedOutcome.pass, .fail([]), .infiniteVariance]).count == 2)
    }

    @Test func checkNamesKeepTheirRawValues() {
        #expect(CheckName.allCases.map(\.rawValue) == ["mean", "variance", "ess", "mse", "bias_slope", "khat", "trace", "surrogate",
                                                       "exact_gradient", "extreme_weights"])
        #expect(CheckName(rawValue: "khat") == .khat)
        #expect(CheckName(rawValue: "bias_slope") == .biasSlope)
    }

    @Test func defaultsToPass() throws {
        #expect(try ScenarioParser.parse(baseText(), file: "t").expectation == .pass)
        let built = Scenario(name: "t", summary: "d", target: try .normal(mean: 0, sd: 1), behavior: try .normal(mean: 0, sd: 1),
                             f: .x, samples: 10)
        #expect(built.expectation == .pass)
        #expect(built.canonicalText.contains("expect      = pass\n"))
    }

    /// Every one of the 2^3 x 2^9 sets of outcomes prints as text that parses
    /// back to the same set, and printing is idempotent. Each text goes through
    /// the parser's path for the value of `expect` (lexer, parseExpectation, the
    /// end of the statement); a whole scenario file, whose reading of the value is
    /// that same path, is parsed for every set of at most one failing check, the
    /// set of all of them, and every combination of the three outcome words.
    @Test func everySetRoundTrips() throws {
        let checks = CheckName.allCases
        var texts: Set<String> = []
        for flags in 0..<8 {
            for mask in 0..<(1 << checks.count) {
                let outcome = ExpectedOutcome(infiniteVariance: flags & 1 != 0, supportViolation: flags & 2 != 0,
                                              khatAboveThreshold: flags & 4 != 0,
                                              failing: Set(checks.indices.filter { mask & (1 << $0) != 0 }.map { checks[$0] }))
                let text = outcome.canonicalText
                texts.insert(text)
                let parsed = try Self.expectation(text)
                #expect(parsed == outcome, "\(text)")
                #expect(parsed.canonicalText == text)
                #expect(outcome.isPass == (flags == 0 && mask == 0))
                if mask & (mask - 1) == 0 || mask == (1 << checks.count) - 1 {
                    #expect(try ScenarioParser.parse(baseText(appending: ["expect = " + text]), file: "t").expectation == outcome, "\(text)")
                }
            }
        }
        #expect(texts.count == 8 << checks.count)
    }

    /// `text` read as the value of `expect`, as the scenario reader reads it.
    static func expectation(_ text: String) throws -> ExpectedOutcome {
        let line = "expect = " + text
        let source = SourceText(file: "t", text: line)
        let (tokens, diagnostics) = Lexer.tokenize(line, source: source)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(tokens.prefix(2).map(\.kind) == [.identifier("expect"), .equals])
        var parser = Parser(source: source, tokens: Array(tokens.dropFirst(2)))
        try parser.rejectInvalidTokens()
        let outcome = try parser.parseExpectation()
        try parser.expectEnd(after: "the value of 'expect'")
        return outcome
    }

    @Test func builtScenarioWithASetRoundTrips() throws {
        let scenario = Scenario(name: "miss", summary: "q misses p's right tail", target: try .normal(mean: 0, sd: 1),
                                behavior: try .uniform(low: -5, high: 0.5), f: .x, samples: 100,
                                expectation: ExpectedOutcome(supportViolation: true, khatAboveThreshold: true,
                                                             failing: [.mean, .khat]))
        #expect(scenario.canonicalText.contains("expect      = support_violation, khat_above_threshold, fail(mean, khat)\n"))
        var parsed = try ScenarioParser.parse(scenario.canonicalText, file: "miss")
        parsed.file = nil
        #expect(parsed == scenario)
    }

    @Test func sweptScenariosCarryTheSetToEveryPoint() throws {
        let text = ErrorCase.swept("sweep = gap in [0, 1, 2]", replacing: 3, with: "target = normal(mean: gap, sd: 1)",
                                   appending: ["expect = khat_above_threshold, infinite_variance"])
        let scenario = try SweepRoundTripTests.roundTrip(text)
        let expected = ExpectedOutcome(infiniteVariance: true, khatAboveThreshold: true)
        #expect(scenario.points.count == 3)
        #expect(scenario.points.allSatisfy { $0.expectation == expected })
    }

    /// A bad `expect` is one diagnostic (its first mistake), and the reader
    /// goes on to the next statement.
    @Test func oneDiagnosticPerStatement() {
        let found = diagnostics(baseText(appending: ["expect = pass, pass, fail()"]) + "trials = 1\n")
        #expect(found.map { "\($0.line):\($0.column)" } == ["7:16", "8:10"])
    }
}
