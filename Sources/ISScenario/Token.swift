/// What a token is; punctuation is one case per symbol so the parser can match
/// on it directly.
enum TokenKind: Equatable {
    case identifier(String)
    /// A number literal as written (underscores kept) and its value.
    /// `isInteger` when it is plain digits with optional `_` separators.
    case number(text: String, value: Double, isInteger: Bool)
    /// A string literal's value, escapes resolved.
    case string(String)
    case equals, leftParen, rightParen, leftBracket, rightBracket, comma, colon
    case plus, minus, star, slash, caret
    case less, lessEqual, greater, greaterEqual, equalEqual, notEqual
    case newline
    /// Something the lexer has already reported; the parser skips the statement
    /// silently so one mistake yields one diagnostic.
    case invalid
    /// The end of a statement (or of an expression text).
    case end
}

/// One token with the place it starts and the exact text it was made from.
struct Token {
    var kind: TokenKind
    var text: String
    var line: Int
    var column: Int

    /// The column just after the token (tokens never span lines).
    var endColumn: Int { column + text.count }

    /// How a message names the token: `'sd'`, `'('`, `end of line`.
    var quoted: String {
        switch kind {
        case .end, .newline: "end of line"
        case .string: "string \(text)"
        default: "'\(text)'"
        }
    }

    var identifier: String? {
        if case let .identifier(name) = kind { return name }
        return nil
    }

    var isInvalid: Bool { kind == .invalid }

    /// The binary operator this token spells, if any.
    var binaryOperator: BinaryOperator? {
        switch kind {
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .caret: .power
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .equalEqual: .equal
        case .notEqual: .notEqual
        default: nil
        }
    }
}

/// The text of a file split into lines, to quote in diagnostics.
struct SourceText {
    let file: String
    let lines: [String]

    init(file: String, text: String) {
        self.file = file
        var lines: [String] = []
        var current = ""
        var sawAny = false
        for character in text {
            sawAny = true
            if Lexer.isLineBreak(character) {
                lines.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        // A final line break ends the last line; it does not start a new one.
        if !current.isEmpty || !sawAny { lines.append(current) }
        self.lines = lines
    }

    func line(_ number: Int) -> String? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    func diagnostic(line: Int, column: Int, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, message: message, sourceLine: self.line(line))
    }

    func diagnostic(at token: Token, _ message: String) -> Diagnostic {
        diagnostic(line: token.line, column: token.column, message)
    }

    /// Just after the last character of the file, for "missing key" messages.
    var endPosition: (line: Int, column: Int) {
        let last = lines.last ?? ""
        return (max(1, lines.count), last.count + 1)
    }
}
