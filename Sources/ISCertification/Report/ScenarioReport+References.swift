import ISScenario

extension SimulatedReference {
    /// One line of a report: the numbers, their standard errors and where they
    /// came from.
    public var summary: String {
        "mean \(TextReport.g(mean)) ± \(TextReport.g(meanStandardError, 2)), variance \(TextReport.g(variance)) ± "
            + "\(TextReport.g(varianceStandardError, 2)) of one trial's estimate, from an independent simulation of "
            + "\(trials) trials (\(source))"
    }
}

extension ScenarioReport {
    /// The simulated references the checks used, in estimator order, each with
    /// the name of the estimator it was compared with.
    public var referencesInOrder: [(estimator: String, reference: SimulatedReference)] {
        estimators.compactMap { name in simulatedReferences[name].map { (name, $0) } }
    }
}

extension JSONReport {
    /// An estimator's simulated reference (`psis`), when its checks used one.
    public struct ReferenceEntry: Codable, Sendable {
        /// E[Z] and Var Z as simulated, with their standard errors.
        public var mean: Double
        public var meanStandardError: Double
        public var variance: Double
        public var varianceStandardError: Double
        /// R, the simulated trials.
        public var trials: Int
        /// The program, libraries and seed.
        public var source: String
        /// What was simulated: target, behavior, f(x), samples.
        public var inputs: String

        init(_ r: SimulatedReference) {
            mean = r.mean
            meanStandardError = r.meanStandardError
            variance = r.variance
            varianceStandardError = r.varianceStandardError
            trials = r.trials
            source = r.source
            inputs = r.inputs
        }
    }
}
