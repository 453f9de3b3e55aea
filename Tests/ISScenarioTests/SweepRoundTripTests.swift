import ISProbability
@testable import ISScenario
import Testing

@Suite("Sweeps: canonical text round trips")
struct SweepRoundTripTests {
    /// Parses `text`, prints it, parses that: equal scenarios, points included,
    /// and printing is idempotent.
    static func roundTrip(_ text: String, file: String = "t") throws -> Scenario {
        let scenario = try ScenarioParser.parse(text, file: file)
        let again = try ScenarioParser.parse(scenario.canonicalText, file: file)
        #expect(again == scenario, "\(scenario.canonicalText)")
        #expect(again.points == scenario.points)
        #expect(again.canonicalText == scenario.canonicalText)
        return scenario
    }

    @Test func parsedSweepPrintsItsTemplates() throws {
        let scenario = try Self.roundTrip(SweepTests.gapFile)
        #expect(scenario.canonicalText == """
        name         = "gap"
        description  = "a swept gap"
        sweep        = gap in [0.5, 1, 1.5]
        target       = mixture(gap / 4 * normal(mean: gap, sd: 1), (1 - gap / 4) * laplace(loc: -gap, scale: 1 + gap))
        behavior     = normal(mean: 0, sd: 2)
        f(x)         = x^2 + gap
        samples      = 100
        trials       = 4000
        seed         = 1
        expect       = pass
        estimators   = is, truncated(cap: 1 + gap), snis
        mse_below_is = truncated(cap: gap + 1)

        """)
    }

    @Test(arguments: [
        "sweep = gap from 0 to 3 step 0.25",
        "sweep = gap in [-2, 1e-7, 1e20, 1/3]",
        "sweep = gap in [1]",
    ])
    func parsedSweepsRoundTrip(_ sweep: String) throws {
        let text = ErrorCase.swept(sweep, replacing: 4, with: "behavior = student_t(df: 3, loc: -gap, scale: 1 + gap^2)",
                                   appending: ["estimators = is, ppo_clip(eps: 1 / (2 + gap^2)), masked(low: 0, high: 3 + gap^2)"])
        let scenario = try Self.roundTrip(text.replacingOccurrences(of: "f(x) = x^2", with: "f(x) = (x > gap) * -x + min(gap, 1)"))
        #expect(scenario.canonicalText.contains("= student_t(df: 3, loc: -gap, scale: 1 + gap^2)\n"))
        #expect(scenario.canonicalText.contains("= (x > gap) * -x + min(gap, 1)\n"))
    }

    /// Random trees (seeded) with the variable in place of some numbers
    /// print as f(x) and read back as the same tree, at every point.
    @Test func randomTemplatesRoundTrip() throws {
        var generator = ExpressionGenerator(random: SeededGenerator(seed: 99))
        func template(_ formula: Formula) -> ExpressionTemplate {
            switch formula {
            case let .number(value): value == 1 || value == 2 ? .parameter("gap") : .number(value)
            case .variable: .variable
            case let .negate(a): .negate(template(a))
            case let .binary(op, a, b): .binary(op, template(a), template(b))
            case let .call(function, arguments): .call(function, arguments.map(template))
            }
        }
        for _ in 0..<500 {
            let tree = ExpressionTemplate.binary(.add, template(generator.expression(depth: 5)), .parameter("gap"))
            let text = ErrorCase.swept("sweep = gap in [-0.5, 3]", replacing: 5, with: "f(x) = " + tree.canonicalText)
            let scenario = try ScenarioParser.parse(text, file: "t")
            #expect(scenario.templates.f == tree.canonicalText)
            #expect(scenario.points.map(\.f) == [tree.formula(at: -0.5), tree.formula(at: 3)])
            #expect(try ScenarioParser.parse(scenario.canonicalText, file: "t") == scenario)
        }
    }

    @Test func constantValuesOfASweptFilePrintAsNumbers() throws {
        let text = ErrorCase.swept("sweep = gap in [0, 1]", replacing: 4, with: "behavior = normal(mean: sqrt(4), sd: gap + 1)")
        let scenario = try Self.roundTrip(text)
        #expect(scenario.canonicalText.contains("behavior    = normal(mean: 2, sd: gap + 1)\n"))
        #expect(scenario.canonicalText.contains("f(x)        = x^2\n"))
    }

    @Test func sampleSweepsRoundTrip() throws {
        let scenario = try Self.roundTrip(ErrorCase.sampled("sweep = samples from 2 to 8 step 2"))
        #expect(scenario.points.map(\.samples) == [2, 4, 6, 8])
    }

    /// A sweep built in Swift prints expressions of the variable that give
    /// back every point exactly: the variable itself, affine functions of it,
    /// and a sum that picks each value out when nothing simpler fits.
    @Test func sweptBuilderRoundTrips() throws {
        let values: [Double] = [0, 0.5, 1, 3]
        let built = try Scenario.swept("gap", over: values) { gap in
            Scenario(name: "b", summary: "built", target: try .mixture([(0.25 + gap / 8, try .normal(mean: gap, sd: 1)),
                                                                        (0.75 - gap / 8, try .normal(mean: -gap, sd: 2))]),
                     behavior: try .normal(mean: 0, sd: 1 + gap * gap), f: .x * .x + .number(2 * gap + 1),
                     samples: 100, estimators: [.importanceSampling, .truncated(cap: 3 * gap + 0.1)],
                     mseBelowIS: [.truncated(cap: 3 * gap + 0.1)], file: "b")
        }
        #expect(built.points.map(\.name) == ["b@gap=0", "b@gap=0.5", "b@gap=1", "b@gap=3"])
        #expect(built.points.map(\.f) == values.map { .x * .x + .number(2 * $0 + 1) })
        let parsed = try ScenarioParser.parse(built.canonicalText, file: "b")
        #expect(parsed == built, "\(built.canonicalText)")
        #expect(parsed.points == built.points)
        #expect(built.canonicalText.contains("= mixture((0.125 * gap + 0.25) * normal(mean: gap, sd: 1), "
            + "(-0.125 * gap + 0.75) * normal(mean: -gap, sd: 2))\n"))
        #expect(built.canonicalText.contains("= normal(mean: 0, sd: (gap == 0) * 1 + (gap == 0.5) * 1.25 + "
            + "((gap == 1) * 2 + (gap == 3) * 10))\n"))
        #expect(built.canonicalText.contains("= x * x + (2 * gap + 1)\n"))
    }

    @Test func sweptBuilderOverSamples() throws {
        let base = try ScenarioParser.parse(baseText(), file: "t")
        let built = Scenario.swept("samples", over: [10, 20, 40]) { _ in base }
        #expect(built.points.map(\.samples) == [10, 20, 40])
        #expect(built.points.map(\.name) == ["t@samples=10", "t@samples=20", "t@samples=40"])
        #expect(try ScenarioParser.parse(built.canonicalText, file: "t") == built)
    }

    /// Differences no expression can describe (here the shape of f) print as
    /// the first point's value; the points themselves are kept.
    @Test func sweptBuilderKeepsPointsItCannotPrint() throws {
        let base = try ScenarioParser.parse(baseText(), file: "t")
        let built = Scenario.swept("k", over: [1, 2]) { k in
            var point = base
            point.f = k == 1 ? .x : .call(.exp, [.x])
            return point
        }
        #expect(built.points.map(\.f) == [.x, .call(.exp, [.x])])
        #expect(built.canonicalText.contains("f(x)        = x\n"))
    }
}
