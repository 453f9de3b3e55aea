import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What runs one trial: ``TrialRunner`` for continuous draws, ``PolicyTrialRunner``
/// for token sequences and integer actions.
protocol TrialRunning: AnyObject {
    func run(trial: Int) -> TrialSummary
    /// The log-weights of the last trial run, one per sample.
    var trialLogWeights: [Double] { get }
}

extension TrialRunner: TrialRunning {
    var trialLogWeights: [Double] { logRatios }
}

/// Makes the runner a scenario needs.
/// `streamIndex` maps a trial to the index its stream is keyed by (the trial's
/// own index when nil; a seam for planted bugs, see ``PlantedBug``).
func makeTrialRunner(scenario: Scenario, estimators: [any Estimator], drawFrom: DrawSource,
                     masterSeed: UInt64, algorithm: RandomSource.Algorithm,
                     streamIndex: TrialStreamIndex? = nil) throws -> any TrialRunning {
    if let policy = scenario.policy, scenario.isGradientScenario {
        return try GradientTrialRunner(scenario: scenario, pair: policy, components: estimators, drawFrom: drawFrom, masterSeed: masterSeed,
                                       algorithm: algorithm, streamIndex: streamIndex)
    }
    if let policy = scenario.policy {
        return try PolicyTrialRunner(scenario: scenario, pair: policy, estimators: estimators, drawFrom: drawFrom,
                                     masterSeed: masterSeed, algorithm: algorithm, streamIndex: streamIndex)
    }
    return try TrialRunner(scenario: scenario, estimators: estimators, drawFrom: drawFrom, masterSeed: masterSeed,
                           algorithm: algorithm, streamIndex: streamIndex)
}

/// Runs trials of a policy scenario: N sequences of T tokens (T = 1 for one
/// action), each token's log-ratio from precomputed tables, the sequence's
/// log-weight as their sum. Weights are formed from log W only at the end, so
/// a weight beyond double range is +inf or 0 and counted, never NaN.
final class PolicyTrialRunner {
    let scenario: Scenario
    let pair: PolicyPair
    let estimators: [any Estimator]
    let drawFrom: DrawSource
    let scenarioKey: UInt64
    let streamIndex: TrialStreamIndex?
    let source: RandomSource
    let length: Int
    /// Chains: log r of token v after token u at (u + 1) * V + v (u = -1 for the first
    /// token), and f at each token.
    let logRatioTable: [Double]
    let rewardTable: [Double]
    var tokens: [Int]
    var tokenLogRatios: [Double], tokenRewards: [Double]
    var logW: [Double], weights: [Double], rewards: [Double]

    init(scenario: Scenario, pair: PolicyPair, estimators: [any Estimator], drawFrom: DrawSource,
         masterSeed: UInt64, algorithm: RandomSource.Algorithm, streamIndex: TrialStreamIndex? = nil) throws {
        self.scenario = scenario
        self.streamIndex = streamIndex
        self.pair = pair
        self.estimators = estimators
        self.drawFrom = drawFrom
        scenarioKey = TrialSeed.scenarioKey(master: masterSeed, scenario: scenario.name)
        source = try RandomSource(algorithm: algorithm, seed: 0)
        length = pair.length
        if let p = pair.target.chain, let q = pair.behavior.chain {
            let V = p.vocabulary
            var table = [Double](repeating: 0, count: (V + 1) * V)
            for u in -1..<V { for v in 0..<V { table[(u + 1) * V + v] = p.logStep(u, v) - q.logStep(u, v) } }
            logRatioTable = table
            rewardTable = (0..<V).map { scenario.f.evaluate(at: Double($0)) }
        } else {
            logRatioTable = []
            rewardTable = []
        }
        let n = scenario.samples
        tokens = Array(repeating: 0, count: length)
        tokenLogRatios = Array(repeating: 0, count: n * length)
        tokenRewards = tokenLogRatios
        logW = Array(repeating: 0, count: n)
        weights = logW; rewards = logW
    }

