import ISProbability

extension ScenarioReader {
    /// The scenario, once ``read(_:)`` has found no problems: for a sweep,
    /// every point is made and checked (distributions, estimator lists), and a
    /// point that breaks a rule is reported at the templated value, naming
    /// the sweep value. Nil, with ``diagnostics`` filled, if anything is wrong.
    mutating func scenario(file: String) -> Scenario? {
        guard diagnostics.isEmpty, let name, let summary, let f,
              let samples = samples ?? (sweepsSamples ? 0 : nil) else {
            return nil
        }
        let policies = targetPolicy != nil || behaviorPolicy != nil
        if policies, targetPolicy == nil || behaviorPolicy == nil {
            let (policyKey, otherKey) = targetPolicy == nil ? (ScenarioKey.behavior, ScenarioKey.target) : (.target, .behavior)
            if let token = seen[otherKey] {
                diagnostics.append(source.diagnostic(at: token, "\(policyKey.rawValue) is a discrete policy but \(otherKey.rawValue) "
                    + "is a continuous distribution; expected both policies (such as softmax(logits: [...])) or both distributions"))
            }
            return nil
        }
        if !policies, let token = seen[.scored] {
            diagnostics.append(source.diagnostic(at: token, "scored applies to scenarios over token policies only; "
                + "expected no 'scored' line with continuous distributions"))
            return nil
        }
        let estimatorList = estimators ?? [.importanceSampling]
        if !policies, let token = estimatorList.first(where: { EstimatorSpec.tokenKeywords.contains($0.keyword) }) {
            diagnostics.append(source.diagnostic(at: token.token, "'\(token.keyword)' weights each token by its own ratio, so it needs "
                + "a policy scenario (target and behavior such as tokens(...) or markov(...)); expected an estimator of "
                + "continuous draws such as is, snis, truncated(cap: 2)"))
            return nil
        }
        if let message = gradientRules(estimatorList, policies: policies) {
            diagnostics.append(message)
            return nil
        }
        if let policyTarget = targetPolicy, let policyBehavior = behaviorPolicy {
            return policyScenario(file: file, name: name, summary: summary, target: policyTarget, behavior: policyBehavior,
                                  f: f, samples: samples, estimatorList: estimatorList)
        }
        guard let target, let behavior else { return nil }
        let mseList = mseBelowIS ?? []
        if !mseList.isEmpty, !estimatorList.contains(where: { $0.keyword == "is" }), let key = seen[.mseBelowIS] {
            diagnostics.append(source.diagnostic(at: key, "mse_below_is compares estimators with 'is', which is not "
                + "in 'estimators'; expected 'is' in the estimators list"))
        }
        let sweep = sweepVariable.flatMap { variable in sweepValues.map { Sweep(variable: variable.text, values: $0) } }
        var checker = PointChecker(source: source, variable: sweep?.variable)
        var points: [Scenario] = []
        for value in sweep?.values ?? [.nan] {
            let madeTarget = checker.attempt("target", at: value, templated: target.mentionsParameter) {
                () throws(PlacedError) in try target.instantiate(at: value)
            }
            let madeBehavior = checker.attempt("behavior", at: value, templated: behavior.mentionsParameter) {
                () throws(PlacedError) in try behavior.instantiate(at: value)
            }
            let specs = checker.list(estimatorList, "estimators", at: value)
            let claims = checker.list(mseList, "mse_below_is", at: value)
            if let specs, let claims {
                checker.checkClaims(mseList, claims, among: specs, at: value)
            }
            guard let madeTarget, let madeBehavior, let specs, let claims else { continue }
            points.append(Scenario(name: name, summary: summary, target: madeTarget, behavior: madeBehavior,
                                   f: f.formula(at: value), samples: sweep?.sweepsSamples == true ? Int(value) : samples,
                                   trials: trials ?? Scenario.defaultTrials, seed: seed ?? Scenario.defaultSeed,
                                   expectation: expectation ?? .pass, estimators: specs, mseBelowIS: claims,
                                   detectBias: detectBias, file: file))
        }
        diagnostics += checker.diagnostics
        guard diagnostics.isEmpty, let first = points.first else { return nil }
        guard let sweep else { return first }
        func text(_ list: [EstimatorTemplate]) -> String? {
            list.contains { $0.mentionsParameter } ? list.map(\.canonicalText).joined(separator: ", ") : nil
        }
        let templates = TemplateTexts(
            target: target.mentionsParameter ? target.canonicalText : nil,
            behavior: behavior.mentionsParameter ? behavior.canonicalText : nil,
            f: f.mentionsParameter ? f.canonicalText : nil,
            estimators: text(estimatorList), mseBelowIS: text(mseList))
        return Scenario.assemble(sweep, points: points, templates: templates)
    }
}

