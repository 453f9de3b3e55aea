import ISProbability

/// The keys of a scenario file.
enum ScenarioKey: String, CaseIterable {
    case name, description, target, behavior, f, samples, trials, seed, expect

    /// Accepts the spellings users may write: `behaviour`, and `f` (the
    /// parser reads the optional `(x)` after it).
    init?(spelling: String) {
        switch spelling {
        case "behaviour": self = .behavior
        default: self.init(rawValue: spelling)
        }
    }

    /// How messages and canonical text name the key.
    var display: String { self == .f ? "f(x)" : rawValue }

    var isRequired: Bool {
        switch self {
        case .name, .description, .target, .behavior, .f, .samples: true
        case .trials, .seed, .expect: false
        }
    }

    static var displayList: String { allCases.map(\.display).joined(separator: ", ") }
}

/// Reads the statements of one file into scenario fields, collecting every
/// diagnostic on the way.
struct ScenarioReader {
    let source: SourceText
    private(set) var diagnostics: [Diagnostic] = []
    /// The key token each key was first given at (for duplicates), whether or
    /// not its value was valid, so a bad value does not also read as missing.
    private var seen: [ScenarioKey: Token] = [:]
    private var name: String?
    private var summary: String?
    private var target: Distribution?
    private var behavior: Distribution?
    private var f: Formula?
    private var samples: Int?
    private var trials: Int?
    private var seed: UInt64?
    private var expectation: ExpectedOutcome?

    init(source: SourceText, lexerDiagnostics: [Diagnostic]) {
        self.source = source
        self.diagnostics = lexerDiagnostics
    }

    mutating func read(_ statements: [[Token]]) {
        for statement in statements {
            var parser = Parser(source: source, tokens: statement)
            do {
                try read(&parser)
            } catch {
                if let diagnostic = error.diagnostic { diagnostics.append(diagnostic) }
            }
        }
        let end = source.endPosition
        for key in ScenarioKey.allCases where key.isRequired && seen[key] == nil {
            diagnostics.append(source.diagnostic(line: end.line, column: end.column,
                                                 "missing required key '\(key.display)'; "
                                                     + "expected a line '\(key.display) = ...' before the end of the file"))
        }
    }

    /// The scenario, once ``read(_:)`` has found no problems.
    func scenario(file: String) -> Scenario? {
        guard diagnostics.isEmpty, let name, let summary, let target, let behavior, let f, let samples else {
            return nil
        }
        return Scenario(name: name, summary: summary, target: target, behavior: behavior, f: f,
                        samples: samples, trials: trials ?? Scenario.defaultTrials,
                        seed: seed ?? Scenario.defaultSeed, expectation: expectation ?? .pass, file: file)
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
        if let first = seen[key] {
            let earlier = first.text == word ? "" : " ('\(first.text)' is the same key)"
            throw parser.failure(at: keyToken, "duplicate key '\(word)'; it was first given on line \(first.line)\(earlier)")
        }
        seen[key] = keyToken
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
            throw parser.failure(at: equals, "missing value after '=' for '\(key.display)'; expected \(expected(key))")
        }
        try readValue(key, word, &parser)
        try parser.expectEnd(after: "the value of '\(word)'")
    }

    private func expected(_ key: ScenarioKey) -> String {
        switch key {
        case .name: "a string such as \"gaussian-gap-1\""
        case .description: "a string in double quotes"
        case .target, .behavior: "a distribution such as normal(mean: 0, sd: 1)"
        case .f: "an expression in x such as x^2"
        case .samples: "a whole number between 2 and 100_000_000"
        case .trials: "a whole number between 2 and 1_000_000_000"
        case .seed: "a whole number between 0 and 18_446_744_073_709_551_615"
        case .expect: "pass, infinite_variance or fail(check, ...)"
        }
    }

    private mutating func readValue(_ key: ScenarioKey, _ word: String, _ parser: inout Parser) throws(ParseFailure) {
        switch key {
        case .name:
            let (value, token) = try parser.parseString(for: word)
            guard Scenario.isValidName(value) else {
                let bad = value.first { !Scenario.isValidName(String($0)) }
                let found = bad.map { "contains \(Lexer.describe($0))" } ?? "is empty"
                throw parser.failure(at: token, "name \(found); expected letters A-Z a-z, digits 0-9, '.', '_' and '-' only")
            }
            name = value
        case .description:
            let (value, token) = try parser.parseString(for: word)
            guard !value.contains(where: \.isNewline) else {
                throw parser.failure(at: token, "description must be one line; found a line break in it")
            }
            summary = value
        case .target:
            target = try parser.parseDistribution()
        case .behavior:
            behavior = try parser.parseDistribution()
        case .f:
            parser.firstX = nil
            f = try parser.parseExpression().expression
        case .samples:
            samples = Int(try parser.parseInteger(for: word, in: Self.range(Scenario.samplesRange)))
        case .trials:
            trials = Int(try parser.parseInteger(for: word, in: Self.range(Scenario.trialsRange)))
        case .seed:
            seed = try parser.parseInteger(for: word, in: 0...UInt64.max)
        case .expect:
            expectation = try parser.parseExpectation()
        }
    }

    private static func range(_ range: ClosedRange<Int>) -> ClosedRange<UInt64> {
        UInt64(range.lowerBound)...UInt64(range.upperBound)
    }
}
