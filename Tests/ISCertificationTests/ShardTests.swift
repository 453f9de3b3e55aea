import Foundation
import ISProbability
import ISScenario
import Synchronization
import Testing
@testable import ISCertification

/// Sharded runs: disjoint block slices, exact storage, and a merge that gives the
/// bits of the unsharded run or refuses.
@Suite struct ShardTests {
    /// Two scenarios and a sweep over N with SNIS (a slope check), at an odd K.
    static func scenarios() throws -> [Scenario] {
        let gap = try ScenarioParser.parse("""
            name = "shard-gap"
            description = "gap 1 with several estimators and an MSE claim"
            target = normal(mean: 1, sd: 1)
            behavior = normal(mean: 0, sd: 1)
            f(x) = x^2
            samples = 40
            trials = 333
            estimators = is, snis, truncated(cap: 2)
            mse_below_is = truncated(cap: 2)
            """, file: "shard-gap.iscert")
        let sweep = try ScenarioParser.parse("""
            name = "shard-sweep"
            description = "SNIS over N"
            target = normal(mean: 0.5, sd: 1)
            behavior = normal(mean: 0, sd: 1)
            f(x) = x
            sweep = samples in [20, 40, 80]
            trials = 200
            estimators = is, snis
            """, file: "shard-sweep.iscert")
        return [gap, sweep]
    }

    static func certifier(seed: UInt64? = nil, jobs: Int = 2) -> Certifier {
        Certifier(simulator: Simulator(jobs: jobs, masterSeed: seed))
    }

    static func shards(_ n: Int, certifier: Certifier = certifier(), scenarios: [Scenario]) throws -> [(path: String, file: ShardFile)] {
        try (0..<n).map { i in
            let file = try certifier.runShard(scenarios, shard: ShardSpec(index: i, count: n))
            // Through the file's bytes, as the command line does.
            return ("shard-\(i).json", try ShardFile.decode(try file.encoded()))
        }
    }

    static func json(_ report: CertificationReport) throws -> String { try JSONReport(report).encoded() }

    /// The unsharded run of `scenarios()` with `certifier()`, certified once and
    /// shared by every shard count it is compared with (each comparison certifies
    /// its merged shards itself).
    static let unsharded = Result { try certifier().certify(try scenarios()) }

    @Test func shardSpecsParseAndRefuse() throws {
        let spec = try ShardSpec(parsing: "2/5")
        #expect(spec.index == 2 && spec.count == 5 && spec.description == "2/5")
        for bad in ["3/3", "0/0", "x/y", "-1/2", "1/", "/2", "", "1/2/3", "1 /2", "+1/2", "99999999999999999999/1", "0/100001"] {
            #expect(throws: ShardSpec.Invalid.self, "'\(bad)'") { try ShardSpec(parsing: bad) }
        }
        #expect(throws: ShardSpec.Invalid.self) { try ShardSpec(index: 0, count: 0) }
    }

    @Test func shardsCoverEveryBlockOnceInOrder() throws {
        for blocks in [0, 1, 2, 3, 7, 63, 64, 100] {
            for n in 1...9 {
                let ranges = try (0..<n).map { try ShardSpec(index: $0, count: n).blocks(of: blocks) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == blocks)
                for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            }
        }
        // Huge K does not overflow.
        let last = try ShardSpec(index: 99_999, count: 100_000).blocks(of: Int.max / 64)
        #expect(last.upperBound == Int.max / 64)
    }

    @Test func blocksFoldToTheBitsOfARun() throws {
        let s = Fixture.gaussianGap(1, trials: 301)
        let estimators: [any Estimator] = EstimatorSpec.examples.map { BuiltinEstimator($0) }
        let run = try Simulator(jobs: 2).run(s, estimators: estimators)
        let blocks = Simulator.blockCount(trials: s.trials)
        #expect(blocks == 5)
        let pieces = try [0..<2, 2..<3, 3..<5].flatMap { try Simulator(jobs: 3).runBlocks(s, estimators: estimators, blocks: $0) }
        #expect(Simulator.fold(pieces, estimators: estimators.count) == run)
    }