extension ScenarioReader {
    /// The scenario over discrete policies: the behaviour made next to each
    /// point's target (a `perturbed` one needs it), the pair checked for a
    /// common structure and f for finite values on the tokens.
    private mutating func policyScenario(file: String, name: String, summary: String, target: PolicyTemplate,
                                         behavior: PolicyTemplate, f: ExpressionTemplate, samples: Int,
                                         estimatorList: [EstimatorTemplate]) -> Scenario? {
        let mseList = mseBelowIS ?? []
        if !mseList.isEmpty, !estimatorList.contains(where: { $0.keyword == "is" }), let key = seen[.mseBelowIS] {
            diagnostics.append(source.diagnostic(at: key, "mse_below_is compares estimators with 'is', which is not "
                + "in 'estimators'; expected 'is' in the estimators list"))
        }
        if target.isPerturbation {
            diagnostics.append(source.diagnostic(at: target.token, "perturbed describes a behaviour as its target perturbed; "
                + "expected a policy such as softmax(logits: [...]) as target"))
            return nil
        }
        let sweep = sweepVariable.flatMap { variable in sweepValues.map { Sweep(variable: variable.text, values: $0) } }
        var checker = PointChecker(source: source, variable: sweep?.variable)
        var points: [Scenario] = []
        let fToken = seen[.f]
        for value in sweep?.values ?? [.nan] {
            let madeTarget = checker.attempt("target", at: value, templated: target.mentionsParameter) {
                () throws(PlacedError) in try target.instantiate(at: value)
            }
            let madeBehavior = madeTarget.flatMap { t in
                checker.attempt("behavior", at: value, templated: behavior.mentionsParameter || target.mentionsParameter) {
                    () throws(PlacedError) in
                    let b = try behavior.instantiate(at: value, target: t)
                    if let message = Self.mismatch(t, b) { throw PlacedError(token: behavior.token, message: message) }
                    return b
                }
            }
            let formula = f.formula(at: value)
            if let t = madeTarget, let chain = t.chain, let fToken {
                _ = checker.attempt("f", at: value, templated: f.mentionsParameter) { () throws(PlacedError) in
                    for v in 0..<chain.vocabulary where !formula.evaluate(at: Double(v)).isFinite {
                        throw PlacedError(token: fToken, message: "f(x) is \(canonicalNumber(formula.evaluate(at: Double(v)))) at token x = \(v); "
                            + "expected a finite reward for every token 0 ..< \(chain.vocabulary)")
                    }
                }
            }
            if let t = madeTarget, estimatorList.contains(where: { EstimatorSpec.gradientKeywords.contains($0.keyword) }) {
                _ = checker.attempt("target", at: value, templated: target.mentionsParameter) { () throws(PlacedError) in
                    if let reason = PolicyParameters.whyNotDifferentiable(t) {
                        throw PlacedError(token: target.token, message: "gradient estimators differentiate the target's logits: \(reason)")
                    }
                }
            }
            let specs = checker.list(estimatorList, "estimators", at: value)
            let claims = checker.list(mseList, "mse_below_is", at: value)
            if let specs, let claims {
                checker.checkClaims(mseList, claims, among: specs, at: value)
            }
            guard let madeTarget, let madeBehavior, let specs, let claims else { continue }
            points.append(Scenario(name: name, summary: summary,
                                   policy: PolicyPair(target: madeTarget, behavior: madeBehavior, scored: scored ?? .all),
                                   f: formula, samples: sweep?.sweepsSamples == true ? Int(value) : samples,
                                   trials: trials ?? Scenario.defaultTrials, seed: seed ?? Scenario.defaultSeed,
                                   expectation: expectation ?? .pass, estimators: specs, mseBelowIS: claims, file: file))
        }
        diagnostics += checker.diagnostics
        guard diagnostics.isEmpty, let first = points.first else { return nil }
        guard let sweep else { return first }
        func text(_ list: [EstimatorTemplate]) -> String? {
            list.contains { $0.mentionsParameter } ? list.map(\.canonicalText).joined(separator: ", ") : nil
        }
        let templates = TemplateTexts(
            target: target.mentionsParameter ? target.canonicalText : nil,
            behavior: behavior.mentionsParameter || (behavior.isPerturbation && target.mentionsParameter) ? behavior.canonicalText : nil,
            f: f.mentionsParameter ? f.canonicalText : nil,
            estimators: text(estimatorList), mseBelowIS: text(mseList))
        return Scenario.assemble(sweep, points: points, templates: templates)
    }

    /// Why a behaviour cannot stand beside a target, or nil.
    static func mismatch(_ target: Policy, _ behavior: Policy) -> String? {
        switch (target.chain, behavior.chain) {
        case (nil, nil): return nil
        case let (t?, b?):
            if t.vocabulary != b.vocabulary {
                return "behavior has \(b.vocabulary) tokens but target has \(t.vocabulary); expected the same vocabulary"
            }
            if t.length != b.length {
                return "behavior draws sequences of length \(b.length) but target of length \(t.length); expected the same length"
            }
            return nil
        default:
            return "target is \(target.familyName) and behavior is \(behavior.familyName); expected both token policies "
                + "(categorical, softmax, tokens, markov, perturbed) or both integer families (bernoulli, binomial, poisson, geometric)"
        }
    }
}

