/// Reads scenario files: text, bytes or paths in; a ``Scenario`` or every
/// problem found out.
///
/// All entry points collect every error of a file (resuming at the next
/// statement after each one) and throw them together, sorted by position, as
/// a ``ScenarioFileError``. No input makes them crash.
public enum ScenarioParser {
    /// Largest file accepted, in bytes; scenario files are a few hundred.
    public static let maxFileSize = 1 << 20

    /// Parses scenario text; `file` names it in diagnostics and becomes
    /// ``Scenario/file``.
    public static func parse(_ text: String, file: String) throws(ScenarioFileError) -> Scenario {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        if let problem = BinaryCheck.problem(in: Array(text.utf8), file: file) {
            throw ScenarioFileError(problem)
        }
        let source = SourceText(file: file, text: text)
        let (tokens, lexerDiagnostics) = Lexer.tokenize(text, source: source)
        let statements = Statements.split(tokens)
        guard !statements.isEmpty else {
            throw ScenarioFileError(Diagnostic(file: file, line: 1, column: 1,
                                               message: "empty file; expected 'key = value' lines such as name = \"my-scenario\"",
                                               sourceLine: source.line(1)))
        }
        var reader = ScenarioReader(source: source, lexerDiagnostics: lexerDiagnostics)
        reader.read(statements)
        guard var scenario = reader.scenario(file: file) else {
            throw ScenarioFileError(diagnostics: reader.diagnostics)
        }
        reader.attachReferences(to: &scenario)
        guard reader.diagnostics.isEmpty else { throw ScenarioFileError(diagnostics: reader.diagnostics) }
        return scenario
    }

    /// Parses the raw bytes of a file: rejects anything that is not UTF-8
    /// text (invalid UTF-8, NUL bytes) with a diagnostic at the first bad
    /// byte, drops a leading byte order mark, then parses the text.
    public static func parse(bytes: [UInt8], file: String) throws(ScenarioFileError) -> Scenario {
        if let problem = BinaryCheck.problem(in: bytes, file: file) {
            throw ScenarioFileError(problem)
        }
        let body = bytes.starts(with: BinaryCheck.byteOrderMark) ? Array(bytes.dropFirst(3)) : bytes
        return try parse(String(decoding: body, as: UTF8.self), file: file)
    }
}

extension Formula {
    /// Parses an expression in `x` (the grammar of `f(x)`); diagnostics name
    /// the file `<expression>`.
    ///
    /// Line breaks count as spaces and `#` starts a comment.
    public init(parsing text: String) throws(ScenarioFileError) {
        let file = "<expression>"
        if let problem = BinaryCheck.problem(in: Array(text.utf8), file: file) {
            throw ScenarioFileError(problem)
        }
        let source = SourceText(file: file, text: text)
        let (tokens, lexerDiagnostics) = Lexer.tokenize(text, source: source)
        guard lexerDiagnostics.isEmpty else { throw ScenarioFileError(diagnostics: lexerDiagnostics) }
        var parser = Parser(source: source, tokens: tokens.filter { $0.kind != .newline })
        do throws(ParseFailure) {
            if parser.atEnd {
                throw parser.failure(at: parser.current, "expected an expression in x such as x^2, found end of input")
            }
            let parsed = try parser.parseExpression()
            try parser.expectEnd(after: "the expression")
            self = parsed.expression.formula(at: .nan)
        } catch {
            let diagnostic = error.diagnostic
                ?? Diagnostic(file: file, line: 1, column: 1, message: "invalid expression", sourceLine: source.line(1))
            throw ScenarioFileError(diagnostic)
        }
    }
}

/// Cuts the token stream into statements.
enum Statements {
    /// A line break ends a statement, except inside parentheses or brackets,
    /// so long values can wrap. A line that starts like a new statement (`key =` or
    /// `f(x) =`, `reference psis =`) still ends it even inside parentheses: an unclosed `(` then
    /// costs one diagnostic instead of swallowing the rest of the file.
    static func split(_ tokens: [Token]) -> [[Token]] {
        var statements: [[Token]] = []
        var current: [Token] = []
        var depth = 0
        // A while loop: the enumerated iterator is a generic call per token in -Onone builds.
        var i = -1
        while i + 1 < tokens.count {
            i += 1
            let token = tokens[i]
            switch token.kind {
            case .newline:
                // Within a run of line breaks only the last one decides.
                if depth > 0, i + 1 < tokens.count, tokens[i + 1].kind == .newline { continue }
                if depth == 0 || startsStatement(tokens, at: i + 1) {
                    if !current.isEmpty { statements.append(current) }
                    current = []
                    depth = 0
                }
                continue
            case .leftParen, .leftBracket: depth += 1
            case .rightParen, .rightBracket: depth = max(0, depth - 1)
            default: break
            }
            current.append(token)
        }
        if !current.isEmpty { statements.append(current) }
        return statements
    }

    private static func startsStatement(_ tokens: [Token], at start: Int) -> Bool {
        let i = start
        func kind(_ offset: Int) -> TokenKind? { i + offset < tokens.count ? tokens[i + offset].kind : nil }
        guard case .identifier(let word)? = kind(0) else { return false }
        if kind(1) == .equals { return true }
        // `reference psis =`
        if word == ScenarioKey.reference.rawValue, case .identifier? = kind(1), kind(2) == .equals { return true }
        return word == "f" && kind(1) == .leftParen && kind(2) == .identifier("x")
            && kind(3) == .rightParen && kind(4) == .equals
    }
}
