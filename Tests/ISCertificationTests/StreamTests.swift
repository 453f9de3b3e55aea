import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Trials must draw from distinct streams: neighbouring trials that share one are
/// found within a block, across blocks and across shards, and make a scenario NOT MET.
@Suite struct StreamTests {
    static let scenario = Fixture.scenario("streams", p: Fixture.normal(0.5, 1), q: Fixture.normal(0, 1), f: "x",
                                           samples: 20, trials: 300)

    /// A correct run compares all K - 1 neighbouring pairs and finds none shared.
    @Test func correctRunsShareNoStream() throws {
        let stats = try Simulator(jobs: 2).run(Self.scenario, estimators: [BuiltinEstimator(.importanceSampling)])
        #expect(stats.streams.pairs == 299 && stats.streams.shared == 0 && stats.streams.firstShared == nil)
    }

    /// Trial 64 b keyed like trial 64 b - 1 (an off-by-one at every block start):
    /// each shared pair straddles two blocks, so only the merge of blocks can see
    /// it. It is found in one piece, and through shard files of 1, 2 and 3 shards.
    @Test func aStreamSharedAcrossBlocksIsFound() throws {
        var simulator = Simulator(jobs: 2)
        simulator.streamIndex = { k in k > 0 && k % Simulator.blockSize == 0 ? k - 1 : k }
        let certifier = Certifier(simulator: simulator)
        let stats = try simulator.run(Self.scenario, estimators: [BuiltinEstimator(.importanceSampling)])
        #expect(stats.streams.shared == 4 && stats.streams.firstShared == 63 && stats.streams.pairs == 299)
        let whole = try certifier.certify([Self.scenario])
        #expect(!whole.passed)
        #expect(whole.scenarios[0].verdict.hasPrefix("trials 63 and 64 started from the same random stream"), "\(whole.scenarios[0].verdict)")
        for n in 1...3 {
            let files = try (0..<n).map { i in
                ("shard-\(i).json", try ShardFile.decode(try certifier.runShard([Self.scenario], shard: ShardSpec(index: i, count: n)).encoded()))
            }
            let merged = try ShardMerge.merge(files)
            #expect(merged.statistics[Self.scenario.name]?.streams == stats.streams, "\(n) shards")
            #expect(try merged.certify().scenarios[0].verdict == whole.scenarios[0].verdict, "\(n) shards")
        }
    }

    /// A block's stored shared-stream counts must fit its trials.
    @Test func shardsWithImpossibleStreamCountsAreRefused() throws {
        var file = try Certifier(simulator: Simulator(jobs: 1)).runShard([Self.scenario], shard: ShardSpec(index: 0, count: 1))
        file.points[0].statistics[0].streams.shared = 64
        #expect(throws: ShardError.self) { try ShardMerge.merge([("bad.json", file)]) }
    }
}
