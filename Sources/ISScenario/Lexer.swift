/// Turns scenario text into tokens, reporting characters and literals it cannot
/// read.
///
/// Every problem becomes a diagnostic plus an `.invalid` token, so lexing never
/// fails and the parser can still find the statement boundaries around it.
struct Lexer {
    private let characters: [Character]
    private let source: SourceText
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []

    /// `\n`, `\r\n` (one Character in Swift) and a lone `\r` end a line.
    /// (By ASCII value, which is 10 for `\r\n` too: comparing Characters and
    /// reading their Unicode properties are the lexer's cost in -Onone builds.)
    static func isLineBreak(_ character: Character) -> Bool {
        guard let a = character.asciiValue else { return false }
        return a == 10 ? true : a == 13
    }

    static func tokenize(_ text: String, source: SourceText) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(characters: Array(text), source: source)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    private init(characters: [Character], source: SourceText) {
        self.characters = characters
        self.source = source
    }

    private func peek(_ offset: Int = 0) -> Character? {
        let i = index + offset
        return i < characters.count ? characters[i] : nil
    }

    private mutating func advance() {
        index += 1
        column += 1
    }

    private mutating func emit(_ kind: TokenKind, _ text: String, column start: Int) {
        tokens.append(Token(kind: kind, text: text, line: line, column: start))
    }

    private mutating func report(column start: Int, _ message: String) {
        diagnostics.append(source.diagnostic(line: line, column: start, message))
    }

    private mutating func run() {
        while let character = peek() {
            let start = column
            if Self.isLineBreak(character) {
                emit(.newline, "\n", column: start)
                index += 1
                line += 1
                column = 1
            } else if character == "#" {
                while let next = peek(), !Self.isLineBreak(next) { advance() }
            } else if character.isWhitespace {
                advance()
            } else if Self.isIdentifierStart(character) {
                var text = ""
                while let next = peek(), Self.isIdentifierStart(next) || Self.isDigit(next) {
                    text.append(next)
                    advance()
                }
                emit(.identifier(text), text, column: start)
            } else if Self.isDigit(character) || (character == "." && peek(1).map(Self.isDigit) == true) {
                lexNumber()
            } else if character == "\"" {
                lexString()
            } else {
                lexSymbol(character)
            }
        }
    }

    private mutating func lexSymbol(_ character: Character) {
        let start = column
        let next = peek(1)
        let kind: TokenKind?
        var text = String(character)
        switch character {
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case "[": kind = .leftBracket
        case "]": kind = .rightBracket
        case ",": kind = .comma
        case ":": kind = .colon
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .star
        case "/": kind = .slash
        case "^": kind = .caret
        case "<": kind = next == "=" ? .lessEqual : .less
        case ">": kind = next == "=" ? .greaterEqual : .greater
        case "=": kind = next == "=" ? .equalEqual : .equals
        case "!": kind = next == "=" ? .notEqual : nil
        default: kind = nil
        }
        if next == "=", "<>=!".contains(character) {
            text.append("=")
            advance()
        }
        advance()
        if let kind {
            emit(kind, text, column: start)
            return
        }
        report(column: start, "unexpected character \(Self.describe(character))" + Self.hint(for: character))
        emit(.invalid, text, column: start)
    }

    private static func hint(for character: Character) -> String {
        switch character {
        case "!": "; did you mean '!='?"
        case "'", "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}": "; strings are written in straight double quotes \"...\""
        case "{", "}": "; group with '(' and ')'; '[...]' lists sweep values"
        case "\u{2212}": "; use the ASCII minus '-'"
        case "\u{00D7}": "; use '*' to multiply"
        default: "; expected a key, a value, an operator or a '#' comment"
        }
    }

    /// The character quoted, with its code point when it is invisible or not ASCII.
    static func describe(_ character: Character) -> String {
        let scalars = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
        let visible = character.isASCII && !(character.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? true)
        return visible ? "'\(character)'" : "\(scalars.joined(separator: " "))"
    }

