import ISProbability
@testable import ISScenario
import Testing

@Suite("Canonical text")
struct CanonicalTextTests {
    @Test(arguments: [
        ("x^2", "x^2"),
        ("exp(-x^2/2)", "exp(-x^2 / 2)"),
        ("(x>3)*x", "(x > 3) * x"),
        ("-(x+1)", "-(x + 1)"),
        ("((x))", "x"),
        ("x-(1-x)", "x - (1 - x)"),
        ("(x-1)-x", "x - 1 - x"),
        ("(x^2)^3", "(x^2)^3"),
        ("2^(3^2)", "2^3^2"),
        ("2^(-1)", "2^-1"),
        ("(-2)^2", "(-2)^2"),
        ("-(2)", "-(2)"),
        ("-(-2)", "--2"),
        ("x*(-1)", "x * -1"),
        ("(x < 1) == (x > 2)", "(x < 1) == (x > 2)"),
        ("x < (1 + 2)", "x < 1 + 2"),
        ("min(x,1,2)", "min(x, 1, 2)"),
        ("1.50", "1.5"),
        ("4_000", "4000"),
        ("1e20", "1e+20"),
        ("pi", "3.141592653589793"),
    ])
    func printsMinimalText(_ text: String, _ canonical: String) throws {
        let expression = try Formula(parsing: text)
        #expect(expression.canonicalText == canonical)
        #expect(try Formula(parsing: canonical) == expression)
    }

    /// Random trees (seeded) print to text that parses back to the same tree,
    /// and printing is idempotent.
    @Test func randomTreesRoundTrip() throws {
        var generator = ExpressionGenerator(random: SeededGenerator(seed: 20_261_122))
        for _ in 0..<3000 {
            let tree = generator.expression(depth: 6)
            let text = tree.canonicalText
            let parsed = try Formula(parsing: text)
            #expect(parsed == tree, "\(text)")
            #expect(parsed.canonicalText == text)
        }
    }

    static let builtScenarios: [Scenario] = {
        do {
            return [
                Scenario(name: "gaussian-gap-1", summary: "two unit Gaussians at gap 1; f = x^2",
                         target: try .normal(mean: 1, sd: 1), behavior: try .normal(mean: 0, sd: 1),
                         f: .power(.x, 2), samples: 200, trials: 4000, seed: 20_261_122),
                Scenario(name: "heavy.tails_2", summary: "quotes \" and \\ backslashes\tand tabs",
                         target: try .studentT(df: 2.5, loc: -1e-7, scale: 1e20),
                         behavior: try .mixture([(0.1, try .cauchy(loc: 0, scale: 1)),
                                                 (0.9, try .uniform(low: -3, high: 0.1 + 0.2))]),
                         f: .call(.max, [.negate(.x), .number(-0.5), .binary(.power, .number(-2), .x)]),
                         samples: 100_000_000, trials: 1_000_000_000, seed: .max, expectation: .fail([.ess, .mean])),
                Scenario(name: "x", summary: "", target: try .gamma(shape: 1.0 / 3, scale: 2),
                         behavior: try .weibull(shape: 0.5, scale: 3), f: .binary(.greater, .x, 3) * .x,
                         samples: 2, trials: 2, seed: 0, expectation: .infiniteVariance),
                Scenario(name: "every-other-family", summary: "beta, lognormal, logistic, chi_squared, exponential, laplace",
                         target: try .mixture([(0.2, try .beta(a: 2, b: 5)), (0.2, try .lognormal(meanlog: 0, sdlog: 0.25)),
                                               (0.2, try .logistic(loc: 1, scale: 2)), (0.2, try .chiSquared(df: 3)),
                                               (0.2, try .exponential(rate: 1.5))]),
                         behavior: try .laplace(loc: 0, scale: 4), f: .call(.log, [1 + .x * .x]), samples: 1000,
                         expectation: .fail([.variance])),
                Scenario(name: "psis-kl", summary: "every outcome at once", target: try .studentT(df: 1.5, loc: 0, scale: 1),
                         behavior: try .normal(mean: 0, sd: 1), f: .x, samples: 500,
                         expectation: ExpectedOutcome(infiniteVariance: true, supportViolation: true, khatAboveThreshold: true,
                                                      failing: [.khat, .mse]),
                         estimators: [.importanceSampling, .paretoSmoothed, .klK1, .klK2, .klK3], mseBelowIS: [.paretoSmoothed]),
            ]
        } catch {
            return []
        }
    }()

    @Test func builtScenariosRoundTrip() throws {
        #expect(Self.builtScenarios.count == 5)
        for scenario in Self.builtScenarios {
            let text = scenario.canonicalText
            var parsed = try ScenarioParser.parse(text, file: "built")
            #expect(parsed.file == "built")
            parsed.file = scenario.file
            #expect(parsed == scenario, "\(text)")
            #expect(parsed.canonicalText == text)
        }
    }

    @Test func canonicalLayout() throws {
        #expect(Self.builtScenarios.first?.canonicalText == """
        name        = "gaussian-gap-1"
        description = "two unit Gaussians at gap 1; f = x^2"
        target      = normal(mean: 1, sd: 1)
        behavior    = normal(mean: 0, sd: 1)
        f(x)        = x^2
        samples     = 200
        trials      = 4000
        seed        = 20261122
        expect      = pass

        """)
        #expect(ExpectedOutcome.fail([.ess, .mean, .variance]).canonicalText == "fail(mean, variance, ess)")
        #expect(Self.builtScenarios.last?.canonicalText.hasSuffix("""
        expect       = infinite_variance, support_violation, khat_above_threshold, fail(mse, khat)
        estimators   = is, psis, kl_k1, kl_k2, kl_k3
        mse_below_is = psis

        """) == true)
    }

    @Test func parsedExampleRoundTrips() throws {
        let scenario = try ScenarioParser.parse(ParserTests.example, file: "gap.iscert")
        let again = try ScenarioParser.parse(scenario.canonicalText, file: "gap.iscert")
        #expect(again == scenario)
    }

    /// Every scenario file shipped in Scenarios/ round-trips.
    @Test func shippedScenariosRoundTrip() throws {
        let directory = shippedScenariosDirectory()
        let files = (try? ScenarioParser.scenarioFiles(in: directory)) ?? []
        #expect(!files.isEmpty, "no scenario files found in \(directory)")
        for path in files {
            let scenario = try ScenarioParser.load(path: path)
            let again = try ScenarioParser.parse(scenario.canonicalText, file: path)
            #expect(again == scenario, "\(path)")
        }
    }
}
