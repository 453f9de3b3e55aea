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
    /// Trials 0 ..< khatTrials get a PSIS tail fit.
    public static let khatTrials = 500

    let scenario: Scenario
    let estimators: [any Estimator]
    let drawFrom: DrawSource
    let logP: LogDensity
    let logQ: LogDensity
    let scenarioKey: UInt64
    let streamIndex: TrialStreamIndex?
    let source: RandomSource
    var evaluator: BatchEvaluator
    var xs: [Double], lp: [Double], lq: [Double]
    var logRatios: [Double], ratios: [Double], values: [Double]

    init(scenario: Scenario, estimators: [any Estimator], drawFrom: DrawSource,
         masterSeed: UInt64, algorithm: RandomSource.Algorithm, streamIndex: TrialStreamIndex? = nil) throws {
        self.scenario = scenario
        self.streamIndex = streamIndex
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
        source.reseed(TrialSeed.trialKey(scenarioKey: scenarioKey, trial: streamIndex?(trial) ?? trial))
        let stream = source.stateFingerprint
        let n = scenario.samples
        let draw = drawFrom == .behavior ? scenario.behavior : scenario.target
        var sumR = 0.0, sumR2 = 0.0
        var nonFinite = 0
        var done = 0
        // One pass of unsafe buffers, and raw pointers in a while loop per sample:
        // Array subscripts would check uniqueness and bounds on every store, and
        // buffer subscripts and range iterators are calls in -Onone builds (the
        // counter wraps: it stays below N).
        logRatios.withUnsafeMutableBufferPointer { lrOut in
        ratios.withUnsafeMutableBufferPointer { rOut in
        values.withUnsafeMutableBufferPointer { fOut in
        xs.withUnsafeMutableBufferPointer { x in
        lp.withUnsafeMutableBufferPointer { lpb in
        lq.withUnsafeMutableBufferPointer { lqb in
            let lpp = lpb.baseAddress!, lqp = lqb.baseAddress!
            while done < n {
                let m = Swift.min(x.count, n - done)
                let xb = UnsafeMutableBufferPointer(rebasing: x[0..<m])
                draw.sample(into: xb, using: source)
                logP.evaluate(UnsafeBufferPointer(xb), into: lpb)
                logQ.evaluate(UnsafeBufferPointer(xb), into: lqb)
                evaluator.evaluate(UnsafeBufferPointer(xb), into: UnsafeMutableBufferPointer(rebasing: fOut[done..<(done + m)]))
                let lrp = lrOut.baseAddress! + done, rp = rOut.baseAddress! + done, fp = fOut.baseAddress! + done
                var i = 0
                while i < m {
                    let lr = lpp[i] - lqp[i]
                    let r = exp(lr)
                    lrp[i] = lr
                    rp[i] = r
                    if !bothFinite(r, fp[i]) { nonFinite += 1 }
                    sumR += r
                    sumR2 += r * r
                    i &+= 1
                }
                done += m
            }
        }}}}}}
        let estimates = logRatios.withUnsafeBufferPointer { lr in
            ratios.withUnsafeBufferPointer { r in
                values.withUnsafeBufferPointer { f in
                    let draws = TrialDraws(logRatios: lr, ratios: r, values: f)
                    return estimators.map { $0.estimate(draws) }
                }
            }
        }
        // k-hat on the first trials only: its mean is all the k-hat check uses, and
        // a tail fit per trial would dominate a debug run.
        let khat = trial < Self.khatTrials ? ParetoSmoothing.fit(logWeights: logRatios)?.khat : nil
        return TrialSummary(trial: trial, estimates: estimates, sumR: sumR, sumR2: sumR2, nonFinite: nonFinite, khat: khat,
                            stream: stream)
    }
}

/// Whether the weight r = exp(log r) and the value f are both finite (a nan
/// log r makes r nan): x - x is exactly 0 for every finite x and nan for an
/// infinity or a nan. (isFinite and isNaN are calls per sample in -Onone builds.)
@_transparent private func bothFinite(_ r: Double, _ f: Double) -> Bool { r - r + f - f == 0 }
