/// A place in a scenario file: file name, 1-based line and 1-based column.
///
/// Columns count characters (extended grapheme clusters) of the line, so a
/// caret printed under the same number of characters lands on the spot.
/// Positions order by line, then column; the file name does not take part.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file name as given to the parser (a path, or `<expression>`).
    public let file: String
    /// 1-based line number.
    public let line: Int
    /// 1-based column, in characters of the line.
    public let column: Int

    /// A position; nothing is checked.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }

    /// Earlier line first, then earlier column.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One error found in a scenario file, with the place it was found.
///
/// The message says what was found and what was expected there. `sourceLine`
/// holds the text of the offending line so ``description`` can show it with a
/// caret under the column; it is nil when there is no line to show (an
/// unreadable or binary file).
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the parser.
    public let file: String
    /// 1-based line number.
    public let line: Int
    /// 1-based column, in characters of the line.
    public let column: Int
    /// What was found and what was expected, without the position.
    public let message: String
    /// The text of line `line`, without its line break; nil if there is none.
    public let sourceLine: String?

    /// A diagnostic; other modules may make their own to report problems in
    /// the same format.
    public init(file: String, line: Int, column: Int, message: String, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// Where the diagnostic points.
    public var position: SourcePosition { SourcePosition(file: file, line: line, column: column) }

    /// `file:line:column: error: message`, then the source line and a caret
    /// under the column when the line is known.
    public var description: String {
        var text = "\(file):\(line):\(column): error: \(message)"
        if let sourceLine {
            text += "\n" + sourceLine + "\n" + Self.caretPadding(sourceLine, column: column) + "^"
        }
        return text
    }

    // Tabs are copied into the padding so the caret lines up however wide the
    // terminal draws a tab.
    private static func caretPadding(_ line: String, column: Int) -> String {
        var padding = ""
        var remaining = max(0, column - 1)
        for character in line where remaining > 0 {
            padding.append(character == "\t" ? "\t" : " ")
            remaining -= 1
        }
        return padding + String(repeating: " ", count: remaining)
    }
}

/// Everything wrong with one scenario file (or expression text).
///
/// `diagnostics` is never empty and is sorted by position; diagnostics at the
/// same position keep the order they were found in.
public struct ScenarioFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by position.
    public let diagnostics: [Diagnostic]

    /// Sorts `diagnostics` by position (stable for equal positions).
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.enumerated()
            .sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
    }

    /// A single problem.
    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    /// Every diagnostic's description, one after another.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
