import Dispatch
import Foundation
import GSLYardstick
import ISCertification
import ISProbability
import ISScenario
import Synchronization

// Samples per second of iscert's engine beside hand-written C loops over GSL
// (Benchmarks/GSLYardstick/yardstick.c), on shipped scenarios, measured in one
// process, interleaved, and reported as medians of several rounds. Run it in
// release mode:
//
//     swift run -c release iscert-bench [ROUNDS]
//
// Absolute rates on shared machines are noisy; the ratios are what to quote.

/// One benchmarked scenario: a file of Scenarios/ and its hand-written C loop.
///
/// To add one, write the C loop in yardstick.c (trials on the engine's streams,
/// returning the sum of the trial estimates) and append a case to `cases`.
struct BenchCase {
    /// The scenario file, relative to Scenarios/.
    let file: String
    /// For a swept file, the sweep value of the point to run.
    var point: Double? = nil
    /// The C loop for this scenario, with its constants read from the parsed
    /// scenario; nil when the file no longer has the shape the loop was written for.
    let loop: (Scenario) -> CLoop?
}

/// Runs trials `first ..< first + count` of `samples` draws on the engine's streams
/// for `scenarioKey`; returns the sum of the trial estimates.
typealias CLoop = @Sendable (_ scenarioKey: UInt64, _ first: Int, _ count: Int, _ samples: Int) -> Double

let cases: [BenchCase] = [
    BenchCase(file: "gaussian-gap-1.iscert") { s in
        guard case let .normal(gap, 1) = s.target.family, case .normal(0, 1) = s.behavior.family,
              s.f.canonicalText == "x^2" else { return nil }
        return { yardstick_gaussian_gap($0, $1, $2, $3, gap) }
    },
    BenchCase(file: "beta-uniform.iscert") { s in
        guard case let .beta(a, b) = s.target.family, case let .uniform(low, high) = s.behavior.family,
              s.f.canonicalText == "x" else { return nil }
        return { yardstick_beta_uniform($0, $1, $2, $3, a, b, low, high) }
    },
    BenchCase(file: "token-length-sweep.iscert", point: 64) { s in
        // 64 independent tokens: the C loop gets the engine's own tables.
        guard let pair = s.policy, let p = pair.target.chain, let q = pair.behavior.chain, p.independent, q.independent,
              pair.scored == .all else { return nil }
        let V = p.vocabulary, T = p.length
        let cumulative = q.cumulative, logRatio = (0..<V).map { p.logInitial[$0] - q.logInitial[$0] }
        let reward = (0..<V).map { s.f.evaluate(at: Double($0)) }
        return { key, first, count, samples in
            yardstick_tokens(key, first, count, samples, T, V, cumulative, logRatio, reward)
        }
    },
    BenchCase(file: "mixture-target.iscert") { s in
        guard case let .mixture(parts) = s.target.family, parts.count == 2,
              case let .normal(m1, s1) = parts[0].distribution.family,
              case let .normal(m2, s2) = parts[1].distribution.family,
              case let .normal(mq, sq) = s.behavior.family, s.f.canonicalText == "x" else { return nil }
        let w = parts[0].weight
        return { yardstick_normal_mixture($0, $1, $2, $3, w, m1, s1, m2, s2, mq, sq) }
    },
]

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The C loop over `trials` trials on `threads` threads, each taking a contiguous
/// range; returns the mean estimate.
func runC(_ loop: CLoop, key: UInt64, trials: Int, samples: Int, threads: Int) -> Double {
    let parts = Mutex<[Double]>(Array(repeating: 0, count: threads))
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let lo = trials * t / threads, hi = trials * (t + 1) / threads
        let sum = loop(key, lo, hi - lo, samples)
        parts.withLock { $0[t] = sum }
    }
    return parts.withLock { $0.reduce(0, +) } / Double(trials)
}

func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

