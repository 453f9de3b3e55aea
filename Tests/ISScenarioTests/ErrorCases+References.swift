@testable import ISScenario

extension ErrorCase {
    /// The inputs of the base file (``baseLines``), as a reference records them.
    static let baseInputs = "target = normal(mean: 0, sd: 1); behavior = normal(mean: 0, sd: 1); f(x) = x^2; samples = 100"

    /// A `reference psis = simulation(...)` statement on one line, with `arguments`
    /// in place of the valid ones when given.
    static func reference(_ arguments: String? = nil, estimator: String = "psis", inputs: String = baseInputs) -> String {
        "reference \(estimator) = simulation(" + (arguments ?? "trials: 1000, mean: 0.9, variance: 0.04, central3: 0.001, "
            + "central4: 0.005, central6: 0.002, inputs: \"\(inputs)\", source: \"test\"") + ")"
    }

    /// The base file running is and psis (line 7), then `extra` (from line 8).
    static func withPSIS(_ extra: [String]) -> String {
        baseText(appending: ["estimators = is, psis"] + extra)
    }

    /// Errors in `reference` statements: their grammar, their values, and
    /// references that do not belong to the scenario (stale ones included).
    static let references: [ErrorCase] = [
        ErrorCase("reference without estimator", withPSIS(["reference = simulation(trials: 2)"]), 8, 11,
                  "expected the estimator the reference is for", "reference psis = simulation"),
        ErrorCase("reference for an unknown estimator", withPSIS([reference(estimator: "psiss")]), 8, 11,
                  "unknown estimator 'psiss'", "did you mean 'psis'?"),
        ErrorCase("reference for an exact estimator", withPSIS([reference(estimator: "snis")]), 8, 11,
                  "'snis' has exact references", "psis"),
        ErrorCase("reference twice", withPSIS([reference(), reference()]), 9, 11,
                  "duplicate reference for 'psis'", "line 8"),
        ErrorCase("reference missing =", withPSIS(["reference psis simulation(trials: 2)"]), 8, 16,
                  "expected '=' after 'reference psis'"),
        ErrorCase("reference without value", withPSIS(["reference psis ="]), 8, 16,
                  "missing value after '=' for 'reference'", "simulation(trials:"),
        ErrorCase("reference not a simulation", withPSIS(["reference psis = exact(mean: 1)"]), 8, 18,
                  "expected simulation(trials: ...", "found 'exact'"),
        ErrorCase("reference with an unknown label", withPSIS([reference("trials: 1000, median: 1")]), 8, 43,
                  "unknown parameter 'median' for simulation", "did you mean 'mean'?"),
        ErrorCase("reference with a label twice", withPSIS([reference("trials: 1000, trials: 2000")]), 8, 43,
                  "parameter 'trials' given twice", "column 29"),
        ErrorCase("reference missing labels", withPSIS([reference("trials: 1000, mean: 1")]), 8, 50,
                  "simulation needs 'variance:', 'central3:', 'central4:', 'central6:', 'inputs:', 'source:'"),
        ErrorCase("reference trials not whole", withPSIS([reference("trials: 1e5")]), 8, 37,
                  "'trials' must be a whole number"),
        ErrorCase("reference trials too few", withPSIS([reference("trials: 1")]), 8, 37,
                  "'trials' must be between 2 and 1_000_000_000", "got 1"),
        ErrorCase("reference variance zero", withPSIS([reference("variance: 0")]), 8, 39,
                  "'variance' must be a finite number > 0", "got 0"),
        ErrorCase("reference mean infinite", withPSIS([reference("mean: 1/0")]), 8, 35,
                  "'mean' must be a finite number", "got inf"),
        ErrorCase("reference central4 negative", withPSIS([reference("central4: -1")]), 8, 39,
                  "'central4' must be a finite number > 0", "got -1"),
        ErrorCase("reference inputs not a string", withPSIS([reference("inputs: 3")]), 8, 37,
                  "expected a string in double quotes for 'inputs'"),
        ErrorCase("reference source empty", withPSIS([reference("source: \"\"")]), 8, 37, "'source' must not be empty"),
        ErrorCase("reference unclosed", withPSIS(["reference psis = simulation(trials: 2"]), 8, 28, "unclosed '('"),
        ErrorCase("reference for an estimator the scenario does not run", baseText(appending: [reference()]), 7, 11,
                  "'psis' is not in 'estimators' (is)", "an estimator the scenario runs"),
        ErrorCase("reference in a sweep",
                  swept("sweep = gap in [0, 1]", appending: ["estimators = is, psis", reference()]), 9, 1,
                  "a simulated reference belongs to one scenario", "sweeps 'gap'"),
        ErrorCase("stale reference: behavior changed",
                  withPSIS([reference(inputs: baseInputs.replacingOccurrences(of: "behavior = normal(mean: 0, sd: 1)",
                                                                              with: "behavior = normal(mean: 0, sd: 0.8)"))]),
                  8, 129, "stale reference", "'behavior = normal(mean: 0, sd: 0.8)'",
                  "the scenario has 'behavior = normal(mean: 0, sd: 1)'", "python3 ci/psis-reference.py FILE --write"),
        ErrorCase("stale reference: samples changed",
                  withPSIS([reference(inputs: baseInputs.replacingOccurrences(of: "samples = 100", with: "samples = 200"))]),
                  8, 129, "stale reference", "'samples = 200'", "the scenario has 'samples = 100'"),
    ]
}
