import Dispatch
import GSLYardstick
import ISCertification
import ISProbability
import ISScenario

// Samples per second of iscert's engine beside the hand-written C loop over GSL
// (Benchmarks/GSLYardstick/yardstick.c), measured in one process, interleaved, and
// reported as medians of several rounds. Run it in release mode:
//
//     swift run -c release iscert-bench
//
// Absolute rates on shared machines are noisy; the ratio is what to quote.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

let arguments = CommandLine.arguments.dropFirst()
let rounds = Int(arguments.first ?? "") ?? 5
let trials = 20_000, samples = 200
let scenario = Scenario(name: "bench-gaussian-gap-1", summary: "bench",
                        target: try .normal(mean: 1, sd: 1), behavior: try .normal(mean: 0, sd: 1),
                        f: try Formula(parsing: "x^2"), samples: samples, trials: trials)
let draws = Double(trials * samples)
let ordinaryIS: [any Estimator] = [BuiltinEstimator(.importanceSampling)]
let cores = Simulator.defaultJobs

var c = [Double](), cOne = [Double](), one = [Double](), all = [Double]()
var checks = (c: 0.0, engine: 0.0)
for _ in 0..<rounds {
    c.append(draws / seconds { checks.c = yardstick_gaussian_gap(1, trials, samples, 1) })
    cOne.append(draws / seconds { _ = yardstick_gaussian_gap_one_stream(1, trials, samples, 1) })
    one.append(draws / (try seconds { checks.engine = try Simulator(jobs: 1).run(scenario, estimators: ordinaryIS).estimates[0].mean }))
    all.append(draws / (try seconds { _ = try Simulator(jobs: cores).run(scenario, estimators: ordinaryIS) }))
}

func millions(_ x: Double) -> String { String(Int((x / 1e4).rounded())).withDecimal() }
extension String {
    func withDecimal() -> String {
        let padded = count < 3 ? String(repeating: "0", count: 3 - count) + self : self
        return padded.dropLast(2) + "." + padded.suffix(2)
    }
}

print("iscert-bench: p = N(1,1), q = N(0,1), f = x^2; \(trials) trials x \(samples) samples per round, \(rounds) rounds, medians")
print("  C loop over GSL, 1 thread:   \(millions(median(c))) M samples/s   (estimate \(checks.c))")
print("  C loop, one stream (no per-trial reseeding): \(millions(median(cOne))) M samples/s")
print("  engine, 1 job:               \(millions(median(one))) M samples/s   (estimate \(checks.engine))")
print("  engine, \(cores) jobs:              \(millions(median(all))) M samples/s")
print("  engine / C loop, per core:   \(String(median(one) / median(c)).prefix(5))")
print("  speed-up 1 -> \(cores) jobs:         \(String(median(all) / median(one)).prefix(5))")
