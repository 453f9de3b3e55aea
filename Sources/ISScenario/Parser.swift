/// Why parsing a statement stopped. A nil diagnostic means the lexer has
/// already reported the problem (the statement held an `.invalid` token).
struct ParseFailure: Error {
    let diagnostic: Diagnostic?
}

/// A recursive-descent cursor over the tokens of one statement (or of one
/// expression text). The first error ends the statement; the caller resumes
/// at the next one.
struct Parser {
    /// Deepest nesting of parentheses, calls, unary operators and exponents,
    /// and the tallest expression tree, the parser accepts. It keeps deep
    /// input from exhausting the stack here or in the recursive evaluators.
    static let maxNesting = 256

    let source: SourceText
    private(set) var tokens: [Token]
    var index = 0
    /// Tokens at and after `limit` are out of reach: ``current`` shows them as
    /// an end. Lets a mixture weight be parsed up to its `*`.
    var limit: Int
    var depth = 0
    /// The first `x` read since the last reset, to point at it when a constant
    /// was expected.
    var firstX: Token?
    /// The name that reads as the sweep variable (``ExpressionTemplate/parameter(_:)``);
    /// nil when there is no sweep or it sweeps `samples`.
    var sweepVariable: String?
    /// The first place the statement used ``sweepVariable``.
    var sweepUse: Token?

    /// The innermost `(` or `[` of the statement that is never closed:
    /// reaching the end of the statement inside it is reported there.
    let unclosed: Token?

    init(source: SourceText, tokens statement: [Token]) {
        self.source = source
        var open: [Token] = []
        for token in statement {
            switch token.kind {
            case .leftParen, .leftBracket: open.append(token)
            case .rightParen, .rightBracket: _ = open.popLast()
            default: break
            }
        }
        self.unclosed = open.last
        var tokens = statement
        let last = statement.last
        tokens.append(Token(kind: .end, text: "", line: last?.line ?? 1, column: last?.endColumn ?? 1))
        self.tokens = tokens
        self.limit = tokens.count - 1
    }

    /// The token under the cursor; past `limit`, an `.end` that still carries
    /// the hidden token's text and place so messages can name it.
    var current: Token {
        if index < limit { return tokens[index] }
        var end = tokens[min(limit, tokens.count - 1)]
        end.kind = .end
        return end
    }

    var atEnd: Bool { current.kind == .end }

    func peek(_ offset: Int) -> Token? {
        let i = index + offset
        return i < limit ? tokens[i] : nil
    }

    @discardableResult
    mutating func advance() throws(ParseFailure) -> Token {
        let token = current
        if token.isInvalid { throw ParseFailure(diagnostic: nil) }
        if index < limit { index += 1 }
        return token
    }

    /// A failure at `token`. An invalid token was already reported by the
    /// lexer, so it says nothing more; running into the end of the statement
    /// inside an unclosed `(` is reported as that `(`.
    func failure(at token: Token, _ message: String) -> ParseFailure {
        if token.isInvalid { return ParseFailure(diagnostic: nil) }
        if token.kind == .end, token.text.isEmpty, let unclosed {
            return ParseFailure(diagnostic: source.diagnostic(at: unclosed, Self.unclosedMessage(unclosed)))
        }
        return ParseFailure(diagnostic: source.diagnostic(at: token, message))
    }

    static func unclosedMessage(_ open: Token) -> String {
        open.kind == .leftBracket
            ? "unclosed '['; expected a matching ']' before the end of the statement"
            : "unclosed '('; expected a matching ')' before the end of the statement"
    }

    /// Consumes a token of `kind` or fails with "expected `what`, found ...".
    @discardableResult
    mutating func expect(_ kind: TokenKind, _ what: String) throws(ParseFailure) -> Token {
        guard current.kind == kind else {
            throw failure(at: current, "expected \(what), found \(current.quoted)")
        }
        return try advance()
    }

    /// Consumes the `)` closing a list; ``failure(at:_:)`` reports the `(` as
    /// unclosed if the statement ends first.
    mutating func expectClosing(after what: String) throws(ParseFailure) {
        if current.kind == .rightParen {
            try advance()
            return
        }
        throw failure(at: current, "expected ',' or ')' after \(what), found \(current.quoted)")
    }

    /// Fails unless the whole statement has been read; a leftover `)` is
    /// reported as unbalanced, anything else as trailing text.
    func expectEnd(after what: String, expected: String = "the end of the line") throws(ParseFailure) {
        guard !atEnd else { return }
        if current.kind == .rightParen {
            throw failure(at: current, "unbalanced ')': there is no '(' for it to close")
        }
        throw failure(at: current, "unexpected \(current.quoted) after \(what); expected \(expected)")
    }

    /// Fails at the first invalid token of the statement, silently.
    func rejectInvalidTokens() throws(ParseFailure) {
        // (A closure rather than a key path: -Onone builds apply a key path through
        // the runtime for every token.)
        if tokens.contains(where: { $0.isInvalid }) { throw ParseFailure(diagnostic: nil) }
    }
}

/// Edit distance, for "did you mean" hints.
enum Spelling {
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var row = previous
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                row[j] = min(substitution, previous[j] + 1, row[j - 1] + 1)
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }

    /// `; did you mean 'normal'?` for the nearest candidate within two edits
    /// (and not a complete rewrite), or "".
    static func suggestion(for word: String, among candidates: [String]) -> String {
        guard word.count <= 64 else { return "" }
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let d = distance(word, candidate)
            guard d <= 2, d < max(word.count, candidate.count) else { continue }
            if let best, best.distance <= d { continue }
            best = (candidate, d)
        }
        return best.map { "; did you mean '\($0.name)'?" } ?? ""
    }
}
