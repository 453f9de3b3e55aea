import ISProbability

extension ScenarioReader {
    /// Reads the value of one key into its field.
    mutating func readValue(_ key: ScenarioKey, _ word: String, _ parser: inout Parser) throws(ParseFailure) {
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
            if let name = parser.current.identifier, Parser.isPolicyFamily(name) {
                targetPolicy = try parser.parsePolicy()
            } else {
                target = try parser.parseDistribution()
            }
        case .behavior:
            if let name = parser.current.identifier, Parser.isPolicyFamily(name) {
                behaviorPolicy = try parser.parsePolicy()
            } else {
                behavior = try parser.parseDistribution()
            }
        case .scored:
            let token = try parser.advance()
            guard let word = token.identifier, let value = PolicyPair.Scored(rawValue: word) else {
                throw parser.failure(at: token, "scored must be 'all' or 'last', found \(token.quoted)")
            }
            scored = value
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
        case .estimators:
            estimators = try parser.parseEstimatorList()
        case .mseBelowIS:
            let list = try parser.parseEstimatorList()
            if let kl = list.first(where: { EstimatorSpec.klKeywords.contains($0.keyword) }) {
                throw parser.failure(at: kl.token, "'\(kl.keyword)' estimates KL(q || p), not E_p[f], so its MSE "
                    + "cannot be compared with that of 'is'; expected only estimators of E_p[f] in mse_below_is")
            }
            mseBelowIS = list
        case .sweep:
            let variable = try parser.parseSweepVariable()
            sweepVariable = variable
            sweepValues = try parser.parseSweepValues(of: variable.text)
        case .detectBias:
            let (value, start) = try parser.parseConstantTemplate(word)
            if let variable = parser.sweepVariable, value.mentionsParameter {
                throw parser.failure(at: start, "\(word) cannot depend on the sweep variable '\(variable)'; "
                    + "expected one number for every point")
            }
            let bias = value.value(at: .nan)
            guard bias.isFinite, bias > 0 else {
                throw parser.failure(at: start, "\(word) must be a finite number > 0, got \(canonicalNumber(bias))")
            }
            detectBias = bias
        case .reference:
            // Read by readReference, since the estimator comes before '='.
            break
        }
    }

    private static func range(_ range: ClosedRange<Int>) -> ClosedRange<UInt64> {
        UInt64(range.lowerBound)...UInt64(range.upperBound)
    }
}
