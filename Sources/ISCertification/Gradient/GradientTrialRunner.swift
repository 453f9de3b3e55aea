import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs trials of a gradient scenario: N sequences from pi_old for the
/// off-policy estimators and N from pi_theta for the on-policy ones, each set on
/// its own stream of the trial, then every estimator's gradient, flattened into
/// one estimate per component.
///
/// The off-policy draws use the trial's stream exactly as ``PolicyTrialRunner``
/// does; the on-policy draws use a second stream family keyed by the scenario's
/// name with `#on-policy` appended, so adding an on-policy estimator changes no
/// off-policy draw. ESS is taken over the off-policy draws.
final class GradientTrialRunner {
    /// One set of N sequences and what the estimators read from it.
    final class DrawSet {
        let policy: Policy
        let key: UInt64
        var tokens: [Int], logRatios: [Double], rewards: [Double]
        var logWeights: [Double], values: [Double], logTargets: [Double]

        init(policy: Policy, key: UInt64, samples n: Int, length T: Int) {
            self.policy = policy
            self.key = key
            tokens = Array(repeating: 0, count: n * T)
            logRatios = Array(repeating: 0, count: n * T)
            rewards = logRatios
            logWeights = Array(repeating: 0, count: n)
            values = logWeights
            logTargets = logWeights
        }
    }

    let scenario: Scenario
    let pair: PolicyPair
    let parameters: PolicyParameters
    let estimators: [any GradientEstimator]
    let source: RandomSource
    let offPolicy: DrawSet?
    let onPolicy: DrawSet?
    let rewardTable: [Double]
    /// log pi_theta(v | u) and log r(v | u) at (u + 1) * V + v (u = -1 for the first token).
    let logTargetTable: [Double], logRatioTable: [Double]
    var gradient: [Double]
    /// Maps a trial to the index its streams are keyed by (nil: the trial's own).
    let streamIndex: TrialStreamIndex?

    /// - Throws: ``GradientScenarioError`` when the target has no logits or the
    ///   estimators are not the components of gradient estimators.
    init(scenario: Scenario, pair: PolicyPair, components: [any Estimator], drawFrom: DrawSource = .behavior, masterSeed: UInt64,
         algorithm: RandomSource.Algorithm, streamIndex: TrialStreamIndex? = nil) throws {
        self.scenario = scenario
        self.streamIndex = streamIndex
        self.pair = pair
        switch PolicyParameters.of(pair.target) {
        case let .success(p): parameters = p
        case let .failure(e): throw GradientScenarioError(description: "scenario '\(scenario.name)': \(e.reason)")
        }
        var list: [any GradientEstimator] = []
        for (i, c) in components.enumerated() {
            guard let g = c as? GradientComponent else {
                throw GradientScenarioError(description: "scenario '\(scenario.name)' lists gradient estimators, but '\(c.name)' is not a component of one")
            }
            if i % parameters.count == 0 { list.append(g.estimator) }
            guard g.index == i % parameters.count, g.estimator.name == list.last!.name else {
                throw GradientScenarioError(description: "scenario '\(scenario.name)': the components of '\(g.estimator.name)' are not all of theta's \(parameters.count), in order")
            }
        }
        estimators = list
        source = try RandomSource(algorithm: algorithm, seed: 0)
        let n = scenario.samples, T = pair.length
        let key = TrialSeed.scenarioKey(master: masterSeed, scenario: scenario.name)
        offPolicy = list.contains { !$0.specification.drawsFromTarget }
            ? DrawSet(policy: drawFrom == .target ? pair.target : pair.behavior, key: key, samples: n, length: T) : nil
        onPolicy = list.contains { $0.specification.drawsFromTarget }
            ? DrawSet(policy: pair.target, key: TrialSeed.scenarioKey(master: masterSeed, scenario: scenario.name + "#on-policy"),
                      samples: n, length: T) : nil
        rewardTable = (0..<parameters.vocabulary).map { scenario.f.evaluate(at: Double($0)) }
        let V = parameters.vocabulary
        let steps = (-1..<V).flatMap { u in (0..<V).map { (u, $0) } }
        logTargetTable = steps.map { pair.target.chain!.logStep($0, $1) }
        logRatioTable = steps.map { u, v in pair.target.chain!.logStep(u, v) - pair.behavior.chain!.logStep(u, v) }
        gradient = Array(repeating: 0, count: parameters.count)
    }

