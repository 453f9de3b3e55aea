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
}
