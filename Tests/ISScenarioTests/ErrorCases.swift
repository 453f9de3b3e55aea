@testable import ISScenario
import Testing

/// One file with exactly one mistake, where it must be reported, and words
/// the message must contain.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let label: String
    let text: String
    let line: Int
    let column: Int
    let fragments: [String]

    init(_ label: String, _ text: String, _ line: Int, _ column: Int, _ fragments: String...) {
        self.label = label
        self.text = text
        self.line = line
        self.column = column
        self.fragments = fragments
    }

    var testDescription: String { label }
}

extension ErrorCase {
    /// Every error the parser must report, each in an otherwise valid file
    /// (see ``baseText(replacing:with:appending:)`` for the line numbers):
    /// distributions and expressions here, the rest in ``keysAndValues``,
    /// ``expectations``, ``estimators`` and ``sweeps``.
    static let all: [ErrorCase] = [
        ErrorCase("unknown key", baseText(appending: ["colour = 3"]), 7, 1,
                  "unknown key 'colour'", "expected one of name, description"),
        ErrorCase("unknown family", baseText(replacing: 3, with: "target = norml(mean: 0, sd: 1)"), 3, 10,
                  "unknown family 'norml'", "expected one of normal, student_t", "mixture", "did you mean 'normal'?"),
        ErrorCase("not a distribution", baseText(replacing: 3, with: "target = 5"), 3, 10,
                  "expected a distribution", "found '5'"),
        ErrorCase("unknown parameter label", baseText(replacing: 3, with: "target = normal(mean: 0, sigma: 1)"), 3, 26,
                  "unknown parameter 'sigma'", "normal(mean:, sd:)"),
        ErrorCase("missing parameter", baseText(replacing: 3, with: "target = normal(mean: 0)"), 3, 24,
                  "normal needs 'sd:'"),
        ErrorCase("parameter given twice", baseText(replacing: 3, with: "target = normal(mean: 0, mean: 1, sd: 1)"), 3, 26,
                  "parameter 'mean' given twice", "column 17"),
        ErrorCase("parameter out of range", baseText(replacing: 3, with: "target = normal(mean: 0, sd: -1)"), 3, 30,
                  "'sd' must be > 0", "got -1"),
        ErrorCase("parameter not finite", baseText(replacing: 4, with: "behavior = normal(mean: 1/0, sd: 1)"), 4, 25,
                  "'mean' must be a finite number"),
        ErrorCase("uniform low >= high", baseText(replacing: 3, with: "target = uniform(low: 2, high: 1)"), 3, 32,
                  "low < high"),
        ErrorCase("mixture weights do not sum to 1",
                  baseText(replacing: 3, with: "target = mixture(0.5 * normal(mean: 0, sd: 1), 0.4 * normal(mean: 1, sd: 1))"),
                  3, 10, "weights must sum to 1", "0.9"),
        ErrorCase("mixture weight not positive",
                  baseText(replacing: 3, with: "target = mixture(0 * normal(mean: 0, sd: 1), 1 * normal(mean: 1, sd: 1))"),
                  3, 18, "mixture weight 1 must be a finite number > 0"),
        ErrorCase("mixture component without weight",
                  baseText(replacing: 3, with: "target = mixture(0.5 * normal(mean: 0, sd: 1), normal(mean: 1, sd: 1))"),
                  3, 48, "expected a weighted component"),
        ErrorCase("nested mixture",
                  baseText(replacing: 3, with: "target = mixture(1 * mixture(1 * normal(mean: 0, sd: 1)))"),
                  3, 22, "cannot itself be a mixture"),
        ErrorCase("bad number 1.2.3", baseText(replacing: 6, with: "samples = 1.2.3"), 6, 11, "bad number '1.2.3'"),
        ErrorCase("bad number 1e", baseText(replacing: 5, with: "f(x) = x * 1e"), 5, 12, "bad number '1e'"),
        ErrorCase("bad number 2x", baseText(replacing: 5, with: "f(x) = 2x"), 5, 8, "bad number '2x'"),
        ErrorCase("number too large", baseText(replacing: 5, with: "f(x) = x * 1e999"), 5, 12, "too large"),
        ErrorCase("unclosed ( in a distribution", baseText(replacing: 3, with: "target = normal(mean: 0, sd: 1"), 3, 16,
                  "unclosed '('"),
        ErrorCase("unclosed ( in an expression", baseText(replacing: 5, with: "f(x) = (x + 1"), 5, 8, "unclosed '('"),
        ErrorCase("unclosed call", baseText(replacing: 5, with: "f(x) = exp(-(x + 1)"), 5, 11, "unclosed '('"),
        ErrorCase("unclosed ( on the last line", baseLines.filter { !$0.hasPrefix("f(x)") }.joined(separator: "\n")
                  + "\nf(x) = exp(x", 6, 11, "unclosed '('"),
        ErrorCase("unclosed ( after a comma", baseText(replacing: 3, with: "target = normal(mean: 0,"), 3, 16, "unclosed '('"),
        ErrorCase("stray ) in an expression", baseText(replacing: 5, with: "f(x) = x + 1)"), 5, 13, "unbalanced ')'"),
        ErrorCase("stray ) after a distribution", baseText(replacing: 3, with: "target = normal(mean: 0, sd: 1))"), 3, 32,
                  "unbalanced ')'"),
        ErrorCase("unknown function", baseText(replacing: 5, with: "f(x) = sinh(x)"), 5, 8,
                  "unknown function 'sinh'", "expected one of exp, log", "did you mean 'sin'?"),
        ErrorCase("unknown name", baseText(replacing: 5, with: "f(x) = y + 1"), 5, 8, "unknown name 'y'"),
        ErrorCase("one-argument function with two", baseText(replacing: 5, with: "f(x) = exp(x, 1)"), 5, 8,
                  "exp takes exactly 1 argument, got 2"),
        ErrorCase("one-argument function with none", baseText(replacing: 5, with: "f(x) = log()"), 5, 8,
                  "log takes exactly 1 argument, got 0"),
        ErrorCase("min with one argument", baseText(replacing: 5, with: "f(x) = 1 + min(x)"), 5, 12,
                  "min takes at least 2 arguments, got 1"),
        ErrorCase("function without (", baseText(replacing: 5, with: "f(x) = exp x"), 5, 12, "expected '(' after function 'exp'"),
        ErrorCase("x in a parameter", baseText(replacing: 3, with: "target = normal(mean: x, sd: 1)"), 3, 23,
                  "parameter 'mean' must be a constant", "'x' can only appear in f(x)"),
        ErrorCase("x in a mixture weight",
                  baseText(replacing: 3, with: "target = mixture((x + 1) * normal(mean: 0, sd: 1))"), 3, 19,
                  "mixture weight must be a constant"),
    ] + keysAndValues + expectations + estimators + sweeps + references
}
