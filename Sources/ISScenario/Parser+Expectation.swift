extension Parser {
    /// expectation := 'pass' | outcome (',' outcome)*
    /// outcome     := 'infinite_variance' | 'support_violation' | 'khat_above_threshold'
    ///              | 'fail' '(' check (',' check)* ')'
    ///
    /// Each outcome at most once, in any order; `pass` (the empty set) only alone.
    mutating func parseExpectation() throws(ParseFailure) -> ExpectedOutcome {
        var outcome = ExpectedOutcome()
        var given: [ExpectedOutcome.Word: Token] = [:]
        while true {
            let token = current
            let word = try parseOutcomeWord()
            if let first = given[word] {
                throw failure(at: token, "outcome '\(word.rawValue)' given twice; first given at "
                    + Self.place(first, from: token) + (word == .fail ? "; list every failing check in one fail(...)" : ""))
            }
            if word == .pass, !given.isEmpty {
                throw failure(at: token, "'pass' cannot be combined with other outcomes: pass means none of them "
                    + "happens; expected pass alone, or only the outcomes that must happen")
            }
            if word != .pass, given[.pass] != nil {
                throw failure(at: token, "'\(word.rawValue)' cannot be combined with 'pass': pass means no outcome "
                    + "happens; expected pass alone, or only the outcomes that must happen")
            }
            given[word] = token
            switch word {
            case .pass: break
            case .infiniteVariance: outcome.infiniteVariance = true
            case .supportViolation: outcome.supportViolation = true
            case .khatAboveThreshold: outcome.khatAboveThreshold = true
            case .fail: outcome.failing = try parseFailedChecks()
            }
            if word != .fail, current.kind == .leftParen {
                throw failure(at: current, "outcome '\(word.rawValue)' takes no parameters; expected '\(word.rawValue)' alone")
            }
            guard current.kind == .comma else { return outcome }
            try advance()
        }
    }

    /// How messages list the outcomes.
    static let outcomeList = "pass, or one or more of infinite_variance, support_violation, khat_above_threshold, "
        + "fail(check, ...)"

    private mutating func parseOutcomeWord() throws(ParseFailure) -> ExpectedOutcome.Word {
        let token = current
        guard let name = token.identifier else {
            throw failure(at: token, "expected an outcome: \(Self.outcomeList); found \(token.quoted)")
        }
        guard let word = ExpectedOutcome.Word(rawValue: name) else {
            if CheckName(rawValue: name) != nil {
                throw failure(at: token, "unknown outcome '\(name)'; a failing check is written fail(\(name))")
            }
            throw failure(at: token, "unknown outcome '\(name)'; expected \(Self.outcomeList)"
                + Spelling.suggestion(for: name, among: ExpectedOutcome.Word.allCases.map(\.rawValue)))
        }
        try advance()
        return word
    }

    /// '(' check (',' check)* ')' after `fail`: at least one, none twice.
    private mutating func parseFailedChecks() throws(ParseFailure) -> Set<CheckName> {
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
                    throw failure(at: checkToken, "check '\(name)' given twice; first given at "
                        + Self.place(previous, from: checkToken))
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
            throw failure(at: close, "fail needs at least one check; expected fail(check, ...) with checks "
                + names.joined(separator: ", "))
        }
        return Set(checks.keys)
    }

    /// `column 5` on the same line as `other`, else `line 3, column 5`.
    static func place(_ token: Token, from other: Token) -> String {
        token.line == other.line ? "column \(token.column)" : "line \(token.line), column \(token.column)"
    }
}