let arguments = CommandLine.arguments.dropFirst()
let rounds = Int(arguments.first ?? "") ?? 5
let trials = 20_000
let cores = Simulator.defaultJobs
let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scenarios")

struct Prepared {
    let scenario: Scenario
    let key: UInt64
    let loop: CLoop
    var c1 = [Double](), cAll = [Double](), e1 = [Double](), eAll = [Double]()
    var estimates = (c: 0.0, engine: 0.0)
}

var prepared: [Prepared] = try cases.map { c in
    var s = try ScenarioParser.load(path: folder.appendingPathComponent(c.file).path)
    if let value = c.point, let point = s.points.first(where: { $0.sweepPoint?.value == value }) { s = point }
    guard s.sweep == nil, let loop = c.loop(s) else {
        FileHandle.standardError.write(Data("iscert-bench: \(c.file) no longer has the shape its C loop was written for\n".utf8))
        exit(2)
    }
    s.trials = trials
    return Prepared(scenario: s, key: TrialSeed.scenarioKey(master: s.seed, scenario: s.name), loop: loop)
}
var oneStream = [Double]()

for _ in 0..<rounds {
    for i in prepared.indices {
        let p = prepared[i]
        // Draws: one per token of a sequence.
        let draws = Double(trials * p.scenario.samples * (p.scenario.policy?.length ?? 1))
        // Ordinary IS alone, as the C loops compute it (with the ESS sums and, on
        // the engine's side, k-hat on the first trials as in every run).
        let estimators: [any Estimator] = [BuiltinEstimator(.importanceSampling)]
        var c = 0.0, e = 0.0
        prepared[i].c1.append(draws / seconds { c = runC(p.loop, key: p.key, trials: trials, samples: p.scenario.samples, threads: 1) })
        prepared[i].e1.append(draws / (try seconds { e = try Simulator(jobs: 1).run(p.scenario, estimators: estimators).estimates[0].mean }))
        prepared[i].cAll.append(draws / seconds { _ = runC(p.loop, key: p.key, trials: trials, samples: p.scenario.samples, threads: cores) })
        prepared[i].eAll.append(draws / (try seconds { _ = try Simulator(jobs: cores).run(p.scenario, estimators: estimators) }))
        prepared[i].estimates = (c, e)
        if i == 0 {
            oneStream.append(draws / seconds { _ = yardstick_gaussian_gap_one_stream(p.key, trials, p.scenario.samples, 1) })
        }
    }
}

func rate(_ xs: [Double]) -> String { fixed(median(xs) / 1e6, 2) }
func column(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }

print("iscert-bench: \(trials) trials per round, \(rounds) rounds, medians; M samples/s (tokens for sequences); \(cores) cores")
print(column("scenario", 18) + column("C 1", 8) + column("engine 1", 10) + column("ratio", 7)
      + column("C \(cores)", 8) + column("engine \(cores)", 10) + column("ratio", 7)
      + column("C 1->\(cores)", 9) + "engine 1->\(cores)")
for p in prepared {
    print(column(p.scenario.name, 18) + column(rate(p.c1), 8) + column(rate(p.e1), 10)
          + column(fixed(median(p.e1) / median(p.c1), 3), 7)
          + column(rate(p.cAll), 8) + column(rate(p.eAll), 10) + column(fixed(median(p.eAll) / median(p.cAll), 3), 7)
          + column(fixed(median(p.cAll) / median(p.c1), 3), 9) + fixed(median(p.eAll) / median(p.e1), 3))
}
print("ratio: engine / C loop at the same number of threads; 1->\(cores): speed-up from 1 to \(cores) threads")
print("\(prepared[0].scenario.name), C loop on one stream seeded once (no per-trial streams): \(rate(oneStream)) M samples/s")
for p in prepared {
    let d = abs(p.estimates.c - p.estimates.engine) / abs(p.estimates.engine)
    print("mean estimate, \(p.scenario.name): C \(p.estimates.c), engine \(p.estimates.engine) (same streams; relative difference \(String(format: "%.1e", d)))")
}