    /// `_` or an ASCII letter.
    static func isIdentifierStart(_ character: Character) -> Bool {
        guard let a = character.asciiValue else { return false }
        return a == 95 ? true : (a | 0x20) >= 97 && (a | 0x20) <= 122
    }

    /// An ASCII digit.
    static func isDigit(_ character: Character) -> Bool {
        guard let a = character.asciiValue else { return false }
        return a >= 48 && a <= 57
    }

    // Takes the longest run that could belong to a number, then checks its
    // form, so `1.2.3`, `1e` and `2x` are each one "bad number" rather than a
    // confusing run of separate tokens.
    private mutating func lexNumber() {
        let start = column
        var text = ""
        while let next = peek() {
            if Self.isIdentifierStart(next) || Self.isDigit(next) || next == "." {
                text.append(next)
                advance()
            } else if (next == "+" || next == "-"), let last = text.last, last == "e" || last == "E",
                      let after = peek(1), Self.isDigit(after) || Self.isIdentifierStart(after) || after == "." {
                text.append(next)
                advance()
            } else {
                break
            }
        }
        guard let form = NumberForm(text) else {
            report(column: start, "bad number '\(text)'; expected a number such as 1, 1.5, .5, 1e-3 or 4_000")
            emit(.invalid, text, column: start)
            return
        }
        // Too large for a Double reads as inf: whole numbers may still be
        // valid (seeds are checked digit by digit), so the parser judges.
        let value = Double(text.filter { $0 != "_" }) ?? .infinity
        emit(.number(text: text, value: value, isInteger: form.isInteger), text, column: start)
    }

    private mutating func lexString() {
        let start = column
        var text = "\""
        var value = ""
        var badEscape: (column: Int, text: String)?
        advance()
        while let next = peek(), !Self.isLineBreak(next) {
            text.append(next)
            advance()
            if next == "\"" {
                if let badEscape {
                    report(column: badEscape.column,
                           "unknown escape '\(badEscape.text)' in string; expected \\\", \\\\, \\n or \\t")
                    emit(.invalid, text, column: start)
                } else {
                    emit(.string(value), text, column: start)
                }
                return
            }
            guard next == "\\" else {
                value.append(next)
                continue
            }
            guard let escaped = peek(), !Self.isLineBreak(escaped) else { break }
            text.append(escaped)
            advance()
            switch escaped {
            case "\"": value.append("\"")
            case "\\": value.append("\\")
            case "n": value.append("\n")
            case "t": value.append("\t")
            default: if badEscape == nil { badEscape = (column - 2, "\\\(escaped)") }
            }
        }
        report(column: start, "unterminated string; expected a closing '\"' before the end of the line")
        emit(.invalid, text, column: start)
    }
}

/// The shape of a number literal: digits with single `_` between digits, an
/// optional fraction (`.` and digits; `.5` is fine, `1.` is not) and an
/// optional exponent (`e` or `E`, optional sign, digits).
struct NumberForm {
    let isInteger: Bool

    init?(_ text: String) {
        let chars = Array(text)
        var i = 0
        func digits() -> Bool {
            guard i < chars.count, Lexer.isDigit(chars[i]) else { return false }
            while i < chars.count {
                if Lexer.isDigit(chars[i]) {
                    i += 1
                } else if chars[i] == "_", i + 1 < chars.count, Lexer.isDigit(chars[i + 1]) {
                    i += 1
                } else {
                    break
                }
            }
            return true
        }
        let hasInteger = digits()
        var isInteger = hasInteger
        if i < chars.count, chars[i] == "." {
            i += 1
            guard digits() else { return nil }
            isInteger = false
        } else if !hasInteger {
            return nil
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            guard digits() else { return nil }
            isInteger = false
        }
        guard i == chars.count else { return nil }
        self.isInteger = isInteger
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
