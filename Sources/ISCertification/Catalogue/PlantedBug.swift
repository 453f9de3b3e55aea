import ISScenario

/// A planted bug: a small variant of a correct estimator, or of the engine, that
/// makes a mistake real RL code ships, with its name and a one-line description.
///
/// The certification must catch each one. An estimator bug replaces the
/// implementation of the scenario's estimators it applies to and keeps their
/// correct specification, which is what a user's buggy code looks like to iscert.
/// An engine bug changes how trials are drawn, seeded or summarised, through
/// seams that no real run sets. ``PlantedBug/catalogue`` lists them all, and
/// ``CatalogueRunner`` measures how often the shipped checks catch each one.
public struct PlantedBug: Sendable, Identifiable {
    /// A short name, e.g. `ratio-inverted`.
    public let id: String
    /// The real-world mistake, in one line.
    public let summary: String
    let mutation: Mutation

    enum Mutation: Sendable {
        /// The buggy implementation of an estimator of `scenario`, or nil where the
        /// bug does not apply to it (or would not change a single estimate).
        case estimator(@Sendable (_ spec: EstimatorSpec, _ scenario: Scenario) -> (@Sendable (TrialDraws) -> Double)?)
        /// Draw from the target instead of the behaviour, still weighting by p/q.
        case drawFromTarget
        /// Compute each trial's ESS/N by this formula.
        case essFraction(ESSFraction)
        /// Key trial k's stream by this index instead of k.
        case streamIndex(TrialStreamIndex)
    }

    /// Whether the bug lives in the engine (it then applies to every scenario)
    /// rather than in an estimator.
    public var isEngineBug: Bool {
        if case .estimator = mutation { return false }
        return true
    }

    /// Whether the bug changes anything in `scenario`: an engine bug always does;
    /// an estimator bug where it mutates one of the estimators of some point.
    public func applies(to scenario: Scenario) -> Bool {
        guard case let .estimator(mutate) = mutation else { return true }
        return scenario.points.contains { p in Certifier.runSpecs(p).contains { mutate($0, p) != nil } }
    }

    /// The buggy estimator that replaces `spec` in `scenario`, or nil.
    func estimator(for spec: EstimatorSpec, in scenario: Scenario) -> PlantedEstimator? {
        guard case let .estimator(mutate) = mutation, let implementation = mutate(spec, scenario) else { return nil }
        return PlantedEstimator(name: "\(spec.canonicalText) [\(id)]", spec: spec, implementation: implementation)
    }

    /// The simulator with the bug's engine seam set.
    func planted(in simulator: Simulator) -> Simulator {
        var s = simulator
        switch mutation {
        case .estimator, .drawFromTarget: break
        case let .essFraction(f): s.essFraction = f
        case let .streamIndex(f): s.streamIndex = f
        }
        return s
    }

    var drawSource: DrawSource {
        if case .drawFromTarget = mutation { return .target }
        return .behavior
    }
}

/// An estimator whose implementation is a planted bug while its specification is
/// the correct mathematics of `spec`: what a user's buggy code looks like to iscert.
struct PlantedEstimator: Estimator {
    let name: String
    let spec: EstimatorSpec
    let implementation: @Sendable (TrialDraws) -> Double

    func estimate(_ draws: TrialDraws) -> Double { implementation(draws) }
    var specification: EstimatorSpecification { BuiltinEstimator(spec).specification }
}