    func run(trial: Int) -> TrialSummary {
        source.reseed(TrialSeed.trialKey(scenarioKey: scenarioKey, trial: streamIndex?(trial) ?? trial))
        let stream = source.stateFingerprint
        let n = scenario.samples, T = length
        let draw = drawFrom == .behavior ? pair.behavior : pair.target
        let scoreAll = pair.scored == .all
        var sumR = 0.0, sumR2 = 0.0, nonFinite = 0
        let V = pair.target.chain?.vocabulary ?? 0
        tokens.withUnsafeMutableBufferPointer { y in
        tokenLogRatios.withUnsafeMutableBufferPointer { lr in
        tokenRewards.withUnsafeMutableBufferPointer { g in
        logW.withUnsafeMutableBufferPointer { lw in
        weights.withUnsafeMutableBufferPointer { w in
        rewards.withUnsafeMutableBufferPointer { fOut in
        logRatioTable.withUnsafeBufferPointer { table in
        rewardTable.withUnsafeBufferPointer { gTable in
        (draw.chain?.cumulative ?? []).withUnsafeBufferPointer { cumulative in
            // Token models are sampled here, token by token as TokenChain.sample does,
            // so that each token's log-ratio and reward are stored as it is drawn.
            // Raw pointers and while loops: this runs for every token, and buffer
            // subscripts, range iterators and Optional comparisons are calls in -Onone builds.
            let stride = draw.chain?.rowStride ?? 0, chained = draw.chain != nil && V > 0
            let uniforms = source.uniforms
            for i in 0..<n {
                var sumLR = 0.0, reward = 0.0
                if chained, let c = cumulative.baseAddress, let table = table.baseAddress, let gTable = gTable.baseAddress,
                   let lr = lr.baseAddress, let g = g.baseAddress {
                    var previous = -1, t = 0
                    let start = i * T
                    // (Wrapping index arithmetic: indices stay below n T (V + 1), and
                    // overflow checks are most of an index's cost in -Onone builds.)
                    while t < T {
                        let row = previous &+ 1
                        let v = TokenChain.invert(uniforms.next(), row: row &* stride, in: c)
                        let l = table[row &* V &+ v]
                        let gt = scoreAll || t == T &- 1 ? gTable[v] : 0
                        lr[start &+ t] = l
                        g[start &+ t] = gt
                        sumLR += l
                        reward += gt
                        previous = v
                        t &+= 1
                    }
                } else {
                    draw.sample(into: y, using: source)
                    let x = y[0]
                    sumLR = pair.target.logMass(x) - pair.behavior.logMass(x)
                    reward = scenario.f.evaluate(at: Double(x))
                    lr[i] = sumLR
                    g[i] = reward
                }
                let r = exp(sumLR)
                lw[i] = sumLR
                w[i] = r
                fOut[i] = reward
                if !r.isFinite || !reward.isFinite || sumLR.isNaN { nonFinite += 1 }
                sumR += r
                sumR2 += r * r
            }
        }}}}}}}}}
        let estimates = logW.withUnsafeBufferPointer { lwb in
            weights.withUnsafeBufferPointer { wb in
                rewards.withUnsafeBufferPointer { fb in
                    tokenLogRatios.withUnsafeBufferPointer { lrb in
                        tokenRewards.withUnsafeBufferPointer { gb in
                            let draws = TrialDraws(logRatios: lwb, ratios: wb, values: fb,
                                                   tokens: TokenDraws(length: T, logRatios: lrb, rewards: gb))
                            return estimators.map { $0.estimate(draws) }
                        }
                    }
                }
            }
        }
        let khat = trial < TrialRunner.khatTrials ? ParetoSmoothing.fit(logWeights: logW)?.khat : nil
        return TrialSummary(trial: trial, estimates: estimates, sumR: sumR, sumR2: sumR2, nonFinite: nonFinite, khat: khat,
                            stream: stream)
    }
}

extension PolicyTrialRunner: TrialRunning {
    var trialLogWeights: [Double] { logW }
}
