import Foundation
import ISScenario
import Testing
@testable import ISCertification

/// Issue #7: every catalogued bug is caught by the shipped suite, at the
/// scenarios' own seeds (fixed in the files before any bug existed) and at the
/// thresholds of `iscert check Scenarios`, and the correct estimators pass on the
/// same draws.
@Suite struct CatalogueTests {
    static let folder = Fixture.here.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios").path
    static let shipped: [Scenario] = ((try? ScenarioParser.scenarioFiles(in: folder)) ?? []).compactMap {
        try? ScenarioParser.load(path: $0)
    }
    static let runner = CatalogueRunner(certifier: Certifier(simulator: Simulator(jobs: 2)),
                                        thresholds: Certifier().thresholds(for: shipped))

    /// The shipped scenarios a bug applies to, in the order the test tries them:
    /// fewest draws first (N K, times T for token sequences, over all points), ties
    /// by name. The order only bounds the test's time; the claim is that some
    /// shipped scenario catches the bug, and the test stops at the first that does.
    static func candidates(_ bug: PlantedBug) -> [Scenario] {
        func draws(_ s: Scenario) -> Int { s.points.reduce(0) { $0 + $1.samples * $1.trials * ($1.policy?.length ?? 1) } }
        return shipped.filter(bug.applies).sorted { (draws($0), $0.name) < (draws($1), $1.name) }
    }

    /// Every bug has an effect on some shipped scenario, and is caught there.
    static let all = PlantedBug.catalogue.map(\.id)

    @Test func theSuiteShipsScenarios() {
        #expect(Self.shipped.count >= 30, "read \(Self.shipped.count) scenarios from \(Self.folder)")
    }

    @Test(arguments: all)
    func bugIsCaughtByTheShippedSuite(_ id: String) throws {
        let bug = try #require(PlantedBug.named(id))
        var tried: [String] = []
        for s in Self.candidates(bug) {
            let run = try Self.runner.run(s, bugs: [bug], seed: nil)
            let outcome = run.outcomes[0]
            if outcome.status == .caught {
                #expect(!outcome.failedChecks.isEmpty)
                #expect(run.baselineFailures.isEmpty, "\(id) on \(s.name): the correct estimators failed \(run.baselineFailures)")
                return
            }
            tried.append("\(s.name): \(outcome.status.rawValue)")
        }
        Issue.record("\(id) was caught by no shipped scenario; tried \(tried.joined(separator: ", "))")
    }

    /// The engine bugs reach gradient scenarios too: their runner draws from the
    /// target when told to, keys its streams through the same seam and records
    /// their fingerprints, and its ESS goes through the same fold. At K = 1000.
    @Test func engineBugsAreCaughtOnAGradientScenario() throws {
        let s = try #require(Self.shipped.first { $0.name == "bandit-3-gradient" })
        let runner = CatalogueRunner(certifier: Certifier(simulator: Simulator(jobs: 2), trials: 1000),
                                     thresholds: Self.runner.thresholds)
        let engine = PlantedBug.catalogue.filter(\.isEngineBug)
        #expect(engine.map(\.id) == ["drawn-from-target", "ess-reciprocal", "seed-off-by-one"])
        let run = try runner.run(s, bugs: engine, seed: nil)
        for (bug, outcome) in zip(engine, run.outcomes) {
            #expect(outcome.status == .caught, "\(bug.id): \(outcome)")
        }
        #expect(run.outcomes[2].failedChecks.contains(BugOutcome.streams), "\(run.outcomes)")
        #expect(run.baselineFailures.isEmpty, "\(run.baselineFailures)")
        // The shared streams alone decide the verdict (a mean check may fail too, by chance).
        var planted = runner.certifier
        planted.simulator = PlantedBug.seedOffByOne.planted(in: planted.simulator)
        let point = try #require(s.points.first)
        let report = try planted.certify(point, thresholds: runner.thresholds)
        let shared = try #require(Certifier.sharedStreams(report.statistics.streams))
        #expect(!report.met && report.verdict == shared, "\(report.verdict)")
    }

    /// A mask applied by multiplying gives inf x 0 = NaN only where a ratio exceeds
    /// e^709.78, and draws from q reach that with probability at most e^-709.78
    /// (Markov's inequality, E_q[r] = 1): no simulation shows it, which is why the
    /// suite has the extreme-weights check. Its simulated checks cannot see it:
    @Test func nanFromZeroTimesInfinityIsCaughtOnlyByTheExtremeWeightsCheck() throws {
        let s = try #require(Self.shipped.first { $0.name == "icepop-mask" })
        let run = try Self.runner.run(s, bugs: [PlantedBug.nanZeroTimesInfinity], seed: nil)
        #expect(run.outcomes[0].status == .caught)
        #expect(run.outcomes[0].failedChecks == [CheckName.extremeWeights.rawValue])
    }

    /// The numbers that break real code: exp(1000) under a mask.
    @Test func nanFromZeroTimesInfinityOnItsTestVector() throws {
        let spec = EstimatorSpec.masked(low: 0.5, high: 5)
        let buggy = try #require(PlantedBug.nanZeroTimesInfinity.estimator(for: spec, in: Self.shipped[0]))
        let lr: [Double] = [1000, Foundation.log(0.8), Foundation.log(6.0)], r = lr.map { Foundation.exp($0) }, f = [1.0, 1, 1]
        let (wrong, right) = lr.withUnsafeBufferPointer { a in r.withUnsafeBufferPointer { b in f.withUnsafeBufferPointer { c in
            let d = TrialDraws(logRatios: a, ratios: b, values: c)
            return (buggy.estimate(d), BuiltinEstimator(spec).estimate(d))
        } } }
        #expect(wrong.isNaN)
        #expect(abs(right - 0.8 / 3) < 1e-15)
    }

    /// The committed detection measurement (docs/measurements/, from
    /// ci/measure-catalogue.sh) covers every bug of the catalogue and every shipped
    /// scenario, at the shipped suite's threshold.
    @Test func theCommittedMeasurementCoversTheCatalogue() throws {
        let folder = Fixture.here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/measurements")
        var bugs: [String: Set<String>] = [:]
        for file in ["catalogue-main.json", "catalogue-costly.json"] {
            let d = JSONDecoder()
            d.keyDecodingStrategy = .convertFromSnakeCase
            let report = try d.decode(CatalogueReport.self, from: Data(contentsOf: folder.appendingPathComponent(file)))
            #expect(report.checksInFamily == Self.runner.thresholds.checks, "\(file): regenerate with ci/measure-catalogue.sh")
            #expect(report.seeds.count >= 20)
            for bug in report.bugs { bugs[bug.id, default: []].formUnion(bug.scenarios.map(\.scenario)) }
        }
        #expect(Set(bugs.keys) == Set(PlantedBug.catalogue.map(\.id)))
        #expect(bugs.values.allSatisfy { $0 == Set(Self.shipped.map(\.name)) })
    }

    /// Each bug states its mistake, names are unique, and estimator bugs keep the
    /// correct specification (so the exact references are those of correct code).
    @Test func theCatalogueIsWellFormed() throws {
        let ids = PlantedBug.catalogue.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(PlantedBug.catalogue.allSatisfy { !$0.summary.isEmpty })
        let e = try #require(PlantedBug.ratioInverted.estimator(for: .importanceSampling, in: Self.shipped[0]))
        #expect(e.name == "is [ratio-inverted]" && e.spec == .importanceSampling)
        #expect(PlantedBug.ratioInverted.estimator(for: .klK1, in: Self.shipped[0]) == nil)
    }
}
