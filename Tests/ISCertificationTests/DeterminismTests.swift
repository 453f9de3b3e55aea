import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Same seed, same bits: for any number of jobs, alone or beside other scenarios,
/// and for a single trial replayed on its own.
@Suite struct DeterminismTests {
    @Test func resultsDoNotDependOnTheNumberOfJobs() throws {
        let s = Fixture.gaussianGap(1, trials: 777)
        let all: [any Estimator] = EstimatorSpec.examples.map { BuiltinEstimator($0) }
        let one = try Simulator(jobs: 1).run(s, estimators: all)
        for jobs in [2, 3, 8] {
            #expect(try Simulator(jobs: jobs).run(s, estimators: all) == one, "jobs = \(jobs)")
        }
    }

    @Test func aReplayedTrialEqualsTheSameTrialInsideARun() throws {
        let s = Fixture.gaussianGap(1, trials: 300)
        let sim = Simulator(jobs: 2)
        for k in [0, 63, 64, 299] {
            let isOnly = [BuiltinEstimator(.importanceSampling)]
            let alone = try sim.replay(s, trial: k, estimators: isOnly)
            let inRun = try sim.run(s, estimators: isOnly, trials: k..<(k + 1))
            #expect(inRun.estimates[0].mean == alone.estimates[0], "trial \(k)")
            #expect(inRun.essFraction.mean == alone.essFraction(samples: s.samples), "trial \(k)")
        }
    }

    @Test func otherScenariosDoNotChangeAScenariosNumbers() throws {
        let a = Fixture.gaussianGap(0.5, trials: 256)
        let b = Fixture.gaussianGap(1, trials: 256)
        let certifier = Certifier(simulator: Simulator(jobs: 2))
        let alone = try certifier.certify([a]).scenarios[0].statistics
        let beside = try certifier.certify([b, a]).scenarios[1].statistics
        #expect(alone == beside)
    }

    @Test func differentSeedsGiveDifferentStreams() throws {
        let s = Fixture.gaussianGap(1, trials: 64)
        let x = try Fixture.isStats(s, jobs: 1, masterSeed: 1)
        let y = try Fixture.isStats(s, jobs: 1, masterSeed: 2)
        #expect(x != y)
    }

    /// Every generator is deterministic too, and they differ from each other.
    @Test(arguments: RandomSource.Algorithm.allCases)
    func everyGeneratorIsDeterministic(_ algorithm: RandomSource.Algorithm) throws {
        let s = Fixture.gaussianGap(1, trials: 64)
        let a = try Fixture.isStats(s, jobs: 2, algorithm: algorithm)
        #expect(try Fixture.isStats(s, jobs: 1, algorithm: algorithm) == a)
        if algorithm != .mt19937 { #expect(try Fixture.isStats(s, jobs: 1) != a) }
    }
}
