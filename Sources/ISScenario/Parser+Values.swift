extension Parser {
    /// A string literal.
    mutating func parseString(for key: String) throws(ParseFailure) -> (value: String, token: Token) {
        let token = current
        guard case let .string(value) = token.kind else {
            let hint = token.identifier != nil ? " (strings are written in double quotes)" : ""
            throw failure(at: token, "expected a string in double quotes for '\(key)', found \(token.quoted)\(hint)")
        }
        try advance()
        return (value, token)
    }

    /// A whole number written as digits with optional `_` separators, within
    /// `range`. Digits are accumulated with overflow checks, so any length of
    /// input is safe.
    mutating func parseInteger(for key: String, in range: ClosedRange<UInt64>) throws(ParseFailure) -> UInt64 {
        let first = current
        let between = "between \(Self.grouped(range.lowerBound)) and \(Self.grouped(range.upperBound))"
        var negative = false
        if first.kind == .minus, case .number? = peek(1)?.kind {
            negative = true
            try advance()
        }
        let token = current
        guard case let .number(text, _, isInteger) = token.kind else {
            throw failure(at: token, "expected a whole number \(between) for '\(key)', found \(token.quoted)")
        }
        guard isInteger else {
            throw failure(at: token, "'\(key)' must be a whole number (digits with optional _ separators) "
                + "\(between), found '\(text)'")
        }
        try advance()
        let written = (negative ? "-" : "") + text
        guard !negative, let value = Self.integerValue(text), range.contains(value) else {
            throw failure(at: first, "'\(key)' must be \(between), got \(written)")
        }
        return value
    }

    static func integerValue(_ digits: String) -> UInt64? {
        var value: UInt64 = 0
        for character in digits where character != "_" {
            guard let digit = character.wholeNumberValue else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// `4000000` as `4_000_000`, the way the language lets users write it.
    static func grouped(_ value: UInt64) -> String {
        var digits = Array(String(value))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(String(digits), at: 0)
        return groups.joined(separator: "_")
    }

    /// expectation := 'pass' | 'infinite_variance' | 'fail' '(' check (',' check)* ')'
    mutating func parseExpectation() throws(ParseFailure) -> ExpectedOutcome {
        let token = current
        let forms = ["pass", "infinite_variance", "fail"]
        let expected = "expected pass, infinite_variance or fail(check, ...) with checks mean, variance, ess"
        guard let word = token.identifier else {
            throw failure(at: token, "\(expected); found \(token.quoted)")
        }
        try advance()
        switch word {
        case "pass": return .pass
        case "infinite_variance": return .infiniteVariance
        case "fail": break
        default:
            throw failure(at: token, "unknown expectation '\(word)'; \(expected)"
                + Spelling.suggestion(for: word, among: forms))
        }
        try expect(.leftParen, "'(' after 'fail', as in fail(mean, ess)")
        var checks: [CheckName: Token] = [:]
        let names = CheckName.allCases.map(\.rawValue)
        if current.kind != .rightParen {
            while true {
                let checkToken = current
                guard let name = checkToken.identifier, let check = CheckName(rawValue: name) else {
                    let found = checkToken.identifier.map { "unknown check '\($0)'" } ?? "found \(checkToken.quoted)"
                    throw failure(at: checkToken, "\(found); expected one of \(names.joined(separator: ", "))"
                        + Spelling.suggestion(for: checkToken.identifier ?? "", among: names))
                }
                if let previous = checks[check] {
                    throw failure(at: checkToken, "check '\(name)' given twice; first given at column \(previous.column)")
                }
                checks[check] = checkToken
                try advance()
                guard current.kind == .comma else { break }
                try advance()
            }
        }
        let close = current
        try expectClosing(after: "a check")
        guard !checks.isEmpty else {
            throw failure(at: close, "fail needs at least one check; expected fail(\(names.joined(separator: ", "))) or a subset")
        }
        return .fail(Set(checks.keys))
    }
}
