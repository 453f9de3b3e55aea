import Testing
import ISProbability

/// The documented seed derivation: FNV-1a 64, SplitMix64, scenario and trial keys.
@Suite struct TrialSeedTests {
    /// FNV-1a 64-bit against the published test vectors (offset basis for "").
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
    ])
    func fnv1a64(_ text: String, _ expected: UInt64) {
        #expect(TrialSeed.fnv1a64(text) == expected)
    }

    /// FNV-1a hashes the UTF-8 bytes (C3 A9 for "é"), not the abstract String:
    /// canonically equal spellings (precomposed vs combining accent) hash apart.
    @Test func fnvHashesUTF8Bytes() {
        let prime: UInt64 = 0x0000_0100_0000_01b3
        let manual = ((0xcbf2_9ce4_8422_2325 ^ 0xC3) &* prime ^ 0xA9) &* prime
        #expect(TrialSeed.fnv1a64("\u{e9}") == manual)
        #expect(TrialSeed.fnv1a64("\u{e9}") != TrialSeed.fnv1a64("e\u{301}"))
    }

    /// SplitMix64 against Vigna's reference generator: from state 0 the outputs
    /// are e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f (each later output
    /// is the function at the state advanced by the golden-ratio increment), and
    /// from state 1234567 the first output is 6457827717110365317.
    @Test func splitmix64ReferenceOutputs() {
        let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
        #expect(TrialSeed.splitmix64(0) == 0xe220_a839_7b1d_cdaf)
        #expect(TrialSeed.splitmix64(gamma) == 0x6e78_9e6a_a1b9_65f4)
        #expect(TrialSeed.splitmix64(gamma &* 2) == 0x06c4_5d18_8009_454f)
        #expect(TrialSeed.splitmix64(1_234_567) == 6_457_827_717_110_365_317)
    }

    /// key = splitmix64(splitmix64(master ^ fnv1a64(name)) ^ trial), checked
    /// against values from an independent C implementation.
    @Test func documentedComposition() {
        let scenario = TrialSeed.scenarioKey(master: 42, scenario: "gaussian-shift")
        #expect(TrialSeed.fnv1a64("gaussian-shift") == 0xcf01_6679_baa7_d76b)
        #expect(scenario == 0xeaf5_75cc_c0a6_985e)
        #expect(TrialSeed.trialKey(scenarioKey: scenario, trial: 7) == 0x61e4_d874_f415_45e5)
    }

    /// 10^5 trials of one scenario get 10^5 distinct keys, and two scenarios
    /// (or two masters) share none of their first 10^4.
    @Test func trialKeysAreDistinct() {
        let k = TrialSeed.scenarioKey(master: 1, scenario: "a")
        let keys = Set((0..<100_000).map { TrialSeed.trialKey(scenarioKey: k, trial: $0) })
        #expect(keys.count == 100_000)
        let others = [TrialSeed.scenarioKey(master: 1, scenario: "b"), TrialSeed.scenarioKey(master: 2, scenario: "a")]
        for other in others {
            #expect(other != k)
            let theirs = Set((0..<10_000).map { TrialSeed.trialKey(scenarioKey: other, trial: $0) })
            #expect(theirs.isDisjoint(with: keys))
        }
    }
}
