import ISProbability

/// The canonical texts of a swept scenario's templated values (those that
/// name the sweep variable); nil where the first point's value prints.
struct TemplateTexts: Sendable, Hashable {
    var target: String?
    var behavior: String?
    var f: String?
    var estimators: String?
    var mseBelowIS: String?
}

extension Scenario {
    /// A swept scenario built in Swift: `make` gives the scenario at each
    /// value, in order (at least one value).
    ///
    /// The points keep what `make` returns except the name (that of the first
    /// point, then `@variable=value`), ``sweepPoint`` and, when `variable` is
    /// `samples`, N (set to the value). The swept scenario's own fields are
    /// its first point's.
    ///
    /// ``canonicalText`` can describe points that differ in numbers: each
    /// distribution parameter, mixture weight, number in f and estimator
    /// parameter that varies is written as an expression of the variable
    /// (`gap`, `2 * gap + 1`, or exactly the values at each point), as long as
    /// the points share families, the shape of f and the estimator kinds and
    /// the number is not inside a part of f without `x`. Other differences (and
    /// any number but N when sweeping `samples`) print as the first point's
    /// value, so that text does not read back as the same points.
    public static func swept(_ variable: String, over values: [Double],
                             _ make: (Double) throws -> Scenario) rethrows -> Scenario {
        precondition(!values.isEmpty, "Scenario.swept: a sweep needs at least one value")
        var made: [Scenario] = []
        made.reserveCapacity(values.count)
        for value in values { made.append(try make(value)) }
        let sweep = Sweep(variable: variable, values: values)
        return assemble(sweep, points: made, templates: SweepInference.templates(of: made, sweep))
    }

    /// The swept scenario over `points` (one per value): names, sweep points
    /// and N set on the points; its own fields from `base`, by default the
    /// first point.
    static func assemble(_ sweep: Sweep, points made: [Scenario], templates: TemplateTexts,
                         base: Scenario? = nil) -> Scenario {
        let baseName = (base ?? made.first)?.name ?? ""
        let points = zip(made, sweep.values).map { made, value in
            var point = made
            point.name = "\(baseName)@\(sweep.variable)=\(canonicalNumber(value))"
            point.sweep = nil
            point.sweepPoint = SweepPoint(variable: sweep.variable, value: value)
            point.sweptPoints = []
            point.templates = TemplateTexts()
            if sweep.sweepsSamples, let n = Int(exactly: value) { point.samples = n }
            return point
        }
        var scenario = points.first ?? base ?? made[0]
        scenario.name = baseName
        scenario.sweepPoint = nil
        scenario.sweep = sweep
        scenario.sweptPoints = points
        scenario.templates = templates
        return scenario
    }
}
