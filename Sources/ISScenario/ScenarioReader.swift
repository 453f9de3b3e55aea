import ISProbability

/// Reads the statements of one file into scenario fields, collecting every
/// diagnostic on the way; ``scenario(file:)`` then makes the scenario and,
/// for a sweep, its points.
struct ScenarioReader {
    let source: SourceText
    var diagnostics: [Diagnostic] = []
    /// The key token each key was first given at (for duplicates), whether or
    /// not its value was valid, so a bad value does not also read as missing.
    var seen: [ScenarioKey: Token] = [:]
    var name: String?
    var summary: String?
    var target: DistributionTemplate?
    var behavior: DistributionTemplate?
    /// A target or behaviour written as a discrete policy.
    var targetPolicy: PolicyTemplate?
    var behaviorPolicy: PolicyTemplate?
    var scored: PolicyPair.Scored?
    var f: ExpressionTemplate?
    var samples: Int?
    var trials: Int?
    var seed: UInt64?
    var expectation: ExpectedOutcome?
    var estimators: [EstimatorTemplate]?
    var mseBelowIS: [EstimatorTemplate]?
    var detectBias: Double?
    /// The `reference` statements, in file order.
    var references: [ReferenceStatement] = []
    /// The swept variable's token, as soon as its name is known to be valid
    /// (even if the values then fail), so its uses do not read as unknown.
    var sweepVariable: Token?
    /// The swept values, once the whole sweep statement has been read.
    var sweepValues: [Double]?
    /// True once any statement has used the sweep variable, or one that could
    /// have failed (so "not used" is not reported on top of its error).
    var sweepUsed = false

    init(source: SourceText, lexerDiagnostics: [Diagnostic]) {
        self.source = source
        self.diagnostics = lexerDiagnostics
    }

    /// True when the file sweeps N (`sweep = samples ...`).
    var sweepsSamples: Bool { sweepVariable?.identifier == Sweep.samplesVariable }

    mutating func read(_ statements: [[Token]]) {
        // The sweep comes first, wherever it is written: the other statements
        // need to know its variable. A later sweep is a duplicate key.
        let sweepIndex = statements.firstIndex { $0.first?.identifier == ScenarioKey.sweep.rawValue }
        if let sweepIndex { read(statement: statements[sweepIndex]) }
        for (i, statement) in statements.enumerated() where i != sweepIndex {
            read(statement: statement)
        }
        let end = source.endPosition
        for key in ScenarioKey.allCases where key.isRequired && seen[key] == nil && !(key == .samples && sweepsSamples) {
            diagnostics.append(source.diagnostic(line: end.line, column: end.column,
                                                 "missing required key '\(key.display)'; "
                                                     + "expected a line '\(key.display) = ...' before the end of the file"))
        }
        if let variable = sweepVariable, sweepValues != nil, !sweepsSamples, !sweepUsed {
            diagnostics.append(source.diagnostic(at: variable, "sweep variable '\(variable.text)' is not used; expected it "
                + "in a distribution parameter, a mixture weight, f(x) or an estimator parameter"))
        }
    }

    private mutating func read(statement: [Token]) {
        var parser = Parser(source: source, tokens: statement)
        if let variable = sweepVariable, !sweepsSamples { parser.sweepVariable = variable.text }
        var failed = false
        do {
            try read(&parser)
        } catch {
            failed = true
            if let diagnostic = error.diagnostic { diagnostics.append(diagnostic) }
        }
        let mayUse: Set<String> = ["target", "behavior", "behaviour", "f", "estimators", "mse_below_is"]
        if parser.sweepUse != nil || (failed && statement.first?.identifier.map(mayUse.contains) == true) {
            sweepUsed = true
        }
    }

    private mutating func read(_ parser: inout Parser) throws(ParseFailure) {
        let keyToken = parser.current
        guard let word = keyToken.identifier else {
            throw parser.failure(at: keyToken, "expected a key such as 'name' at the start of a statement, "
                + "found \(keyToken.quoted)")
        }
        guard let key = ScenarioKey(spelling: word) else {
            throw parser.failure(at: keyToken, "unknown key '\(word)'; expected one of \(ScenarioKey.displayList)"
                + Spelling.suggestion(for: word, among: ScenarioKey.allCases.map(\.rawValue) + ["behaviour"]))
        }
        try parser.advance()
        if key == .reference {
            // Once per estimator, so not a duplicate key; the word before '=' names it.
            seen[key] = seen[key] ?? keyToken
            return try readReference(keyToken, &parser)
        }
        if let first = seen[key] {
            let earlier = first.text == word ? "" : " ('\(first.text)' is the same key)"
            throw parser.failure(at: keyToken, "duplicate key '\(word)'; it was first given on line \(first.line)\(earlier)")
        }
        seen[key] = keyToken
        if key == .samples, sweepsSamples, let sweep = seen[.sweep] {
            throw parser.failure(at: keyToken, "samples is swept (by the sweep on line \(sweep.line)); "
                + "expected no 'samples' line, or a sweep of another variable")
        }
        if key == .f, parser.current.kind == .leftParen {
            try parser.advance()
            let variable = parser.current
            guard variable.identifier == "x" else {
                throw parser.failure(at: variable, "expected 'x' as the variable of f(x), found \(variable.quoted)")
            }
            try parser.advance()
            guard parser.current.kind == .rightParen else {
                throw parser.failure(at: parser.current, "expected ')' to close 'f(x', found \(parser.current.quoted)")
            }
            try parser.advance()
        }
        let equals = try parser.expect(.equals, "'=' after key '\(word)'")
        try parser.rejectInvalidTokens()
        if parser.atEnd {
            throw parser.failure(at: equals, "missing value after '=' for '\(key.display)'; expected \(key.expected)")
        }
        try readValue(key, word, &parser)
        let expected = switch key {
        case .estimators, .mseBelowIS: "',' and another estimator, or the end of the line"
        case .expect: "',' and another outcome, or the end of the line"
        default: "the end of the line"
        }
        try parser.expectEnd(after: "the value of '\(word)'", expected: expected)
    }
}
