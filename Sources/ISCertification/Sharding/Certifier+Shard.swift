import ISProbability
import ISScenario

extension Certifier {
    /// Simulates shard `shard` of a run of `scenarios`: for every scenario point,
    /// the shard's blocks of trials, one ``RunStatistics`` per block. Nothing is
    /// checked; ``ShardMerge`` folds the shards and certifies.
    ///
    /// - Throws: ``ShardError`` when a scenario does not read back from its
    ///   canonical text (only hand-built scenarios can break that rule), and
    ///   whatever the simulation throws.
    public func runShard(_ scenarios: [Scenario], shard: ShardSpec) throws -> ShardFile {
        let entries = try scenarios.map { s in
            // The merge rebuilds each scenario from this text, so it must give
            // back this very scenario.
            let text = s.canonicalText
            var back = try? ScenarioParser.parse(text, file: s.file ?? "<\(s.name)>")
            back?.file = s.file
            guard back == s else {
                throw ShardError("scenario '\(s.name)' does not read back from its canonical text, so its shards could not be merged")
            }
            return ShardFile.ScenarioEntry(name: s.name, file: s.file, canonicalText: text)
        }
        var points: [ShardFile.Point] = []
        for scenario in scenarios {
            for point in scenario.points {
                let s = effective(point)
                let estimators = runEstimators(s)
                let blocks = Simulator.blockCount(trials: s.trials)
                let mine = shard.blocks(of: blocks)
                let statistics = try simulator.runBlocks(s, estimators: estimators, blocks: mine)
                points.append(ShardFile.Point(
                    name: s.name, samples: s.samples, trials: s.trials, seed: simulator.seed(for: s),
                    estimators: estimators.map(\.name), blocks: blocks, firstBlock: mine.lowerBound,
                    statistics: statistics.map(ShardFile.BlockStatistics.init)))
            }
        }
        return ShardFile(format: ShardFile.formatName, version: ShardFile.currentVersion,
                         shard: .init(index: shard.index, count: shard.count),
                         run: shardRun(entries, scenarios: scenarios), points: points)
    }

    /// The options a run's shards share.
    func shardRun(_ entries: [ShardFile.ScenarioEntry], scenarios: [Scenario]) -> ShardFile.Run {
        ShardFile.Run(scenarios: entries, seed: simulator.masterSeed, trials: trialsOverride, samples: samplesOverride,
                      familyChecks: familyChecks, alpha: alpha, checksInFamily: thresholds(for: scenarios).checks,
                      power: power, rng: simulator.algorithm.rawValue, blockSize: Simulator.blockSize)
    }
}

/// Why a shard could not be written, or shards could not be merged. The
/// description names the file concerned.
public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
