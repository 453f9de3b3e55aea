import ISProbability

/// A `reference` statement as read, with the tokens its errors point at.
struct ReferenceStatement {
    let key: Token
    /// The estimator word after `reference`.
    let estimatorToken: Token
    /// The `inputs:` string, where a stale reference is reported.
    let inputsToken: Token
    let reference: SimulatedReference
}

extension ScenarioReader {
    /// reference := 'reference' estimator '=' simulation
    ///
    /// Called with the parser just past the word `reference`. The key may appear
    /// once per estimator; only estimators without exact references take one.
    mutating func readReference(_ keyToken: Token, _ parser: inout Parser) throws(ParseFailure) {
        let estimatorToken = parser.current
        guard estimatorToken.identifier != nil else {
            throw parser.failure(at: estimatorToken, "expected the estimator the reference is for after 'reference', "
                + "as in 'reference psis = simulation(...)', found \(estimatorToken.quoted)")
        }
        let template = try parser.parseEstimator()
        let spec: EstimatorSpec
        do { spec = try template.instantiate(at: .nan) } catch { throw parser.failure(at: error.token, error.message) }
        guard spec == .paretoSmoothed else {
            throw parser.failure(at: estimatorToken, "'\(spec.canonicalText)' has exact references; a simulated "
                + "reference is for an estimator without them: psis")
        }
        if let first = references.first(where: { $0.reference.estimator == spec }) {
            throw parser.failure(at: estimatorToken, "duplicate reference for '\(spec.canonicalText)'; it was first "
                + "given on line \(first.key.line)")
        }
        let equals = try parser.expect(.equals, "'=' after 'reference \(spec.canonicalText)'")
        try parser.rejectInvalidTokens()
        if parser.atEnd {
            throw parser.failure(at: equals, "missing value after '=' for 'reference'; expected \(ScenarioKey.reference.expected)")
        }
        let (reference, inputsToken) = try parser.parseSimulation(spec)
        try parser.expectEnd(after: "the value of 'reference \(spec.canonicalText)'")
        references.append(ReferenceStatement(key: keyToken, estimatorToken: estimatorToken, inputsToken: inputsToken,
                                             reference: reference))
    }

    /// Checks each reference against the scenario it belongs to and attaches it:
    /// a single scenario, an estimator it runs, and the inputs it was simulated
    /// for equal to the scenario's (otherwise the reference is stale).
    mutating func attachReferences(to scenario: inout Scenario) {
        for statement in references {
            let r = statement.reference, word = r.estimator.canonicalText
            if let sweep = scenario.sweep {
                diagnostics.append(source.diagnostic(at: statement.key, "a simulated reference belongs to one scenario, "
                    + "but this file sweeps '\(sweep.variable)', whose points would each need their own; expected no "
                    + "'reference' line in a swept scenario"))
            } else if !scenario.estimators.contains(r.estimator) {
                let listed = scenario.estimators.map(\.canonicalText).joined(separator: ", ")
                diagnostics.append(source.diagnostic(at: statement.estimatorToken, "'\(word)' is not in 'estimators' "
                    + "(\(listed)); expected a reference only for an estimator the scenario runs"))
            } else if let (recorded, current) = scenario.referenceMismatch(r.inputs) {
                diagnostics.append(source.diagnostic(at: statement.inputsToken, "stale reference: it was simulated for "
                    + "'\(recorded)', but the scenario has '\(current)'; simulate it again with "
                    + "'python3 ci/psis-reference.py FILE --write'"))
            } else {
                scenario.references.append(r)
            }
        }
    }
}

extension Parser {
    /// simulation := 'simulation' '(' label ':' value (',' label ':' value)* ')'
    /// with every label of ``SimulatedReference/labels`` exactly once, in any order.
    mutating func parseSimulation(_ estimator: EstimatorSpec) throws(ParseFailure) -> (SimulatedReference, inputs: Token) {
        let labels = SimulatedReference.labels
        let template = "simulation(" + labels.map { "\($0): ..." }.joined(separator: ", ") + ")"
        let word = current
        guard word.identifier == "simulation" else {
            throw failure(at: word, "expected \(template), found \(word.quoted)")
        }
        try advance()
        try expect(.leftParen, "'(' after 'simulation'")
        var given: [String: Token] = [:]
        var numbers: [String: Double] = [:], strings: [String: (String, Token)] = [:]
        var trials = 0
        if current.kind != .rightParen {
            while true {
                let (label, labelToken) = try parameterLabel(of: "simulation", known: labels, template: template, given: given)
                given[label] = labelToken
                try advance()
                try expect(.colon, "':' after '\(label)'")
                switch label {
                case "trials":
                    let range = SimulatedReference.trialsRange
                    trials = Int(try parseInteger(for: "trials", in: UInt64(range.lowerBound)...UInt64(range.upperBound)))
                case "inputs", "source":
                    let (text, token) = try parseString(for: label)
                    guard !text.isEmpty else { throw failure(at: token, "'\(label)' must not be empty") }
                    strings[label] = (text, token)
                default:
                    let (value, start) = try parseConstant("'\(label)'")
                    let positive = label != "mean" && label != "central3"
                    guard value.isFinite, !positive || value > 0 else {
                        throw failure(at: start, "'\(label)' must be a finite number\(positive ? " > 0" : ""), got \(canonicalNumber(value))")
                    }
                    numbers[label] = value
                }
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        let close = current
        try expectClosing(after: "an argument of simulation")
        let missing = labels.filter { given[$0] == nil }
        guard missing.isEmpty, let inputs = strings["inputs"], let source = strings["source"] else {
            throw failure(at: close, "simulation needs " + missing.map { "'\($0):'" }.joined(separator: ", ") + "; expected \(template)")
        }
        let reference = SimulatedReference(estimator: estimator, trials: trials, mean: numbers["mean"]!,
                                           variance: numbers["variance"]!, central3: numbers["central3"]!,
                                           central4: numbers["central4"]!, central6: numbers["central6"]!,
                                           inputs: inputs.0, source: source.0)
        return (reference, inputs.1)
    }
}
