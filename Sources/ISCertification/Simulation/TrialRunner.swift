import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a trial's draws come from: the behaviour (correct), or, to plant a bug
/// in a test, the target.
public enum DrawSource: Sendable { case behavior, target }

/// Runs trials of one scenario; owns the per-worker buffers and generator.
///
/// Not shared between threads: each worker makes its own. A trial's draws are
/// kept whole (N values each of log r, r and f) so that every estimator, the
/// user's included, sees all of them.
final class TrialRunner {
    static let batch = 256

    let scenario: Scenario
    let estimators: [any Estimator]
    let drawFrom: DrawSource
    let logP: LogDensity
    let logQ: LogDensity
    let scenarioKey: UInt64
    let source: RandomSource
    var evaluator: BatchEvaluator
    var xs: [Double], lp: [Double], lq: [Double]
    var logRatios: [Double], ratios: [Double], values: [Double]

    init(scenario: Scenario, estimators: [any Estimator], drawFrom: DrawSource,
         masterSeed: UInt64, algorithm: RandomSource.Algorithm) throws {
        self.scenario = scenario
        self.estimators = estimators
        self.drawFrom = drawFrom
        logP = LogDensity(scenario.target)
        logQ = LogDensity(scenario.behavior)
        scenarioKey = TrialSeed.scenarioKey(master: masterSeed, scenario: scenario.name)
        source = try RandomSource(algorithm: algorithm, seed: 0)
        let capacity = Swift.min(Self.batch, scenario.samples)
        evaluator = BatchEvaluator(scenario.f, capacity: capacity)
        xs = Array(repeating: 0, count: capacity)
        lp = xs; lq = xs
        logRatios = Array(repeating: 0, count: scenario.samples)
        ratios = logRatios; values = logRatios
    }

    /// One trial, from its own stream: the same trial index always gives the same bits.
    func run(trial: Int) -> TrialSummary {
        source.reseed(TrialSeed.trialKey(scenarioKey: scenarioKey, trial: trial))
        let n = scenario.samples
        let draw = drawFrom == .behavior ? scenario.behavior : scenario.target
        var sumR = 0.0, sumR2 = 0.0
        var nonFinite = 0
        var done = 0
        while done < n {
            let m = Swift.min(xs.count, n - done)
            xs.withUnsafeMutableBufferPointer { x in
                let xb = UnsafeBufferPointer(rebasing: x[0..<m])
                draw.sample(into: UnsafeMutableBufferPointer(rebasing: x[0..<m]), using: source)
                lp.withUnsafeMutableBufferPointer { logP.evaluate(xb, into: $0) }
                lq.withUnsafeMutableBufferPointer { logQ.evaluate(xb, into: $0) }
                values.withUnsafeMutableBufferPointer {
                    evaluator.evaluate(xb, into: UnsafeMutableBufferPointer(rebasing: $0[done..<(done + m)]))
                }
            }
            for i in 0..<m {
                let lr = lp[i] - lq[i]
                let r = exp(lr)
                logRatios[done + i] = lr
                ratios[done + i] = r
                if !r.isFinite || !values[done + i].isFinite || lr.isNaN { nonFinite += 1 }
                sumR += r
                sumR2 += r * r
            }
            done += m
        }
        let estimates = logRatios.withUnsafeBufferPointer { lr in
            ratios.withUnsafeBufferPointer { r in
                values.withUnsafeBufferPointer { f in
                    let draws = TrialDraws(logRatios: lr, ratios: r, values: f)
                    return estimators.map { $0.estimate(draws) }
                }
            }
        }
        return TrialSummary(trial: trial, estimates: estimates, sumR: sumR, sumR2: sumR2, nonFinite: nonFinite)
    }
}
