import Foundation
import ISProbability
@testable import ISScenario
import Testing

@Suite("Sweeps: values and points")
struct SweepTests {
    static let gapFile = """
    name        = "gap"
    description = "a swept gap"
    target      = mixture(gap / 4 * normal(mean: gap, sd: 1), (1 - gap / 4) * laplace(loc: -gap, scale: 1 + gap))
    behavior    = normal(mean: 0, sd: 2)
    f(x)        = x^2 + gap
    samples     = 100
    estimators  = is, truncated(cap: 1 + gap), snis
    mse_below_is = truncated(cap: gap + 1)
    sweep       = gap in [0.5, 1, 1.5]   # after its uses: order does not matter
    """

    @Test func makesOnePointPerValue() throws {
        let scenario = try ScenarioParser.parse(Self.gapFile, file: "gap.iscert")
        #expect(scenario.sweep == Sweep(variable: "gap", values: [0.5, 1, 1.5]))
        #expect(scenario.sweepPoint == nil)
        let points = scenario.points
        #expect(points.map(\.name) == ["gap@gap=0.5", "gap@gap=1", "gap@gap=1.5"])
        #expect(points.map(\.sweepPoint) == [0.5, 1, 1.5].map { SweepPoint(variable: "gap", value: $0) })
        for (point, gap) in zip(points, [0.5, 1, 1.5]) {
            #expect(point.sweep == nil)
            #expect(point.points == [point])
            #expect(point.file == "gap.iscert")
            #expect(point.samples == 100 && point.trials == Scenario.defaultTrials && point.summary == "a swept gap")
            #expect(point.target == (try Distribution.mixture([(gap / 4, try .normal(mean: gap, sd: 1)),
                                                               (1 - gap / 4, try .laplace(loc: -gap, scale: 1 + gap))])))
            #expect(point.behavior == (try Distribution.normal(mean: 0, sd: 2)))
            #expect(point.f == .binary(.add, .power(.x, 2), .number(gap)))
            #expect(point.estimators == [.importanceSampling, .truncated(cap: 1 + gap), .selfNormalized])
            #expect(point.mseBelowIS == [.truncated(cap: 1 + gap)])
        }
    }

    @Test func theSweptScenarioHasItsFirstPointsValues() throws {
        let scenario = try ScenarioParser.parse(Self.gapFile, file: "gap.iscert")
        let first = try #require(scenario.points.first)
        #expect(scenario.name == "gap")
        #expect(scenario.target == first.target && scenario.behavior == first.behavior && scenario.f == first.f)
        #expect(scenario.samples == first.samples && scenario.estimators == first.estimators)
        #expect(scenario.mseBelowIS == first.mseBelowIS)
    }

    @Test func unsweptScenariosAreTheirOnlyPoint() throws {
        let scenario = try ScenarioParser.parse(baseText(), file: "t")
        #expect(scenario.sweep == nil && scenario.sweepPoint == nil)
        #expect(scenario.points == [scenario])
    }

    /// Parts of f without x are folded to numbers at each point, so a point's
    /// f uses only Formula's own cases; parts without the variable stay as written.
    @Test func substitutesIntoF() throws {
        let text = ErrorCase.swept("sweep = gap in [1, 2]", replacing: 5, with: "f(x) = exp(-gap) * x + sqrt(2) * (x > gap * 2)")
        let point = try #require(try ScenarioParser.parse(text, file: "t").points.first)
        #expect(point.f == .binary(.add, .binary(.multiply, .number(Foundation.exp(-1)), .x),
                                   .binary(.multiply, .call(.sqrt, [2]), .binary(.greater, .x, .number(2)))))
        #expect(point.f.evaluate(at: 3) == Foundation.exp(-1) * 3 + 2.0.squareRoot())
    }

    /// A part that is nan or infinite at a point is kept as a tree, not folded
    /// to a number that would not equal itself (nan) or read back.
    @Test func keepsNonFiniteParts() throws {
        let text = ErrorCase.swept("sweep = gap in [0, 1]", replacing: 5, with: "f(x) = x + log(-gap) + 1 / gap")
        let scenario = try ScenarioParser.parse(text, file: "t")
        #expect(scenario.points.map(\.f.canonicalText) == ["x + log(-0) + 1 / 0", "x + log(-1) + 1"])
        #expect(try ScenarioParser.parse(scenario.canonicalText, file: "t") == scenario)
    }

    static let ranges: [(String, [Double])] = [
        ("gap from 0 to 3 step 0.25", (0...12).map { Double($0) / 4 }),
        ("gap from 0 to 1 step 0.1", [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]),
        ("gap from 0 to 1 step 0.3", [0, 0.3, 0.6, 0.8999999999999999]),
        ("gap from -1 to 1 step 1", [-1, 0, 1]),
        ("gap from 2 to 2 step 1", [2]),
        ("gap from 0 to 1.0000000001 step 0.5", [0, 0.50000000005, 1.0000000001]),
        ("gap from 0 to 1.00001 step 0.5", [0, 0.5, 1]),
        ("gap in [3, -1, 2.5e-3, 1/3, pi]", [3, -1, 0.0025, 1.0 / 3, Double.pi]),
        ("gap in [\n  0,\n  1   # wrapped\n]", [0, 1]),
    ]

    @Test(arguments: ranges.indices)
    func readsValues(_ index: Int) throws {
        let (sweep, values) = Self.ranges[index]
        let scenario = try ScenarioParser.parse(ErrorCase.swept("sweep = " + sweep), file: "t")
        #expect(scenario.sweep?.values == values)
        #expect(scenario.points.map { $0.sweepPoint?.value } == values)
        #expect(scenario.points.map(\.target) == (try values.map { try Distribution.normal(mean: $0, sd: 1) }))
    }

    @Test func acceptsTenThousandPointsAndNoMore() throws {
        let scenario = try ScenarioParser.parse(ErrorCase.swept("sweep = gap from 1 to 10_000 step 1"), file: "t")
        #expect(scenario.points.count == Sweep.maxPoints)
        #expect(scenario.points.last?.name == "t@gap=10000")
        #expect(Sweep.grid(from: 1, to: 10_001, step: 1) == nil)
        #expect(Sweep.grid(from: 0, to: 1, step: 0.25) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test func sweepsSamples() throws {
        let scenario = try ScenarioParser.parse(ErrorCase.sampled("sweep = samples in [50, 100, 2e2]"), file: "t")
        #expect(scenario.sweep?.sweepsSamples == true)
        #expect(scenario.samples == 50)
        #expect(scenario.points.map(\.samples) == [50, 100, 200])
        #expect(scenario.points.map(\.name) == ["t@samples=50", "t@samples=100", "t@samples=200"])
        #expect(Set(scenario.points.map(\.target)).count == 1)
        let range = try ScenarioParser.parse(ErrorCase.sampled("sweep = samples from 100 to 1000 step 300"), file: "t")
        #expect(range.points.map(\.samples) == [100, 400, 700, 1000])
        #expect(!range.canonicalText.contains("\nsamples"))
        #expect(range.canonicalText.contains("\nsweep       = samples in [100, 400, 700, 1000]\n"))
    }

    @Test func sweepVariableMayBeAnyOtherName() throws {
        for name in ["sd", "normal", "_k2", "truncated", "in", "from"] {
            let text = baseText(replacing: 3, with: "target = normal(mean: 0, sd: \(name))",
                                appending: ["sweep = \(name) in [1, 2]"])
            #expect(try ScenarioParser.parse(text, file: "t").points.map(\.target) ==
                [try .normal(mean: 0, sd: 1), try .normal(mean: 0, sd: 2)], "\(name)")
        }
    }

    @Test func sweepBuiltFromTheInitializer() throws {
        let base = try ScenarioParser.parse(baseText(), file: "t")
        let sampled = Scenario(name: "t", summary: "d", target: base.target, behavior: base.behavior, f: base.f, samples: 7,
                               sweep: Sweep(variable: "samples", values: [10, 20]), file: "t")
        #expect(sampled.points.map(\.samples) == [10, 20])
        #expect(sampled.samples == 10)
        #expect(try ScenarioParser.parse(sampled.canonicalText, file: "t") == sampled)
        var moved = sampled
        moved.file = "elsewhere"
        #expect(moved.points.allSatisfy { $0.file == "elsewhere" })
    }
}
