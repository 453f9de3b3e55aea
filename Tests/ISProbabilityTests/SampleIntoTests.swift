import Testing
import ISProbability

/// `sample(into:using:)` is the same stream as repeated `sample(using:)`.
@Suite struct SampleIntoTests {
    /// For every family (the specialised normal, uniform and exponential loops
    /// and the generic path, mixtures included) and two generators, a batch of
    /// 1_000 equals 1_000 single draws from an identically seeded source, bit for
    /// bit, and leaves the source at the same place (the next draws agree too).
    @Test(arguments: Fixtures.everyFamily, [RandomSource.Algorithm.mt19937, .taus2])
    func batchEqualsSingleDraws(_ d: Distribution, _ algorithm: RandomSource.Algorithm) throws {
        let a = try RandomSource(algorithm: algorithm, seed: 20_251_122)
        let b = try RandomSource(algorithm: algorithm, seed: 20_251_122)
        let batch = Fixtures.draws(d, 1_000, a)
        let singles = (0..<1_000).map { _ in d.sample(using: b) }
        #expect(batch.map(\.bitPattern) == singles.map(\.bitPattern))
        #expect(a.uniform().bitPattern == b.uniform().bitPattern)
    }

    /// An empty buffer draws nothing.
    @Test func emptyBatchDrawsNothing() throws {
        let d = try Distribution.normal(mean: 0, sd: 1)
        let a = try RandomSource(seed: 5), b = try RandomSource(seed: 5)
        _ = Fixtures.draws(d, 0, a)
        #expect(a.uniform() == b.uniform())
    }
}