    /// Draws the set's N sequences for `trial`; returns sum W, sum W^2, the
    /// number of sequences whose weight or reward is not finite, and the
    /// fingerprint of the stream as it started.
    func draw(_ set: DrawSet, trial: Int) -> (sumR: Double, sumR2: Double, nonFinite: Int, stream: UInt64) {
        source.reseed(TrialSeed.trialKey(scenarioKey: set.key, trial: streamIndex?(trial) ?? trial))
        let stream = source.stateFingerprint
        guard let chain = set.policy.chain else { return (0, 0, 0, stream) }
        let n = scenario.samples, T = pair.length, V = parameters.vocabulary
        let scoreAll = pair.scored == .all
        var sumR = 0.0, sumR2 = 0.0, nonFinite = 0
        // Raw pointers and while loops: these loops run over every token of every
        // trial, and buffer subscripts, range iterators and TokenChain.row(after:)'s
        // Optional comparison are calls in -Onone builds.
        set.tokens.withUnsafeMutableBufferPointer { yb in
        set.logRatios.withUnsafeMutableBufferPointer { lrb in
        set.rewards.withUnsafeMutableBufferPointer { gb in
        set.logWeights.withUnsafeMutableBufferPointer { lwb in
        set.values.withUnsafeMutableBufferPointer { fb in
        set.logTargets.withUnsafeMutableBufferPointer { lpb in
        rewardTable.withUnsafeBufferPointer { rt in
        logTargetTable.withUnsafeBufferPointer { ltb in
        logRatioTable.withUnsafeBufferPointer { lrt in
        chain.cumulative.withUnsafeBufferPointer { cumulative in
            let y = yb.baseAddress!, lr = lrb.baseAddress!, gOut = gb.baseAddress!
            let lw = lwb.baseAddress!, fOut = fb.baseAddress!, lpOut = lpb.baseAddress!, table = rt.baseAddress!
            let logTarget = ltb.baseAddress!, logRatio = lrt.baseAddress!, c = cumulative.baseAddress!
            let stride = chain.rowStride, uniforms = source.uniforms
            var i = 0
            while i < n {
                var previous = -1, logW = 0.0, logP = 0.0, reward = 0.0
                var t = 0
                let start = i * T
                // (Wrapping index arithmetic, as in PolicyTrialRunner.)
                while t < T {
                    let row = previous &+ 1
                    let v = TokenChain.invert(uniforms.next(), row: row &* stride, in: c)
                    let lp = logTarget[row &* V &+ v]
                    let l = logRatio[row &* V &+ v]
                    let g = scoreAll || t == T &- 1 ? table[v] : 0
                    y[start &+ t] = v
                    lr[start &+ t] = l
                    gOut[start &+ t] = g
                    logW += l
                    logP += lp
                    reward += g
                    previous = v
                    t &+= 1
                }
                lw[i] = logW
                fOut[i] = reward
                lpOut[i] = logP
                let r = exp(logW)
                if !r.isFinite || !reward.isFinite || logW.isNaN { nonFinite += 1 }
                sumR += r
                sumR2 += r * r
                i += 1
            }
        }}}}}}}}}}
        return (sumR, sumR2, nonFinite, stream)
    }

    func run(trial: Int) -> TrialSummary {
        var weights = (sumR: 0.0, sumR2: 0.0, nonFinite: 0, stream: UInt64(0))
        if let onPolicy { weights = draw(onPolicy, trial: trial) }
        // The off-policy stream's sums and fingerprint when there is one; the
        // on-policy stream's fingerprint otherwise (its weights are all 1 and unused).
        if let offPolicy { weights = draw(offPolicy, trial: trial) }
        var estimates: [Double] = []
        estimates.reserveCapacity(estimators.count * parameters.count)
        for e in estimators {
            let set = (e.specification.drawsFromTarget ? onPolicy : offPolicy)!
            for c in gradient.indices { gradient[c] = 0 }
            set.tokens.withUnsafeBufferPointer { y in
            set.logRatios.withUnsafeBufferPointer { lr in
            set.rewards.withUnsafeBufferPointer { g in
            set.logWeights.withUnsafeBufferPointer { lw in
            set.values.withUnsafeBufferPointer { f in
            set.logTargets.withUnsafeBufferPointer { lp in
            gradient.withUnsafeMutableBufferPointer { out in
                e.estimate(GradientDraws(length: pair.length, tokens: y, logRatios: lr, rewards: g, logWeights: lw,
                                         values: f, logTargets: lp, parameters: parameters), into: out)
            }}}}}}}
            estimates += gradient
        }
        return TrialSummary(trial: trial, estimates: estimates, sumR: weights.sumR, sumR2: weights.sumR2,
                            nonFinite: weights.nonFinite, khat: nil, stream: weights.stream)
    }
}

extension GradientTrialRunner: TrialRunning {
    var trialLogWeights: [Double] { offPolicy?.logWeights ?? [] }
}

/// A gradient scenario that cannot run; the description names the scenario.
public struct GradientScenarioError: Error, CustomStringConvertible {
    public let description: String
}
