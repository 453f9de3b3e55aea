import Foundation
@testable import ISScenario
import Testing

@Suite("Expressions: grammar and evaluation")
struct ExpressionTests {
    /// (text, x, value): precedence, associativity and IEEE edge cases.
    static let table: [(String, Double, Double)] = [
        ("-x^2", 3, -9),
        ("2^3^2", 0, 512),
        ("(2^3)^2", 0, 64),
        ("1 + 2 * 3 > 6", 0, 1),
        ("1 + 2 * 3 > 7", 0, 0),
        ("2^-1", 0, 0.5),
        ("x^2^-1", 16, 4),
        ("-2^2", 0, -4),
        ("(-2)^2", 0, 4),
        ("(x > 3) * x", 4, 4),
        ("(x > 3) * x", 2, 0),
        ("10 - 4 - 3", 0, 3),
        ("8 / 4 / 2", 0, 1),
        ("2 * -3", 0, -6),
        ("1 - -1", 0, 2),
        ("--x", 2, 2),
        ("+x", 2, 2),
        ("-+-x", 2, 2),
        ("x == 2", 2, 1),
        ("x != 2", 2, 0),
        ("1 <= 1", 0, 1),
        ("2 >= 3", 0, 0),
        ("x < 1", .nan, 0),
        ("x >= 1", .nan, 0),
        ("x == x", .nan, 0),
        ("x != x", .nan, 1),
        ("1 / 0", 0, .infinity),
        ("-1 / 0", 0, -.infinity),
        ("1e-3 * 1000", 0, 1),
        (".5 + 2.5E+1", 0, 25.5),
        ("4_000 / 4", 0, 1000),
        ("e", 0, M_E),
        ("pi / 2", 0, Double.pi / 2),
        ("exp(-x^2 / 2)", 0, 1),
        ("log(e)", 0, 1),
        ("sqrt(16) + abs(-x)", 3, 7),
        ("sin(0) + cos(0) + tanh(0)", 0, 1),
        ("min(3, x, 2)", 1, 1),
        ("max(3, x, 2)", 1, 3),
        ("min(x, 1)", .nan, .nan),
        ("max(1, x)", .nan, .nan),
        ("log(-1)", 0, .nan),
        ("0 / 0", 0, .nan),
        ("x * 0", .infinity, .nan),
        ("2 * 3 + 4 * 5 - 6 / 2", 0, 23),
        ("1 + 1 == 2", 0, 1),
        ("x^2", -3, 9),
        ("x^2", -0.0, 0),
        ("x^2", -.infinity, .infinity),
        ("x^3", -2, -8),
        ("x^0", .nan, 1),
    ]

    @Test(arguments: table)
    func evaluates(_ text: String, _ x: Double, _ expected: Double) throws {
        let value = try Formula(parsing: text).evaluate(at: x)
        if expected.isNaN {
            #expect(value.isNaN, "\(text) at \(x) gave \(value)")
        } else {
            #expect(value == expected, "\(text) at \(x) gave \(value)")
        }
    }

    @Test func buildsTheExpectedTrees() throws {
        #expect(try Formula(parsing: "-2") == .number(-2))
        #expect(try Formula(parsing: "-(2)") == .negate(.number(2)))
        #expect(try Formula(parsing: "-x^2") == .negate(.binary(.power, .x, 2)))
        #expect(try Formula(parsing: "-2^2") == .negate(.binary(.power, 2, 2)))
        #expect(try Formula(parsing: "2^3^2") == .binary(.power, 2, .binary(.power, 3, 2)))
        #expect(try Formula(parsing: "1 - 2 - 3") == .binary(.subtract, .binary(.subtract, 1, 2), 3))
        #expect(try Formula(parsing: "pi") == .number(Double.pi))
        #expect(try Formula(parsing: "e") == .number(M_E))
        #expect(try Formula(parsing: "min(x, 1, 2)") == .call(.min, [.x, 1, 2]))
    }

    @Test func swiftOperatorsBuildTheSameTrees() throws {
        let built: Formula = .x * .x + 1
        #expect(built == (try Formula(parsing: "x * x + 1")))
        let scale = 2.0  // a Double variable goes in as .number(scale)
        let mixed: Formula = .number(scale) * .x - 0.5 / Formula.x
        #expect(mixed == (try Formula(parsing: "2 * x - 0.5 / x")))
        #expect(-Formula.x == .negate(.x))
        #expect(Formula.power(.x, 2).canonicalText == "x^2")
    }

    @Test func mentionsX() throws {
        #expect(try Formula(parsing: "exp(-x^2)").mentionsX)
        #expect(try Formula(parsing: "min(1, 2, x)").mentionsX)
        #expect(try !Formula(parsing: "sqrt(2) / 2 + pi").mentionsX)
    }

    @Test func callsWithArgumentCountsTheParserRejects() {
        #expect(Formula.call(.exp, []).evaluate(at: 1).isNaN)
        #expect(Formula.call(.exp, [.x, .x]).evaluate(at: 1).isNaN)
        #expect(Formula.call(.min, []).evaluate(at: 1).isNaN)
        #expect(Formula.call(.max, [.x]).evaluate(at: 5) == 5)
    }

    @Test(arguments: [
        ("", 1, 1, "found end of input"),
        ("x +", 1, 4, "found end of line"),
        ("x y", 1, 3, "unexpected 'y' after the expression"),
        ("foo(x)", 1, 1, "unknown function 'foo'"),
        ("e(2)", 1, 1, "'e' is not a function"),
        ("x @ 2", 1, 3, "unexpected character '@'"),
        ("(x", 1, 1, "unclosed '('"),
        ("x)", 1, 2, "unbalanced ')'"),
        ("1 +\n  y", 2, 3, "unknown name 'y'"),
    ])
    func rejectsBadExpressionText(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        do {
            _ = try Formula(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            let diagnostic = error.diagnostics.first
            #expect(error.diagnostics.count == 1)
            #expect(diagnostic?.file == "<expression>")
            #expect((diagnostic?.line, diagnostic?.column) == (line, column))
            #expect(diagnostic?.message.contains(fragment) == true, "\(String(describing: diagnostic))")
        }
    }
}