/// Makes the values of each sweep point, reporting the first failure of each
/// field only (one diagnostic per problem, not one per point).
private struct PointChecker {
    let source: SourceText
    /// The swept variable; nil for an unswept file.
    let variable: String?
    var diagnostics: [Diagnostic] = []
    private var failed: Set<String> = []

    init(source: SourceText, variable: String?) {
        self.source = source
        self.variable = variable
    }

    /// Reports `error` for `field` unless that field already failed; a
    /// templated value's message names the sweep value.
    mutating func report(_ field: String, _ error: PlacedError, at value: Double, templated: Bool) {
        guard failed.insert(field).inserted else { return }
        let prefix = templated ? variable.map { "at \($0) = \(canonicalNumber(value)): " } ?? "" : ""
        diagnostics.append(source.diagnostic(at: error.token, prefix + error.message))
    }

    mutating func attempt<T>(_ field: String, at value: Double, templated: Bool,
                             _ make: () throws(PlacedError) -> T) -> T? {
        do {
            return try make()
        } catch {
            report(field, error, at: value, templated: templated)
            return nil
        }
    }

    /// The estimators of a list at one point, each made and none repeated.
    mutating func list(_ templates: [EstimatorTemplate], _ key: String, at value: Double) -> [EstimatorSpec]? {
        var specs: [EstimatorSpec] = []
        var firsts: [EstimatorSpec: EstimatorTemplate] = [:]
        var complete = true
        for (i, template) in templates.enumerated() {
            guard let spec = attempt("\(key).\(i)", at: value, templated: template.mentionsParameter, {
                () throws(PlacedError) in try template.instantiate(at: value)
            }) else {
                complete = false
                continue
            }
            if let first = firsts[spec] {
                let message = "estimator '\(spec.name)' given twice; first given at " + Self.place(first.token, from: template.token)
                report("\(key).\(i).twice", PlacedError(token: template.token, message: message), at: value,
                       templated: template.mentionsParameter || first.mentionsParameter)
                complete = false
                continue
            }
            firsts[spec] = template
            specs.append(spec)
        }
        return complete ? specs : nil
    }

    /// Every claimed estimator is one of `specs` and is not `is` itself.
    mutating func checkClaims(_ templates: [EstimatorTemplate], _ claims: [EstimatorSpec], among specs: [EstimatorSpec],
                              at value: Double) {
        for (i, (template, claim)) in zip(templates, claims).enumerated() {
            if claim == .importanceSampling {
                report("mse_below_is.\(i).is", PlacedError(token: template.token, message: "'is' cannot have a lower "
                    + "MSE than itself; expected only the other estimators in mse_below_is"), at: value, templated: false)
            } else if !specs.contains(claim) {
                let listed = specs.map(\.name).joined(separator: ", ")
                report("mse_below_is.\(i).listed", PlacedError(token: template.token, message: "estimator '\(claim.name)' "
                    + "in mse_below_is is not in 'estimators' (\(listed)); expected one of those"),
                       at: value, templated: template.mentionsParameter)
            }
        }
    }

    /// `column 5` on the same line, else `line 3, column 5`.
    static func place(_ token: Token, from other: Token) -> String {
        token.line == other.line ? "column \(token.column)" : "line \(token.line), column \(token.column)"
    }
}

extension ScenarioReader {
    /// A gradient scenario lists only gradient estimators, over policies, and
    /// none of the keys that belong to value estimators; the diagnostic for the
    /// first rule broken, or nil.
    func gradientRules(_ list: [EstimatorTemplate], policies: Bool) -> Diagnostic? {
        let isGradient = { (e: EstimatorTemplate) in EstimatorSpec.gradientKeywords.contains(e.keyword) }
        guard let first = list.first(where: isGradient) else { return nil }
        if let value = list.first(where: { !isGradient($0) }) {
            return source.diagnostic(at: value.token, "'\(value.keyword)' estimates E_p[f] but '\(first.keyword)' estimates its "
                + "gradient; expected either gradient estimators (\(EstimatorSpec.gradientList)) or value estimators in one "
                + "scenario, and a separate file for the other kind")
        }
        if !policies {
            return source.diagnostic(at: first.token, "'\(first.keyword)' estimates the gradient of E_(pi_theta)[f] with respect "
                + "to the target's logits, so it needs a policy scenario; expected a target such as softmax(logits: [...]), "
                + "tokens(...) or markov(...)")
        }
        for key in [ScenarioKey.mseBelowIS, .detectBias] {
            if let token = seen[key] {
                return source.diagnostic(at: token, "\(key.rawValue) applies to value estimators, but this scenario lists "
                    + "gradient estimators; expected no '\(key.rawValue)' line")
            }
        }
        return nil
    }
}
