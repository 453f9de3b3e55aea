import Testing
@testable import ISProbability

/// A generator's state fingerprint identifies its stream without drawing from it.
@Suite struct FingerprintTests {
    @Test(arguments: RandomSource.Algorithm.allCases)
    func fingerprintsFollowTheStream(_ algorithm: RandomSource.Algorithm) throws {
        let a = try RandomSource(algorithm: algorithm, seed: 7), b = try RandomSource(algorithm: algorithm, seed: 7)
        let c = try RandomSource(algorithm: algorithm, seed: 8)
        #expect(a.stateFingerprint == b.stateFingerprint)
        #expect(a.stateFingerprint != c.stateFingerprint)
        // Reading it draws nothing: both sources still give the same numbers.
        _ = a.stateFingerprint
        #expect(a.uniform() == b.uniform())
        // Keys of neighbouring trials give distinct fingerprints (mt19937 keeps all 64 bits).
        let key = TrialSeed.scenarioKey(master: 1, scenario: "s")
        var seen = Set<UInt64>()
        for trial in 0..<1000 {
            a.reseed(TrialSeed.trialKey(scenarioKey: key, trial: trial))
            seen.insert(a.stateFingerprint)
        }
        #expect(seen.count == 1000)
    }
}
