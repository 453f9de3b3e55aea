import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one trial turns N draws into numbers. The default is ordinary IS; a
/// planted bug or a user's own weighting replaces `weight`.
public struct TrialRecipe: Sendable {
    /// The weight applied to f at a draw, from log p(x) and log q(x). Ordinary IS:
    /// exp(log p - log q).
    public var weight: @Sendable (_ logP: Double, _ logQ: Double) -> Double
    /// Where the draws come from: the behaviour (correct), or something else.
    public var sampling: Sampling

    public enum Sampling: Sendable { case behavior, target }

    public init(weight: @escaping @Sendable (Double, Double) -> Double = { exp($0 - $1) },
                sampling: Sampling = .behavior) {
        self.weight = weight
        self.sampling = sampling
    }

    /// Ordinary importance sampling, as the identity prescribes.
    public static let importanceSampling = TrialRecipe()
}

/// Runs trials of one scenario; owns the per-worker buffers and generator.
///
/// Not shared between threads: each worker makes its own.
final class TrialRunner {
    static let batch = 256

    let scenario: Scenario
    let recipe: TrialRecipe
    let logP: LogDensity
    let logQ: LogDensity
    let scenarioKey: UInt64
    let source: RandomSource
    var evaluator: BatchEvaluator
    var xs: [Double], lp: [Double], lq: [Double], fx: [Double]

    init(scenario: Scenario, recipe: TrialRecipe, masterSeed: UInt64, algorithm: RandomSource.Algorithm) throws {
        self.scenario = scenario
        self.recipe = recipe
        logP = LogDensity(scenario.target)
        logQ = LogDensity(scenario.behavior)
        scenarioKey = TrialSeed.scenarioKey(master: masterSeed, scenario: scenario.name)
        source = try RandomSource(algorithm: algorithm, seed: 0)
        let capacity = Swift.min(Self.batch, scenario.samples)
        evaluator = BatchEvaluator(scenario.f, capacity: capacity)
        xs = Array(repeating: 0, count: capacity)
        lp = xs; lq = xs; fx = xs
    }

    /// One trial, from its own stream: the same trial index always gives the same bits.
    func run(trial: Int) -> TrialSummary {
        source.reseed(TrialSeed.trialKey(scenarioKey: scenarioKey, trial: trial))
        let n = scenario.samples
        let draw = recipe.sampling == .behavior ? scenario.behavior : scenario.target
        var sumRF = 0.0, sumR = 0.0, sumR2 = 0.0
        var nonFinite = 0
        var done = 0
        while done < n {
            let m = Swift.min(xs.count, n - done)
            xs.withUnsafeMutableBufferPointer { x in
                let xb = UnsafeMutableBufferPointer(rebasing: x[0..<m])
                draw.sample(into: xb, using: source)
                lp.withUnsafeMutableBufferPointer { logP.evaluate(UnsafeBufferPointer(xb), into: $0) }
                lq.withUnsafeMutableBufferPointer { logQ.evaluate(UnsafeBufferPointer(xb), into: $0) }
                fx.withUnsafeMutableBufferPointer { evaluator.evaluate(UnsafeBufferPointer(xb), into: $0) }
            }
            for i in 0..<m {
                let r = recipe.weight(lp[i], lq[i])
                // A weight of 0 contributes nothing even where f is infinite: the
                // product is taken only for positive weights, so 0 * inf never
                // turns into NaN.
                let rf = r == 0 ? 0 : r * fx[i]
                if !rf.isFinite || !r.isFinite { nonFinite += 1 }
                sumRF += rf
                sumR += r
                sumR2 += r * r
            }
            done += m
        }
        return TrialSummary(trial: trial, estimate: sumRF / Double(n), sumR: sumR, sumR2: sumR2, nonFinite: nonFinite)
    }
}
