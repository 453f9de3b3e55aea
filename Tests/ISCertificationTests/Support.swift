import Foundation
import ISProbability
import ISScenario
@testable import ISCertification

/// Shared helpers for the engine tests.
enum Fixture {
    /// The folder of this file, where References/ lives.
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: here.appendingPathComponent("References/\(name)"))
        return try JSONSerialization.jsonObject(with: data)
    }

    static func normal(_ m: Double, _ s: Double) -> Distribution { try! .normal(mean: m, sd: s) }

    static func scenario(_ name: String, p: Distribution, q: Distribution, f: String,
                         samples: Int = 200, trials: Int = 2000, seed: UInt64 = 1) -> Scenario {
        Scenario(name: name, summary: name, target: p, behavior: q, f: try! Formula(parsing: f),
                 samples: samples, trials: trials, seed: seed)
    }

    /// The seeds' pair: p = N(gap, 1), q = N(0, 1), f = x^2.
    static func gaussianGap(_ gap: Double, trials: Int = 2000) -> Scenario {
        scenario("gap-\(gap)", p: normal(gap, 1), q: normal(0, 1), f: "x^2", trials: trials)
    }

    /// The first estimator's running moments of a run.
    static func isStats(_ s: Scenario, jobs: Int = 2, masterSeed: UInt64? = nil,
                        algorithm: RandomSource.Algorithm = .mt19937) throws -> RunStatistics {
        try Simulator(jobs: jobs, masterSeed: masterSeed, algorithm: algorithm)
            .run(s, estimators: [BuiltinEstimator(.importanceSampling)])
    }

    static func relativeError(_ a: Double, _ b: Double) -> Double {
        a == b ? 0 : abs(a - b) / max(abs(b), 1e-300)
    }
}

extension EstimatorSpec {
    /// One of each kind, with the public test vectors' parameters.
    static let examples: [EstimatorSpec] = [
        .importanceSampling, .selfNormalized, .truncated(cap: 2), .clamped(low: 0.5, high: 2),
        .masked(low: 0.5, high: 5), .ppoClip(eps: 0.2),
    ]
}