    @Test func blockStatisticsSurviveTheFileBitForBit() throws {
        var s = RunStatistics(estimators: 2)
        let odd: [Double] = [-0.0, .infinity, -.infinity, -Double.nan, .nan, Double(bitPattern: 0x7FF8_0000_0000_0ABC),
                             Double.leastNonzeroMagnitude, 0.1 + 0.2, -1.7976931348623157e308]
        for (t, x) in odd.enumerated() {
            s.add(TrialSummary(trial: 64 + t, estimates: [x, 1 / 3], sumR: 1, sumR2: x, nonFinite: x.isFinite ? 0 : 1,
                               khat: t % 2 == 0 ? x : nil), samples: 10)
        }
        let stored = ShardFile.BlockStatistics(s)
        let data = try JSONEncoder().encode(stored)
        let back = try JSONDecoder().decode(ShardFile.BlockStatistics.self, from: data)
        #expect(back == stored)
        let rebuilt = try back.statistics(estimators: 2, first: 64, trials: odd.count)
        #expect(ShardFile.BlockStatistics(rebuilt) == stored)
        #expect(rebuilt.firstNonFiniteTrial == s.firstNonFiniteTrial && rebuilt.nonFiniteTrials == s.nonFiniteTrials)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"nan(0x"))
        let infinities = try JSONEncoder().encode([ExactDouble(-.infinity), ExactDouble(.infinity), ExactDouble(-0.0)])
        #expect(String(decoding: infinities, as: UTF8.self) == "[\"-inf\",\"inf\",-0]")
        #expect(try JSONDecoder().decode([ExactDouble].self, from: infinities).map(\.value.bitPattern)
            == [(-Double.infinity).bitPattern, Double.infinity.bitPattern, (-0.0).bitPattern])
        // Counts that do not fit the block are refused.
        #expect(throws: ShardFile.Mismatch.self) { try back.statistics(estimators: 2, first: 64, trials: 64) }
        #expect(throws: ShardFile.Mismatch.self) { try back.statistics(estimators: 1, first: 64, trials: odd.count) }
        #expect(throws: ShardFile.Mismatch.self) { try back.statistics(estimators: 2, first: 0, trials: odd.count) }
    }

    @Test(arguments: [1, 2, 3, 7])
    func mergedShardsGiveTheUnshardedReport(_ n: Int) throws {
        let scenarios = try Self.scenarios()
        let unsharded = try Self.unsharded.get()
        let merged = try ShardMerge.merge(Array(try Self.shards(n, scenarios: scenarios).reversed())).certify()
        #expect(try Self.json(merged) == Self.json(unsharded))
        #expect(TextReport.render(merged) == TextReport.render(unsharded))
        #expect(merged.sweeps.first?.checks.isEmpty == false, "the sweep's slope check runs from merged statistics too")
    }

    @Test func theMergeKeepsTheRunsOptions() throws {
        let scenarios = try Self.scenarios()
        var certifier = Certifier(simulator: Simulator(jobs: 1, masterSeed: 9, algorithm: .taus2), alpha: 0.05,
                                  trials: 150, samples: 30)
        certifier.familyChecks = 11
        let unsharded = try certifier.certify(scenarios)
        let merged = try ShardMerge.merge(try Self.shards(4, certifier: certifier, scenarios: scenarios)).certify()
        #expect(try Self.json(merged) == Self.json(unsharded))
        #expect(merged.scenarios[0].replay.contains("--seed 9 --trials 150 --samples 30 --alpha 0.05 --family-checks 11 --rng taus2"))
    }

    func refusal(_ shards: [(path: String, file: ShardFile)]) -> String? {
        do { _ = try ShardMerge.merge(shards); return nil } catch { return error.description }
    }

    @Test func missingDuplicateAndForeignShardsAreRefused() throws {
        let scenarios = try Self.scenarios()
        let three = try Self.shards(3, scenarios: scenarios)
        #expect(refusal([])?.contains("no shard files") == true)
        #expect(refusal([three[0], three[2]])?.contains("missing shard 1/3") == true)
        #expect(refusal([three[0], three[1], ("copy.json", three[1].file), three[2]])?
            .hasPrefix("copy.json: duplicate shard: shard-1.json is also shard 1/3") == true)
        #expect(refusal([three[0], three[1], three[1]])?.contains("given twice") == true)

        let otherSeed = try Self.shards(3, certifier: Self.certifier(seed: 2), scenarios: scenarios)
        #expect(refusal([three[0], three[1], ("seeded.json", otherSeed[2].file)])?
            .hasPrefix("seeded.json: does not belong with shard-0.json: --seed differs: 2 here, not given in shard-0.json") == true)
        let four = try Self.shards(4, scenarios: scenarios)
        #expect(refusal([three[0], three[1], ("four.json", four[2].file)])?.contains("different number of shards") == true)
        let fewer = try Self.shards(3, scenarios: [scenarios[0]])
        #expect(refusal([three[0], three[1], ("fewer.json", fewer[2].file)])?.hasPrefix("fewer.json: does not belong") == true)

        var edited = three[1].file
        edited.points[0].statistics[0].estimates[0][0] = ExactDouble(63)
        #expect(refusal([three[0], ("edited.json", edited), three[2]])?
            .hasPrefix("edited.json: 'shard-gap' block 2 (trials 128 ..< 192): estimator 0 counts 63 trials, not 64") == true)
        var moved = three[1].file
        moved.points[0].firstBlock += 1
        #expect(refusal([three[0], ("moved.json", moved), three[2]])?.hasPrefix("moved.json: 'shard-gap' holds blocks") == true)
    }

    @Test func aScenarioThatDoesNotReadBackCannotBeSharded() throws {
        var s = Fixture.gaussianGap(1, trials: 100)
        s.name = "not a valid name"
        #expect(throws: ShardError.self) { try Self.certifier().runShard([s], shard: .whole) }
    }

    @Test func progressReportsCountEveryTrialAndChangeNoBit() throws {
        let s = Fixture.gaussianGap(1, trials: 200)
        let estimators: [any Estimator] = [BuiltinEstimator(.importanceSampling)]
        let seen = Mutex<[SimulationProgress]>([])
        var simulator = Simulator(jobs: 2)
        simulator.progress = { p in seen.withLock { $0.append(p) } }
        #expect(try simulator.run(s, estimators: estimators) == Simulator(jobs: 2).run(s, estimators: estimators))
        let reports = seen.withLock { $0 }
        #expect(reports.count == 1 + Simulator.blockCount(trials: 200))
        #expect(reports.first?.trialsDone == 0)
        #expect(reports.map(\.trialsDone).max() == 200)
        #expect(reports.allSatisfy { $0.trials == 200 && $0.scenario == s.name })
    }
}
