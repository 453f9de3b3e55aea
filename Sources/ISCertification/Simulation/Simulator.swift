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
        let range = range ?? 0..<scenario.trials
        let firstBlock = range.lowerBound / Self.blockSize
        let lastBlock = (range.upperBound + Self.blockSize - 1) / Self.blockSize
        let blockCount = Swift.max(0, lastBlock - firstBlock)
        let results = Mutex<[RunStatistics?]>(Array(repeating: nil, count: blockCount))
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        let seed = seed(for: scenario)
        let algorithm = self.algorithm
        let workers = Swift.min(jobs, Swift.max(blockCount, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let runner: any TrialRunning
            do {
                runner = try makeTrialRunner(scenario: scenario, estimators: estimators, drawFrom: drawFrom, masterSeed: seed, algorithm: algorithm)
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
                for t in lo..<hi { stats.add(runner.run(trial: t), samples: scenario.samples) }
                results.withLock { $0[b] = stats }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { blocks in
            blocks.reduce(into: RunStatistics(estimators: estimators.count)) { $0.merge($1!) }
        }
    }

    /// One trial alone, exactly as it runs inside a full run.
    public func replay(_ scenario: Scenario, trial: Int, estimators: [any Estimator],
                       drawFrom: DrawSource = .behavior) throws -> TrialSummary {
        let runner = try makeTrialRunner(scenario: scenario, estimators: estimators, drawFrom: drawFrom,
                                         masterSeed: seed(for: scenario), algorithm: algorithm)
        return runner.run(trial: trial)
    }
}

import Foundation

enum ProcessInfoShim {
    static var activeProcessors: Int { ProcessInfo.processInfo.activeProcessorCount }
}
