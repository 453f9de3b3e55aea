import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// The pieces of the HTML report that carry numbers: the replayed log-weights,
/// the density curves behind the slider, the histogram and the axes; and the
/// escaping that keeps a scenario's text from becoming markup.
@Suite("HTML report: data and escaping")
struct HTMLReportDataTests {
    @Test("replayed log-weights are the trial's own: exp of them sums to the trial's sum r, bit for bit")
    func logWeightsAreTheTrialsOwn() throws {
        let s = Fixture.gaussianGap(1, trials: 300)
        let sim = Simulator(jobs: 2, masterSeed: 7)
        for trial in [0, 64, 299] {
            let weights = try sim.logWeights(s, trials: trial..<(trial + 1))
            let summary = try sim.replay(s, trial: trial, estimators: [BuiltinEstimator(.importanceSampling)])
            #expect(weights.count == s.samples)
            // The trial sums exp(log r) in draw order; so does this.
            #expect(weights.reduce(0.0) { $0 + exp($1) } == summary.sumR, "trial \(trial)")
            #expect(weights.reduce(0.0) { $0 + exp($1) * exp($1) } == summary.sumR2, "trial \(trial)")
        }
        let pooled = try sim.logWeights(s, trials: 0..<3)
        #expect(pooled.count == 3 * s.samples)
        #expect(Array(pooled[s.samples..<(2 * s.samples)]) == (try sim.logWeights(s, trials: 1..<2)))
    }

    @Test("the histogram pools the first trials until they hold 4000 draws, at most K")
    func histogramTrials() {
        #expect(HTMLReport.histogramTrials(Fixture.gaussianGap(1)) == 0..<20)
        #expect(HTMLReport.histogramTrials(Fixture.scenario("big", p: Fixture.normal(0, 1), q: Fixture.normal(0, 1), f: "x", samples: 10_000)) == 0..<1)
        #expect(HTMLReport.histogramTrials(Fixture.scenario("few", p: Fixture.normal(0, 1), q: Fixture.normal(0, 1), f: "x", samples: 10, trials: 7)) == 0..<7)
    }

    @Test("density curves: N(gap, 1) peaks at gap and N(0, 1) at 0, on one grid for every point")
    func densityCurves() throws {
        let gaps = [0.0, 1.5, 3]
        let curves = try #require(DensityCurves(pairs: gaps.map { (Fixture.normal($0, 1), Fixture.normal(0, 1)) }))
        #expect(curves.xs.count == DensityCurves.gridSize)
        let step = curves.xs[1] - curves.xs[0]
        // The grid covers the 0.1% and 99.9% quantiles of N(0, 1) and N(3, 1).
        #expect(curves.xs.first! < -3.09 && curves.xs.last! > 6.09)
        for (i, gap) in gaps.enumerated() {
            let peak = curves.xs[curves.target[i].indices.max { curves.target[i][$0] < curves.target[i][$1] }!]
            #expect(abs(peak - gap) <= step / 2 + 1e-12, "gap \(gap): peak at \(peak)")
            let behaviorPeak = curves.xs[curves.behavior[i].indices.max { curves.behavior[i][$0] < curves.behavior[i][$1] }!]
            #expect(abs(behaviorPeak) <= step / 2 + 1e-12)
            for (x, d) in zip(curves.xs, curves.target[i]) {
                #expect(abs(d - exp(-(x - gap) * (x - gap) / 2) / (2 * Double.pi).squareRoot()) < 1e-12)
            }
        }
        #expect(abs(curves.largest - 1 / (2 * Double.pi).squareRoot()) < 1e-3)
    }

    @Test("density curves of bounded supports drop to zero beyond them")
    func boundedSupport() throws {
        let curves = try #require(DensityCurves(pairs: [(try .uniform(low: 0, high: 2), try .uniform(low: 0, high: 1))]))
        for (x, p) in zip(curves.xs, curves.target[0]) { #expect(abs(p - ((0...2).contains(x) ? 0.5 : 0)) < 1e-15) }
        for (x, q) in zip(curves.xs, curves.behavior[0]) { #expect(abs(q - ((0...1).contains(x) ? 1 : 0)) < 1e-15) }
        #expect(curves.xs.first! < 0 && curves.xs.last! > 2)
    }

    @Test("histogram: equal bins over the finite range; r = 0 draws counted apart; a constant ratio is one bar")
    func histogram() {
        let h = Histogram([0, 1, 2, 3, 4, -.infinity, .nan], bins: 4)
        #expect(h.counts == [1, 1, 1, 2])
        #expect(h.lower == 0 && h.upper == 4)
        #expect(h.negativeInfinite == 1 && h.otherNonFinite == 1)
        let flat = Histogram(Array(repeating: log(0.5), count: 10))
        #expect(flat.counts == [10])
        #expect(Histogram([.nan]).counts.isEmpty)
    }

    @Test("axes: logarithmic when values span the ratio, ticks inside the axis, pixels inverted exactly")
    func scales() {
        let lin = PlotScale.fitting([0, 3], logRatio: 10, from: 0, to: 100)
        #expect(!lin.logarithmic)
        #expect(lin.ticks == [0, 0.5, 1, 1.5, 2, 2.5, 3])
        let log = PlotScale.fitting([1e-4, 1], extra: [-5, 2], logRatio: 100, from: 200, to: 0)
        #expect(log.logarithmic)
        let ticks = log.ticks
        #expect(ticks.count == 5)
        for (t, want) in zip(ticks, [1e-4, 1e-3, 1e-2, 1e-1, 1]) { #expect(abs(t - want) <= 1e-15 * want) }
        #expect(log.pixel(-1) == 200)
        #expect(abs(log.value(atPixel: log.pixel(0.01)) - 0.01) < 1e-15)
        #expect(log.upper > 2)
    }

    @Test("escaping: markup in text and attributes, and JSON that cannot close its script element")
    func escaping() {
        #expect(HTMLText.escape("a <b>bold</b> & \"quoted\" 'x'") == "a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;x&#39;")
        #expect(HTMLText.jsonString("</script><!-- \"\\\n") == "\"\\u003c/script\\u003e\\u003c!-- \\\"\\\\\\n\"")
        #expect(HTMLText.jsonNumber(.infinity) == "null" && HTMLText.jsonNumber(nil) == "null" && HTMLText.jsonNumber(0.25) == "0.25")
        #expect(HTMLText.id("scenario", "gap-sweep@gap=1.5") == "scenario-gap-sweep_40_gap_3d_1_2e_5")
        #expect(HTMLText.coordinate(-0.01) == "0.0")
    }
}
