import ISScenario

extension Simulator {
    /// The log-weights log r_i = log p(x_i) - log q(x_i) of trials `range`, in
    /// trial order and, within a trial, in draw order: the very values those
    /// trials compute inside a run, from the same streams.
    ///
    /// Replaying changes nothing of a run's results: each trial reseeds its own
    /// stream, and the estimators do not touch the draws, so none are needed here.
    /// Reports use it to show the weights a scenario produces (a histogram).
    ///
    /// - Parameters:
    ///   - range: trial indices, each in 0 ..< K (not checked: a trial index is
    ///     only a key of its stream).
    public func logWeights(_ scenario: Scenario, trials range: Range<Int>,
                           drawFrom: DrawSource = .behavior) throws -> [Double] {
        let runner = try makeTrialRunner(scenario: scenario, estimators: [], drawFrom: drawFrom,
                                         masterSeed: seed(for: scenario), algorithm: algorithm)
        var out: [Double] = []
        out.reserveCapacity(range.count * scenario.samples)
        for t in range {
            _ = runner.run(trial: t)
            // The runner keeps the last trial's log-ratios whole.
            out += runner.trialLogWeights
        }
        return out
    }
}
