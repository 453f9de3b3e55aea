import Dispatch
import ISProbability
import ISScenario
import Synchronization

/// Runs the K trials of a scenario on several threads, bit-identically.
///
/// Trials are grouped in fixed blocks of ``blockSize`` (independent of the number
/// of jobs). A worker folds the trials of a block in index order; blocks are then
/// merged in block order. Each trial draws from its own stream (``TrialSeed``), so
/// neither the assignment of blocks to threads nor their timing can change a bit.
/// Memory is one small ``RunStatistics`` per block, never one entry per trial
/// beyond that.
public struct Simulator: Sendable {
    public static let blockSize = 64

    public var jobs: Int
    public var masterSeed: UInt64?
    public var algorithm: RandomSource.Algorithm
    /// For progress displays: called when a simulation starts, then from the
    /// worker threads after each block. It sees only counts, never a result, so
    /// it cannot change one.
    public var progress: (@Sendable (SimulationProgress) -> Void)?
    /// Seams for planted bugs (``PlantedBug``), nil in every real run: the index a
    /// trial's stream is keyed by, and the formula of a trial's ESS/N.
    var streamIndex: TrialStreamIndex?
    var essFraction: ESSFraction?

    /// - Parameters:
    ///   - jobs: worker threads, >= 1.
    ///   - masterSeed: overrides the scenario's seed when given.
    public init(jobs: Int = Simulator.defaultJobs, masterSeed: UInt64? = nil, algorithm: RandomSource.Algorithm = .mt19937) {
        self.jobs = Swift.max(1, jobs)
        self.masterSeed = masterSeed
        self.algorithm = algorithm
    }

    /// The number of active processors.
    public static var defaultJobs: Int { ProcessInfoShim.activeProcessors }

    /// The seed a scenario runs with.
    public func seed(for scenario: Scenario) -> UInt64 { masterSeed ?? scenario.seed }

    /// Trials `range` of `scenario`, folded into one ``RunStatistics``.
    public func run(_ scenario: Scenario, estimators: [any Estimator], drawFrom: DrawSource = .behavior,
                    trials range: Range<Int>? = nil) throws -> RunStatistics {
        Self.fold(try runBlocks(scenario, estimators: estimators, drawFrom: drawFrom, trials: range),
                  estimators: estimators.count)
    }

    /// The number of blocks of ``blockSize`` trials that `trials` trials make
    /// (the last one may be short).
    public static func blockCount(trials: Int) -> Int { (Swift.max(0, trials) + blockSize - 1) / blockSize }

    /// Blocks `blocks` of `scenario`'s trials, one ``RunStatistics`` per block in
    /// block order; block b holds trials 64b ..< min(64(b + 1), K). Folding the
    /// blocks of all shards with ``fold(_:estimators:)`` gives the bits of ``run``.
    public func runBlocks(_ scenario: Scenario, estimators: [any Estimator], drawFrom: DrawSource = .behavior,
                          blocks: Range<Int>) throws -> [RunStatistics] {
        let lo = Swift.min(blocks.lowerBound * Self.blockSize, scenario.trials)
        let hi = Swift.min(blocks.upperBound * Self.blockSize, scenario.trials)
        return try runBlocks(scenario, estimators: estimators, drawFrom: drawFrom, trials: lo..<hi)
    }

    /// Folds per-block statistics in block order, starting from an empty
    /// ``RunStatistics``. Chan's merge is not associative bit for bit, so every
    /// path to a run's statistics (one process, or merged shards) folds here.
    public static func fold(_ blocks: [RunStatistics], estimators: Int) -> RunStatistics {
        blocks.reduce(into: RunStatistics(estimators: estimators)) { $0.merge($1) }
    }

    /// Trials `range` (all K by default) in blocks: one ``RunStatistics`` per
    /// block that `range` meets, each holding the trials of `range` in it.
    func runBlocks(_ scenario: Scenario, estimators: [any Estimator], drawFrom: DrawSource,
                   trials range: Range<Int>?) throws -> [RunStatistics] {
        let range = range ?? 0..<scenario.trials
        let firstBlock = range.lowerBound / Self.blockSize
        let lastBlock = (range.upperBound + Self.blockSize - 1) / Self.blockSize
        let blockCount = Swift.max(0, lastBlock - firstBlock)
        let results = Mutex<[RunStatistics?]>(Array(repeating: nil, count: blockCount))
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let seed = seed(for: scenario)
        let algorithm = self.algorithm, streamIndex = self.streamIndex, essFraction = self.essFraction
        let progress = self.progress
        let workers = Swift.min(jobs, Swift.max(blockCount, 1))
        progress?(SimulationProgress(scenario: scenario.name, trialsDone: 0, trials: range.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let runner: any TrialRunning
            do {
                runner = try makeTrialRunner(scenario: scenario, estimators: estimators, drawFrom: drawFrom, masterSeed: seed,
                                             algorithm: algorithm, streamIndex: streamIndex)
            } catch {
                failure.withLock { $0 = $0 ?? error }
                return
            }
            while true {
                let b = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if b >= blockCount { return }
                let block = firstBlock + b
                let lo = Swift.max(block * Self.blockSize, range.lowerBound)
                let hi = Swift.min((block + 1) * Self.blockSize, range.upperBound)
                var stats = RunStatistics(estimators: estimators.count)
                for t in lo..<hi { stats.add(runner.run(trial: t), samples: scenario.samples, essFraction: essFraction) }
                results.withLock { $0[b] = stats }
                if let progress {
                    let total = done.wrappingAdd(hi - lo, ordering: .relaxed).newValue
                    progress(SimulationProgress(scenario: scenario.name, trialsDone: total, trials: range.count))
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }

    /// One trial alone, exactly as it runs inside a full run.
    public func replay(_ scenario: Scenario, trial: Int, estimators: [any Estimator],
                       drawFrom: DrawSource = .behavior) throws -> TrialSummary {
        let runner = try makeTrialRunner(scenario: scenario, estimators: estimators, drawFrom: drawFrom,
                                         masterSeed: seed(for: scenario), algorithm: algorithm, streamIndex: streamIndex)
        return runner.run(trial: trial)
    }
}

/// How far a simulation of one scenario has come: reported with 0 trials done when
/// it starts, then after each block from the thread that ran it, so reports of
/// one scenario may arrive out of order.
public struct SimulationProgress: Sendable, Hashable {
    /// The scenario (or sweep point) being simulated.
    public var scenario: String
    /// Trials finished so far in this simulation.
    public var trialsDone: Int
    /// Trials this simulation runs.
    public var trials: Int
}

import Foundation

enum ProcessInfoShim {
    static var activeProcessors: Int { ProcessInfo.processInfo.activeProcessorCount }
}
